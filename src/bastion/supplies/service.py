"""Stock and movements: what is in each store (computed from the movements, never stored),
issues, returns, transfers, write-offs and repairs, the per-person kit issue (to the people
on a post's duty list, read through duty's service), and conditions.

Every movement is one row and one audit entry, in the caller's transaction. A movement out of
a store needs the stock to be there (422 naming ``quantity``); a tracked item moves one asset
at a time by its serial number, from where that asset is. Movements of one item are
serialised by locking the item's row (PostgreSQL; SQLite writes one at a time anyway), so two
issues cannot both take the last tricycle.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core.db import utcnow
from bastion.core.errors import Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.labels import label
from bastion.duty.rosters import setup as duty
from bastion.org import capabilities
from bastion.org.models import Agency, User
from bastion.supplies import access, lowstock
from bastion.supplies.models import (
    Asset,
    Condition,
    Item,
    Movement,
    MovementKind,
    PersonSource,
    Threshold,
)
from bastion.supplies.schemas import (
    AssetOut,
    ConditionIn,
    KitIssueIn,
    MovementIn,
    MovementOut,
    PersonOut,
    StockRow,
)

# kind -> (needs a store it leaves, needs a store it enters)
ENDS: dict[MovementKind, tuple[bool | None, bool | None]] = {
    MovementKind.ISSUE: (True, None),  # to a post, to a person, or used up
    MovementKind.RETURN: (None, True),  # from a post or a person
    MovementKind.TRANSFER: (True, True),
    MovementKind.WRITE_OFF: (True, False),
    MovementKind.REPAIR_OUT: (True, False),
    MovementKind.REPAIR_IN: (False, True),
}


# --- stock, computed -------------------------------------------------------------------------

def _signed(agency_column: Any) -> Any:
    return func.coalesce(func.sum(case(
        (Movement.to_agency_id == agency_column, Movement.quantity),
        (Movement.from_agency_id == agency_column, -Movement.quantity), else_=0)), 0)


def on_hand(session: Session, *, item_id: int, agency_id: int) -> int:
    """Units of the item in the store now: in minus out, over every movement."""
    return int(session.scalar(select(_signed(agency_id)).where(Movement.item_id == item_id)) or 0)


def average_price_fen(session: Session, item_id: int) -> int:
    """The item's value per unit: the quantity-weighted mean of its receipt prices."""
    row = session.execute(select(func.sum(Movement.quantity * Movement.unit_price_fen),
                                 func.sum(Movement.quantity)).where(
        Movement.item_id == item_id, Movement.kind == MovementKind.RECEIPT)).one()
    return round(row[0] / row[1]) if row[1] else 0


def stock(session: Session, *, user: User, agency_id: int | None = None,
          category: str | None = None, language: str = "zh-CN") -> list[StockRow]:
    """Every (store, item) the user may see with units on hand or a threshold."""
    capabilities.require(user, "supplies.read")
    stores = {a.id: a for a in access.stores(session, user)}
    if agency_id is not None:
        access.find_store(session, user=user, agency_id=agency_id)
        stores = {agency_id: stores[agency_id]}
    if not stores:
        return []
    totals: dict[tuple[int, int], int] = defaultdict(int)
    ids = list(stores)
    for item_id, to_id, from_id, qty in session.execute(select(
            Movement.item_id, Movement.to_agency_id, Movement.from_agency_id,
            func.sum(Movement.quantity)).where(
            (Movement.to_agency_id.in_(ids)) | (Movement.from_agency_id.in_(ids))).group_by(
            Movement.item_id, Movement.to_agency_id, Movement.from_agency_id)):
        if to_id in stores:
            totals[(to_id, item_id)] += qty
        if from_id in stores:
            totals[(from_id, item_id)] -= qty
    minimums = {(t.agency_id, t.item_id): t.minimum for t in session.scalars(
        select(Threshold).where(Threshold.agency_id.in_(ids)))}
    keys = {k for k, v in totals.items() if v} | set(minimums)
    items = {i.id: i for i in session.scalars(select(Item).where(
        Item.id.in_({k[1] for k in keys} or {0})))}
    prices = _prices(session, list(items))
    rows = []
    for store_id, item_id in keys:
        item = items[item_id]
        if category and item.category != category:
            continue
        quantity = totals.get((store_id, item_id), 0)
        minimum = minimums.get((store_id, item_id))
        rows.append(StockRow(
            agency_id=store_id, agency=stores[store_id].display_name(language),
            item_id=item_id, item_code=item.code, item_name=item.display_name(language),
            category=item.category, category_label=label(item.category), unit=item.unit,
            quantity=quantity, value_cny=quantity * prices.get(item_id, 0) / 100,
            minimum=minimum, low=minimum is not None and quantity < minimum))
    order = list(stores)
    return sorted(rows, key=lambda r: (order.index(r.agency_id), r.category, r.item_code))


