"""Receipts: deliveries into a store under a project and a funder, each line a receipt
movement with its unit price (tracked items: one asset per serial number, numbered
``<code>-<receipt>-<n>`` when the delivery note gives none); the receipt's xlsx import; and
value totals by project, funder, store, category and month."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import tabular
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Invalid
from bastion.core.exercise import operational
from bastion.core.i18n import gettext as _
from bastion.core.labels import label
from bastion.org import capabilities
from bastion.org.models import Agency, User
from bastion.supplies import access, lowstock
from bastion.supplies.models import Asset, Item, Movement, MovementKind, Receipt
from bastion.supplies.schemas import ReceiptIn, ReceiptLineIn, ReceiptOut, fen
from bastion.supplies.service import item_by_code, on_hand

LINE_COLUMNS = [
    tabular.Column("item_code", "Item code", "物资编码", required=True, example="VEH-TRI"),
    tabular.Column("quantity", "Quantity", "数量", required=True, example="6"),
    tabular.Column("unit_price", "Unit price (yuan)", "单价（元）", required=True,
                   aliases=("单价",), example="6800"),
    tabular.Column("serials", "Serial numbers", "编号", example="TRI-001, TRI-002"),
]


def public(session: Session, receipt: Receipt) -> ReceiptOut:
    lines, value = session.execute(select(
        func.count(Movement.id), func.coalesce(func.sum(Movement.quantity * Movement.unit_price_fen), 0))
        .where(Movement.receipt_id == receipt.id)).one()
    return ReceiptOut(id=receipt.id, agency_id=receipt.agency_id, received_on=receipt.received_on,
                      project=receipt.project, funder=receipt.funder, reference=receipt.reference,
                      note=receipt.note, exercise=receipt.exercise, synthetic=receipt.synthetic,
                      lines=lines, value_cny=value / 100)


def list_query(user: User, *, project: str | None = None, funder: str | None = None):
    capabilities.require(user, "supplies.read")
    query = access.receipts_query(user)
    if project:
        query = query.where(Receipt.project == project)
    if funder:
        query = query.where(Receipt.funder == funder)
    return query.order_by(Receipt.received_on.desc(), Receipt.id.desc())


def create(session: Session, *, user: User, data: ReceiptIn) -> tuple[Receipt, bool]:
    """A receipt and its lines; a replayed ``client_id`` answers the first (created False)."""
    capabilities.require(user, "supplies.receive")
    if data.client_id:
        earlier = session.scalar(select(Receipt).where(Receipt.client_id == data.client_id))
        if earlier is not None:
            return access.find_receipt(session, user=user, receipt_id=earlier.id), False
    store = access.find_store(session, user=user, agency_id=data.agency_id or user.agency_id)
    items: list[Item] = []
    for n, line in enumerate(data.lines):
        item = item_by_code(session, line.item_code, field=f"lines.{n}.item_code", lock=True)
        if line.serials and not item.tracked:
            raise Invalid(_("%(item)s is counted, not tracked by serial number.")
                          % {"item": item.code}, field=f"lines.{n}.serials")
        if item.tracked and line.serials and len(line.serials) != line.quantity:
            raise Invalid(_("Give one serial number per unit (%(n)s).") % {"n": line.quantity},
                          field=f"lines.{n}.serials")
        if item.tracked and line.serials and len(set(line.serials)) != len(line.serials):
            raise Invalid(_("A serial number repeats."), field=f"lines.{n}.serials")
        taken = set(session.scalars(select(Asset.serial).where(
            Asset.item_id == item.id, Asset.serial.in_(line.serials)))) if line.serials else set()
        if taken:
            raise Conflict(_("Already in the register: %(serials)s")
                           % {"serials": ", ".join(sorted(taken))}, field=f"lines.{n}.serials")
        items.append(item)
    receipt = Receipt(client_id=data.client_id, agency_id=store.id, received_on=data.received_on,
                      project=data.project, funder=data.funder, reference=data.reference,
                      note=data.note, exercise=data.exercise, recorded_by_id=user.id)
    session.add(receipt)
    session.flush()
    at = utcnow()
    for line, item in zip(data.lines, items, strict=True):
        common = {"kind": MovementKind.RECEIPT, "item_id": item.id, "to_agency_id": store.id,
                  "owner_org_id": store.organisation_id, "receipt_id": receipt.id,
                  "unit_price_fen": fen(line.unit_price), "occurred_at": at,
                  "exercise": data.exercise, "recorded_by_id": user.id}
        if item.tracked:
            serials = line.serials or [f"{item.code}-{receipt.id}-{k + 1}"
                                       for k in range(line.quantity)]
            for serial in serials:
                asset = Asset(item_id=item.id, serial=serial)
                session.add(asset)
                session.flush()
                session.add(Movement(quantity=1, asset_id=asset.id, **common))
        else:
            session.add(Movement(quantity=line.quantity, **common))
    session.flush()
    for item in {i.id: i for i in items}.values():
        lowstock.check(session, item=item, store=store,
                       quantity=on_hand(session, item_id=item.id, agency_id=store.id))
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=Receipt.record_kind,
                 record_id=receipt.id, summary=f"{store.code} {data.project} {data.funder}",
                 detail={"lines": len(data.lines)})
    return receipt, True


def _yuan(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").replace("¥", "").replace("￥", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 and value == round(value, 2) else None


def import_receipt(session: Session, *, user: User, data: bytes, filename: str, agency_id: int,
                   received_on: date, project: str, funder: str, reference: str = "",
                   ) -> Receipt:
    """A receipt from a workbook of lines (item code, quantity, unit price, serials): every
    line or none, problems by sheet, row and column."""
    capabilities.require(user, "supplies.receive")
    out = tabular.Collector(filename or None)
    sheets = tabular.read_table(data, out, filename=filename)
    rows = tabular.records(sheets, LINE_COLUMNS, out) if sheets else []
    out.raise_errors()
    items = {i.code: i for i in session.scalars(select(Item).where(Item.active.is_(True)))}
    lines: list[ReceiptLineIn] = []
    for row in rows:
        def bad(key: str, code: str, message: str, row=row) -> None:
            out.add(row.row, row.headings.get(key, key), code, message, row.sheet)

        code, qty, price = row.get("item_code"), row.get("quantity"), _yuan(row.get("unit_price"))
        serials = [s.strip() for s in row.get("serials").replace("，", ",").split(",") if s.strip()]
        ok = True
        if code not in items:
            bad("item_code", "UNKNOWN_ITEM", _("No item with the code %(code)s in the catalogue.")
                % {"code": code})
            ok = False
        if not qty.isdigit() or not 1 <= int(qty) <= 1_000_000:
            bad("quantity", "BAD_QUANTITY", _("Write a whole number of units, at least 1"))
            ok = False
        if price is None:
            bad("unit_price", "BAD_PRICE", _("Write a price in yuan, at most two decimals"))
            ok = False
        if ok and serials and (not items[code].tracked or len(serials) != int(qty)):
            bad("serials", "BAD_SERIALS", _("Give one serial number per unit of a tracked item"))
            ok = False
        if ok:
            lines.append(ReceiptLineIn(item_code=code, quantity=int(qty), unit_price=price,
                                       serials=serials))
    if not rows:
        out.add(None, None, "NO_ROWS", _("The file has no rows to import"))
    out.raise_errors()
    receipt, _created = create(session, user=user, data=ReceiptIn(
        agency_id=agency_id, received_on=received_on, project=project, funder=funder,
        reference=reference, lines=lines))
    return receipt


def totals(session: Session, *, user: User, start: date | None = None, end: date | None = None,
           language: str = "zh-CN") -> dict[str, Any]:
    """Value received (operational receipts the user may see) by project, funder, store,
    category and month, in yuan; ``start`` inclusive, ``end`` exclusive."""
    capabilities.require(user, "supplies.read")
    seen = access.receipts_query(user).with_only_columns(Receipt.id)
    query = select(Receipt.project, Receipt.funder, Receipt.agency_id, Item.category,
                   Receipt.received_on, Movement.quantity * Movement.unit_price_fen).join(
        Movement, Movement.receipt_id == Receipt.id).join(Item, Item.id == Movement.item_id).where(
        Receipt.id.in_(seen), operational(Receipt))
    if start:
        query = query.where(Receipt.received_on >= start)
    if end:
        query = query.where(Receipt.received_on < end)
    by: dict[str, dict[Any, int]] = {k: defaultdict(int) for k in
                                     ("project", "funder", "agency", "category", "month")}
    total = 0
    for project, funder, agency_id, category, on, value in session.execute(query):
        total += value
        by["project"][project or "—"] += value
        by["funder"][funder or "—"] += value
        by["agency"][agency_id] += value
        by["category"][category] += value
        by["month"][on.strftime("%Y-%m")] += value
    names = {a.id: a.display_name(language) for a in session.scalars(
        select(Agency).where(Agency.id.in_(list(by["agency"]) or [0])))}
    return {
        "total_cny": total / 100,
        "by_project": [{"project": k, "value_cny": v / 100} for k, v in
                       sorted(by["project"].items(), key=lambda kv: -kv[1])],
        "by_funder": [{"funder": k, "value_cny": v / 100} for k, v in
                      sorted(by["funder"].items(), key=lambda kv: -kv[1])],
        "by_agency": [{"agency_id": k, "agency": names.get(k, ""), "value_cny": v / 100}
                      for k, v in sorted(by["agency"].items(), key=lambda kv: -kv[1])],
        "by_category": [{"category": k.value, "label": label(k), "value_cny": v / 100}
                        for k, v in sorted(by["category"].items(), key=lambda kv: -kv[1])],
        "by_month": [{"month": k, "value_cny": v / 100} for k, v in sorted(by["month"].items())],
    }
