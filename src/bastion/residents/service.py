"""The registry's writes on a person: register, change, record a crossing; and
:func:`changed`, which every write to a person's records ends with (the flags are recomputed,
an event tells the live pages). Services never commit; they audit and emit in the request's
transaction.

Marking on registration (CONTRACT-14): GREEN, NAMED to the village committees given the
person's village as an area (so a committee sees its own villagers) and any agencies the
registrar names; TLP:AMBER (the registering organisation's officers) when the registrar asks.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.geo.models import BorderPlace, BorderPost, PlaceKind, PostVillage
from bastion.core import events
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.marking import TLP, AreaAssignment, Distribution, visible_to
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User
from bastion.org.sharing import MarkingIn, apply_marking
from bastion.residents import access
from bastion.residents.crossings import points
from bastion.residents.crossings.models import Crossing, CrossingSource
from bastion.residents.models import Household, Resident, ResidentDocument
from bastion.residents.schemas import CrossingIn, ResidentIn

KIND = Resident.record_kind
PERSON_FIELDS = ("name", "name_latin", "name_han", "sex", "birth_date", "nationality",
                 "ethnic_group", "village_id", "post_agency_id", "household_id", "notes")


# --- helpers other modules of the registry share -------------------------------------------

def for_writing(session: Session, *, user: User, resident_id: int,
                capability: str = "residents.write") -> Resident:
    """A person the user may write on (403 without the function) and sees (404)."""
    capabilities.require(user, capability)
    return access.find_resident(session, user=user, resident_id=resident_id)


def written(session: Session, *, user: User, resident: Resident, what: str, record_id: int,
            action: AuditAction = AuditAction.CREATE, fields: list[str] | None = None) -> None:
    """Audit one write on a person's records ("resident 12: document added"; an edit with
    the fields it changed), then :func:`changed`."""
    verb = "added" if action == AuditAction.CREATE else "changed"
    detail: dict[str, Any] = {"record": what, "id": record_id}
    if fields is not None:
        detail["changed"] = fields
    audit.record(session, action=action, actor=user, record_kind=KIND, record_id=resident.id,
                 summary=f"resident {resident.id}: {what} {verb}", detail=detail)
    events.emit(session, kind=f"resident.{what}.{verb}", actor_id=user.id, record_kind=KIND,
                record_id=resident.id, payload={"id": record_id})
    changed(session, resident=resident)


def changed(session: Session, *, resident: Resident) -> None:
    """Every write to a person's records ends here: the risk flags are recomputed (R2's
    ``residents.flags.service.recompute``, once it is there)."""
    resident.updated_at = datetime.now(UTC)
    session.flush()
    try:
        from bastion.residents.flags import service as flags
    except ImportError:  # the flags room not merged yet
        return
    recompute = getattr(flags, "recompute", None)
    if recompute is not None:
        recompute(session, resident=resident)


def _name_keys(data: ResidentIn) -> list[str]:
    try:
        from bastion.residents import names
    except ImportError:  # the names room not merged yet
        return []
    return list(names.keys(data.name, name_latin=data.name_latin, name_han=data.name_han))


def similar(session: Session, *, user: User, name: str, birth_date: Any = None,
            exclude: int | None = None) -> list[dict[str, Any]]:
    """Persons the user sees who may be the one being registered: R3's
    ``residents.names.similar`` once merged; until then the same name or Latin spelling."""
    try:
        from bastion.residents import names
    except ImportError:
        names = None  # type: ignore[assignment]
    if names is not None and hasattr(names, "similar"):
        matches = names.similar(session, user=user, name=name, birth_date=birth_date)
        out = [{"resident": m.resident, "score": m.score, "why": m.why,
                "reasons": m.reasons()} for m in matches]
    else:
        text = name.strip()
        rows = session.scalars(access.residents_query(user).where(or_(
            func.lower(Resident.name) == text.lower(),
            func.lower(Resident.name_latin) == text.lower(),
            Resident.name_han == text)).limit(10))
        out = [{"resident": r, "score": 1.0, "why": [{"message": "same_written", "params": {}}],
                "reasons": [_("Same name as written.")]} for r in rows]
    return [m for m in out if m["resident"].id != exclude]


# --- checks on what a form names ----------------------------------------------------------

def _village(session: Session, user: User, village_id: int | None) -> BorderPlace | None:
    if village_id is None:
        return None
    place = session.scalar(select(BorderPlace).where(
        BorderPlace.id == village_id, BorderPlace.kind == PlaceKind.VILLAGE,
        visible_to(BorderPlace, user)))
    if place is None:
        raise Invalid(_("There is no such village."), field="village_id")
    return place


def _post(session: Session, user: User, data: ResidentIn) -> int | None:
    if data.post_agency_id is not None:
        agency = session.get(Agency, data.post_agency_id)
        if agency is None or agency.kind != AgencyKind.JOINT_DEFENCE_POST or not agency.active:
            raise Invalid(_("There is no such post."), field="post_agency_id")
        return agency.id
    if user.agency.kind == AgencyKind.JOINT_DEFENCE_POST:
        return user.agency_id
    if data.village_id is None:
        return None
    return session.scalar(select(BorderPost.agency_id).join(
        PostVillage, PostVillage.post_id == BorderPost.id).where(
        PostVillage.place_id == data.village_id).order_by(BorderPost.id).limit(1))


def _household(session: Session, user: User, household_id: int | None) -> None:
    if household_id is None:
        return
    household = session.get(Household, household_id)
    if household is None or household.owner_org_id != user.organisation_id:
        raise Invalid(_("There is no such household."), field="household_id")


def committees_of(session: Session, village_id: int | None) -> list[int]:
    """The village committees given ``village_id`` as their area."""
    if village_id is None:
        return []
    return list(session.scalars(select(AreaAssignment.agency_id).join(
        Agency, Agency.id == AreaAssignment.agency_id).where(
        AreaAssignment.area_kind == "village", AreaAssignment.area_id == village_id,
        Agency.kind == AgencyKind.VILLAGE_COMMITTEE).order_by(AreaAssignment.agency_id)))


def mark(session: Session, resident: Resident, *, amber: bool,
         agency_ids: list[int] | None = None) -> None:
    named = sorted({*committees_of(session, resident.village_id), *(agency_ids or [])})
    if amber:  # the registering organisation's officers, and whoever the registrar names
        marking = MarkingIn(tlp=TLP.AMBER, distribution=Distribution.NAMED if agency_ids
                            else Distribution.OWN, agency_ids=sorted(set(agency_ids or [])))
    else:
        marking = MarkingIn(tlp=TLP.GREEN, distribution=Distribution.NAMED if named
                            else Distribution.OWN, agency_ids=named)
    apply_marking(session, resident, marking)


# --- register, change ---------------------------------------------------------------------

def register(session: Session, *, user: User, data: ResidentIn,
             synthetic: bool = False) -> Resident:
    """A new person; ``resident.warnings`` holds the possible duplicates found before."""
    capabilities.require(user, "residents.write")
    if data.client_id is not None:
        again = session.scalar(select(Resident).where(Resident.client_id == str(data.client_id)))
        if again is not None:
            return access.find_resident(session, user=user, resident_id=again.id)
    _village(session, user, data.village_id)
    _household(session, user, data.household_id)
    warnings = similar(session, user=user, name=data.name, birth_date=data.birth_date)
    resident = Resident(
        client_id=str(data.client_id) if data.client_id else None,
        **{k: getattr(data, k) for k in PERSON_FIELDS if k != "post_agency_id"},
        post_agency_id=_post(session, user, data), name_keys=_name_keys(data),
        owner_org_id=user.organisation_id, created_by_id=user.id, synthetic=synthetic)
    session.add(resident)
    session.flush()
    mark(session, resident, amber=data.amber, agency_ids=list(data.agency_ids))
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=resident.id, summary=f"resident {resident.id}",
                 detail={"duplicates_shown": [m["resident"].id for m in warnings]})
    events.emit(session, kind="resident.registered", actor_id=user.id, record_kind=KIND,
                record_id=resident.id, payload={"village_id": resident.village_id})
    changed(session, resident=resident)
    resident.warnings = warnings  # type: ignore[attr-defined]
    # Screened against the watchlists at registration (and at each crossing below); hits
    # are stored for review with the person as their source.
    resident.screening = _screen(session, user=user, resident=resident,  # type: ignore[attr-defined]
                                 context=f"resident {resident.id} registered")
    return resident


def update(session: Session, *, user: User, resident: Resident, data: ResidentIn) -> Resident:
    capabilities.require(user, "residents.write")
    _village(session, user, data.village_id)
    if data.household_id != resident.household_id:
        _household(session, user, data.household_id)
    before = {k: getattr(resident, k) for k in PERSON_FIELDS}
    for key in PERSON_FIELDS:
        if key != "post_agency_id":
            setattr(resident, key, getattr(data, key))
    if data.post_agency_id is not None or data.village_id != before["village_id"]:
        resident.post_agency_id = _post(session, user, data) or before["post_agency_id"]
    resident.name_keys = _name_keys(data)
    if resident.village_id != before["village_id"] and resident.tlp == TLP.GREEN:
        mark(session, resident, amber=False)  # the new village's committee, not the old one
    session.flush()
    names = sorted(k for k, v in before.items() if getattr(resident, k) != v)
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=resident.id, summary=f"resident {resident.id}",
                 detail={"changed": names})
    events.emit(session, kind="resident.changed", actor_id=user.id, record_kind=KIND,
                record_id=resident.id, payload={"changed": names})
    changed(session, resident=resident)
    return resident


# --- crossings ----------------------------------------------------------------------------

def add_crossing(session: Session, *, user: User, resident: Resident, data: CrossingIn,
                 source: CrossingSource = CrossingSource.POST) -> Crossing:
    """A crossing entered by a post: the point is recognised (code, Chinese or Vietnamese
    name), anything else is kept as a non-designated path. A replayed ``client_id`` answers
    the stored crossing."""
    capabilities.require(user, "residents.crossings.record")
    if data.client_id is not None:
        again = session.scalar(select(Crossing).where(Crossing.client_id == str(data.client_id)))
        if again is not None and again.resident_id == resident.id:
            again.replayed = True  # type: ignore[attr-defined]
            return again
        if again is not None:
            raise Invalid(_("This id is already used for another crossing."), field="client_id")
    document = None
    if data.document_id is not None:
        document = session.get(ResidentDocument, data.document_id)
        if document is None or document.resident_id != resident.id:
            raise Invalid(_("This person has no such document."), field="document_id")
    elif data.doc_number:
        document = session.scalar(select(ResidentDocument).where(
            ResidentDocument.resident_id == resident.id,
            ResidentDocument.number == data.doc_number).order_by(ResidentDocument.id.desc()))
    point = points.recognise(session, data.crossing_point)
    crossing = Crossing(
        client_id=str(data.client_id) if data.client_id else None, resident_id=resident.id,
        at=data.at, direction=data.direction, point_id=point.id if point else None,
        path="" if point else data.crossing_point, designated=point is not None,
        document_id=document.id if document else None,
        doc_number=data.doc_number or (document.number if document else ""), source=source,
        recorded_by_id=user.id, post_agency_id=resident.post_agency_id,
        details={"as_written": data.crossing_point})
    session.add(crossing)
    session.flush()
    written(session, user=user, resident=resident, what="crossing", record_id=crossing.id)
    _screen(session, user=user, resident=resident,
            context=f"resident {resident.id} crossing {crossing.id}")
    return crossing


def _screen(session: Session, *, user: User, resident: Resident, context: str) -> list:
    """The person's names against the watchlists (``residents.names.screen``)."""
    from bastion.residents import names

    return names.screen(session, resident=resident, user=user, context=context)