def _prices(session: Session, item_ids: list[int]) -> dict[int, int]:
    rows = session.execute(select(Movement.item_id,
                                  func.sum(Movement.quantity * Movement.unit_price_fen),
                                  func.sum(Movement.quantity)).where(
        Movement.item_id.in_(item_ids or [0]), Movement.kind == MovementKind.RECEIPT
    ).group_by(Movement.item_id))
    return {i: round(v / q) for i, v, q in rows if q}


# --- items and assets -------------------------------------------------------------------------

def item_by_code(session: Session, code: str, *, field: str = "item_code",
                 lock: bool = False) -> Item:
    item = session.scalar(select(Item).where(Item.code == code.strip()).with_for_update()
                          if lock else select(Item).where(Item.code == code.strip()))
    if item is None or not item.active:
        raise Invalid(_("No item with the code %(code)s in the catalogue.") % {"code": code},
                      field=field)
    return item


def last_movement(session: Session, asset: Asset) -> Movement | None:
    return session.scalar(select(Movement).where(Movement.asset_id == asset.id)
                          .order_by(Movement.id.desc()).limit(1))


def asset_out(session: Session, asset: Asset, item: Item) -> AssetOut:
    last = last_movement(session, asset)
    return AssetOut(
        id=asset.id, item_id=item.id, item_code=item.code, serial=asset.serial,
        condition=asset.condition, condition_label=label(asset.condition),
        # the store it is in, or the one answerable for it (with a person, out for repair)
        condition_note=asset.condition_note,
        agency_id=(last.to_agency_id or last.from_agency_id) if last else None,
        person_name=(last.person_name if last and last.kind == MovementKind.ISSUE
                     and last.to_agency_id is None else ""),
        at_repair=bool(last and last.kind == MovementKind.REPAIR_OUT))


def assets(session: Session, *, user: User, agency_id: int | None = None) -> list[AssetOut]:
    """Tracked assets whose movements the user may see (where they are, their condition)."""
    capabilities.require(user, "supplies.read")
    seen = access.movements_query(user).where(Movement.asset_id.is_not(None)).with_only_columns(
        Movement.asset_id).distinct()
    rows = session.execute(select(Asset, Item).join(Item, Item.id == Asset.item_id).where(
        Asset.id.in_(seen)).order_by(Item.code, Asset.serial)).all()
    found = [asset_out(session, a, i) for a, i in rows]
    if not access.is_command(user):  # a post sees the assets its store answers for
        found = [a for a in found if a.agency_id == user.agency_id]
    if agency_id is not None:
        found = [a for a in found if a.agency_id == agency_id]
    return found


def find_asset(session: Session, *, user: User, asset_id: int) -> tuple[Asset, Item]:
    capabilities.require(user, "supplies.read")
    row = session.execute(select(Asset, Item).join(Item, Item.id == Asset.item_id).where(
        Asset.id == asset_id)).first()
    if row is None:
        raise NotFound(_("No such asset."))
    shown = asset_out(session, row[0], row[1])
    if not access.is_command(user) and shown.agency_id != user.agency_id:
        raise NotFound(_("No such asset."))
    if session.scalar(access.movements_query(user).where(Movement.asset_id == asset_id)
                      .with_only_columns(Movement.id).limit(1)) is None:
        raise NotFound(_("No such asset."))
    return row[0], row[1]


def set_condition(session: Session, *, user: User, asset_id: int, data: ConditionIn) -> Asset:
    capabilities.require(user, "supplies.move")
    asset, item = find_asset(session, user=user, asset_id=asset_id)
    before = asset.condition
    asset.condition, asset.condition_note = data.condition, data.note
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind="supply_asset",
                 record_id=asset.id, summary=f"{item.code} {asset.serial}: {before.value} -> "
                 f"{data.condition.value}", detail={"note": data.note})
    session.flush()
    return asset


# --- movements ------------------------------------------------------------------------------

def public(movement: Movement, item: Item, serial: str | None = None,
           language: str = "zh-CN") -> MovementOut:
    return MovementOut(
        id=movement.id, kind=movement.kind, kind_label=label(movement.kind), item_id=item.id,
        item_code=item.code, item_name=item.display_name(language), asset_id=movement.asset_id,
        serial=serial, quantity=movement.quantity,
        unit_price_cny=movement.unit_price_fen / 100,
        value_cny=movement.quantity * movement.unit_price_fen / 100,
        from_agency_id=movement.from_agency_id, to_agency_id=movement.to_agency_id,
        person_user_id=movement.person_user_id, person_name=movement.person_name,
        receipt_id=movement.receipt_id, kit_issue=movement.kit_issue,
        work_order_id=movement.work_order_id, occurred_at=movement.occurred_at,
        note=movement.note, exercise=movement.exercise, synthetic=movement.synthetic)


def list_query(user: User, *, agency_id: int | None = None, kind: MovementKind | None = None,
               item_code: str | None = None, person: str | None = None):
    capabilities.require(user, "supplies.read")
    query = access.movements_query(user)
    if agency_id is not None:
        query = query.where((Movement.from_agency_id == agency_id)
                            | (Movement.to_agency_id == agency_id))
    if kind is not None:
        query = query.where(Movement.kind == kind)
    if item_code:
        query = query.join(Item, Item.id == Movement.item_id).where(Item.code == item_code)
    if person:
        query = query.where(Movement.person_name == person)
    return query.order_by(Movement.occurred_at.desc(), Movement.id.desc())


def _person(session: Session, user_id: int | None, name: str, org_id: int,
            field: str = "person_user_id") -> tuple[int | None, str]:
    """A person by account (of the stores' organisation only) or by name."""
    if user_id is None:
        return None, name
    person = session.get(User, user_id)
    if person is None or person.system or person.organisation_id != org_id:
        raise Invalid(_("No such person."), field=field)
    return person.id, name or person.display_name


def _check_out(session: Session, item: Item, store: Agency, quantity: int,
               field: str = "quantity", pending: int = 0) -> None:
    have = on_hand(session, item_id=item.id, agency_id=store.id) - pending
    if have < quantity:
        raise Invalid(_("Only %(have)s %(unit)s of %(item)s in %(store)s.") % {
            "have": have, "unit": item.unit, "item": item.code, "store": store.name},
            field=field)


def _asset_for(session: Session, item: Item, data: MovementIn,
               source: Agency | None) -> Asset | None:
    if not item.tracked:
        if data.serial:
            raise Invalid(_("%(item)s is counted, not tracked by serial number.")
                          % {"item": item.code}, field="serial")
        return None
    if not data.serial:
        raise Invalid(_("%(item)s is tracked: give the serial number.") % {"item": item.code},
                      field="serial")
    if data.quantity != 1:
        raise Invalid(_("A tracked item moves one at a time."), field="quantity")
    asset = session.scalar(select(Asset).where(Asset.item_id == item.id,
                                               Asset.serial == data.serial))
    if asset is None:
        raise Invalid(_("No %(item)s with the serial number %(serial)s.")
                      % {"item": item.code, "serial": data.serial}, field="serial")
    last = last_movement(session, asset)
    if source is not None and (last is None or last.to_agency_id != source.id):
        raise Invalid(_("%(serial)s is not in %(store)s.")
                      % {"serial": asset.serial, "store": source.name}, field="serial")
    if source is None and data.kind == MovementKind.REPAIR_IN and (
            last is None or last.kind != MovementKind.REPAIR_OUT):
        raise Invalid(_("%(serial)s is not out for repair.") % {"serial": asset.serial},
                      field="serial")
    return asset


def record(session: Session, *, user: User | None, data: MovementIn, owner_org_id: int | None = None,
           now: datetime | None = None, check: bool = True, work_order_id: int | None = None,
           kit_issue: str | None = None) -> tuple[Movement, bool]:
    """One movement; ``(movement, created)`` — a replayed ``client_id`` answers the first."""
    if data.client_id:
        earlier = session.scalar(select(Movement).where(Movement.client_id == data.client_id))
        if earlier is not None:
            # need-to-know still applies to a replay
            if user is not None and session.scalar(access.movements_query(user).where(
                    Movement.id == earlier.id)) is None:
                raise NotFound(_("No such movement."))
            return earlier, False
    if check and user is not None:
        capabilities.require(user, "supplies.move")
    item = item_by_code(session, data.item_code, lock=True)
    need_from, need_to = ENDS[data.kind]
    source = target = None
    if data.from_agency_id is not None:
        if need_from is False:
            raise Invalid(_("This movement leaves no store."), field="from_agency_id")
        source = (access.find_store(session, user=user, agency_id=data.from_agency_id,
                                    field="from_agency_id")
                  if user is not None else session.get(Agency, data.from_agency_id))
    elif need_from:
        raise Invalid(_("Say which store it leaves."), field="from_agency_id")
    if data.to_agency_id is not None:
        if need_to is False:
            raise Invalid(_("This movement enters no store."), field="to_agency_id")
        target = _target_store(session, user, data.to_agency_id)
    elif need_to:
        raise Invalid(_("Say which store it enters."), field="to_agency_id")
    if source is not None and target is not None and source.id == target.id:
        raise Invalid(_("A movement goes from one store to another."), field="to_agency_id")
    org = owner_org_id or (source or target).organisation_id
    person_id, person_name = _person(session, data.person_user_id, data.person_name, org)
    if data.kind == MovementKind.RETURN and source is None and not (person_id or person_name):
        raise Invalid(_("Say who returns it: a person or a store."), field="person_name")
    if data.kind == MovementKind.TRANSFER and (person_id or person_name):
        raise Invalid(_("A transfer is between stores, not to a person."), field="person_name")
    # a post moves only what leaves or enters its own store
    if user is not None and not access.is_command(user) and user.agency_id not in {
            getattr(source, "id", None), getattr(target, "id", None)}:
        raise NotFound(_("No such store."), field="from_agency_id")
    asset = _asset_for(session, item, data, source)
    if source is not None and check:
        _check_out(session, item, source, data.quantity)
    movement = Movement(
        client_id=data.client_id, kind=data.kind, item_id=item.id,
        asset_id=asset.id if asset else None, quantity=data.quantity,
        unit_price_fen=average_price_fen(session, item.id),
        from_agency_id=source.id if source else None, to_agency_id=target.id if target else None,
        owner_org_id=org, person_user_id=person_id, person_name=person_name,
        work_order_id=work_order_id, kit_issue=kit_issue,
        occurred_at=data.occurred_at or now or utcnow(), note=data.note,
        exercise=data.exercise, recorded_by_id=user.id if user else None)
    session.add(movement)
    if asset is not None and data.condition is not None:
        asset.condition = data.condition
    if asset is not None and data.kind == MovementKind.WRITE_OFF and data.condition is None:
        asset.condition = Condition.LOST if "lost" in data.note.lower() else asset.condition
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=Movement.record_kind,
                 record_id=movement.id, summary=f"{data.kind.value} {data.quantity} {item.code}",
                 detail={"from": movement.from_agency_id, "to": movement.to_agency_id,
                         "person": person_name or None, "serial": asset.serial if asset else None,
                         "work_order_id": work_order_id})
    for store in (source, target):
        if store is not None:
            lowstock.check(session, item=item, store=store,
                           quantity=on_hand(session, item_id=item.id, agency_id=store.id))
    return movement, True


def _target_store(session: Session, user: User | None, agency_id: int) -> Agency:
    """A post may return to or receive from the command's store it cannot list."""
    if user is None:
        store = session.get(Agency, agency_id)
    else:
        store = session.scalar(select(Agency).where(
            Agency.id == agency_id, Agency.kind.in_(access.STORE_KINDS), Agency.active.is_(True),
            (Agency.id == user.organisation_id) | (Agency.root_id == user.organisation_id)))
    if store is None:
        raise NotFound(_("No such store."), field="to_agency_id")
    return store


# --- the per-person kit ---------------------------------------------------------------------

def post_people(session: Session, *, user: User, agency_id: int) -> list[PersonOut]:
    """The people of a store's post, each once, for those who may read that store:

    1. the active people on the post's 24-hour duty list (``duty``'s registry of a post's
       people, auxiliaries without a login included), by name; someone on it whose login is
       another organisation's (a partner on the command's rotation) is not the store's;
    2. then the post's active accounts that are not on the duty list;
    3. then the names that have had things from the store and are neither, so that a former
       auxiliary who still holds an item can still return it.

    A person is the same by account (a user on the duty list is listed once, as on duty) or,
    without one, by name (a movement names a person by name)."""
    capabilities.require(user, "supplies.read")
    store = access.find_store(session, user=user, agency_id=agency_id)
    people: list[PersonOut] = []
    names: set[str] = set()
    accounts: set[int] = set()

    def add(name: str, user_id: int | None, source: PersonSource,
            duty_person_id: int | None = None) -> None:
        if name in names or (user_id is not None and user_id in accounts):
            return
        names.add(name)
        if user_id is not None:
            accounts.add(user_id)
        people.append(PersonOut(name=name, user_id=user_id, duty_person_id=duty_person_id,
                                source=source, source_label=label(source)))

    on_duty = duty.people_of(session, org_id=store.organisation_id, unit_ids=[store.id])
    linked = {p.user_id for p in on_duty if p.user_id is not None}
    ours = {u.id for u in session.scalars(select(User).where(User.id.in_(linked)))
            if u.organisation_id == store.organisation_id} if linked else set()
    for person in on_duty:
        if person.user_id is None or person.user_id in ours:
            add(person.name, person.user_id, PersonSource.DUTY, person.id)
    for account in session.scalars(select(User).where(
            User.agency_id == store.id, User.active.is_(True), User.system.is_(False))
            .order_by(User.display_name, User.id)):
        add(account.display_name, account.id, PersonSource.ACCOUNT)
    for name, user_id in session.execute(select(Movement.person_name, Movement.person_user_id)
                                         .where(Movement.from_agency_id == store.id,
                                                Movement.person_name != "").distinct()
                                         .order_by(Movement.person_name)):
        add(name, user_id, PersonSource.ISSUED)
    return people


def kit_issue(session: Session, *, user: User, data: KitIssueIn,
              now: datetime | None = None) -> tuple[list[Movement], bool]:
    """One item to each person of the post at once; named people, or else all of its
    people (``post_people``: its duty list, its other accounts, earlier holders). All or
    none: the post must hold enough for everyone."""
    capabilities.require(user, "supplies.move")
    group = data.client_id or str(uuid.uuid4())
    earlier = list(session.scalars(select(Movement).where(Movement.kit_issue == group)
                                   .order_by(Movement.id)))
    if earlier:
        return earlier, False
    store = access.find_store(session, user=user, agency_id=data.agency_id)
    item = item_by_code(session, data.item_code, lock=True)
    if item.tracked:
        raise Invalid(_("A kit issue hands out counted items, not tracked ones."),
                      field="item_code")
    people: list[tuple[int | None, str]] = []
    for user_id in data.user_ids:
        people.append(_person(session, user_id, "", store.organisation_id, "user_ids"))
    people += [(None, name) for name in data.people]
    if not people:
        people = [(p.user_id, p.name) for p in post_people(
            session, user=user, agency_id=store.id)]
    seen: set[str] = set()
    people = [p for p in people if not (p[1] in seen or seen.add(p[1]))]
    if not people:
        raise Invalid(_("Nobody to issue to: name the people."), field="people")
    _check_out(session, item, store, data.quantity_each * len(people))
    made = []
    for person_id, name in people:
        movement, _created = record(session, user=user, check=False, now=now, kit_issue=group,
                                    data=MovementIn(
            kind=MovementKind.ISSUE, item_code=item.code, quantity=data.quantity_each,
            from_agency_id=store.id, person_user_id=person_id, person_name=name,
            note=data.note, exercise=data.exercise))
        made.append(movement)
    return made, True


def holdings(session: Session, *, user: User, agency_id: int) -> list[dict[str, Any]]:
    """What each person of a store holds (issued minus returned), by item."""
    capabilities.require(user, "supplies.read")
    access.find_store(session, user=user, agency_id=agency_id)
    net = func.sum(case((Movement.kind == MovementKind.ISSUE, Movement.quantity),
                        else_=-Movement.quantity))
    rows = session.execute(select(Movement.person_name, Item.code, Item.name, net).join(
        Item, Item.id == Movement.item_id).where(
        Movement.person_name != "",
        ((Movement.kind == MovementKind.ISSUE) & (Movement.from_agency_id == agency_id))
        | ((Movement.kind == MovementKind.RETURN) & (Movement.to_agency_id == agency_id)))
        .group_by(Movement.person_name, Item.code, Item.name)
        .order_by(Movement.person_name, Item.code))
    return [{"person": p, "item_code": c, "item_name": n, "quantity": q}
            for p, c, n, q in rows if q]


def serials(session: Session, asset_ids: list[int]) -> dict[int, str]:
    return dict(session.execute(select(Asset.id, Asset.serial).where(
        Asset.id.in_(asset_ids or [0]))).all())
