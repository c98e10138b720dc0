"""One person's whole record, as the person page and the API show it: names, marking,
village, post and household; documents with their validity; the crossings as a timeline;
residence periods, lodgings, permits, employment, marriages, family; risk flags (read-only
here: the flags room writes them) and home visits.

:func:`read` is the only way in: 403 without ``residents.read``, 404 when the person is not
seen, and the read written to ``RecordRead`` with its purpose."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.border.geo.models import BorderPlace
from bastion.core import context
from bastion.core.db import utcnow
from bastion.org import capabilities
from bastion.org.models import Agency, User
from bastion.org.sharing import marking_out, shares_of
from bastion.residents import access
from bastion.residents.crossings.models import Crossing, CrossingPoint
from bastion.residents.flags.models import RiskFlag
from bastion.residents.models import (
    Employment,
    FamilyLink,
    Household,
    Lodging,
    Marriage,
    Permit,
    ResidencePeriod,
    Resident,
    ResidentDocument,
)
from bastion.residents.visits.models import VisitTask

SOON_DAYS = 30  # a document expiring within this many days is shown as "expires soon"
PERSON = ("id", "name", "name_latin", "name_han", "sex", "birth_date", "nationality",
          "ethnic_group", "photo_id", "village_id", "post_agency_id", "household_id", "notes",
          "synthetic", "created_at", "updated_at")


def read(session: Session, *, user: User, resident_id: int, purpose: str,
         **details: object) -> Resident:
    """The person, with the read audited (a purpose is required: 422 naming ``purpose``)."""
    capabilities.require(user, "residents.read")
    resident = access.find_resident(session, user=user, resident_id=resident_id)
    access.audited_read(session, user=user, resident=resident, purpose=purpose, **details)
    session.flush()
    return resident


def _row(obj: Any, skip: tuple[str, ...] = ("resident_id",)) -> dict[str, Any]:
    return {c.name: getattr(obj, c.name) for c in obj.__table__.columns if c.name not in skip}


def validity(expires: date | None, today: date) -> str:
    if expires is None:
        return "open"
    if expires < today:
        return "expired"
    return "expires_soon" if (expires - today).days <= SOON_DAYS else "valid"


def today_local(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(ZoneInfo(context.current().timezone)).date()


def _of(session: Session, model: Any, resident: Resident, *order: Any) -> list[Any]:
    return list(session.scalars(select(model).where(model.resident_id == resident.id)
                                .order_by(*order, model.id)))


def record(session: Session, *, user: User, resident: Resident,
           now: datetime | None = None) -> dict[str, Any]:
    """Everything on the person, plain values (the API's JSON and the page's context)."""
    today = today_local(now)
    person = {k: getattr(resident, k) for k in PERSON}
    person["marking"] = marking_out(
        resident, shares_of(session, resident.record_kind, [resident.id]).get(resident.id, [])
    ).model_dump()
    village = session.get(BorderPlace, resident.village_id) if resident.village_id else None
    post = session.get(Agency, resident.post_agency_id) if resident.post_agency_id else None
    household = session.get(Household, resident.household_id) if resident.household_id else None
    seen = access.residents_query(user)
    members = [] if household is None else [
        {"id": r.id, "name": r.name} for r in session.scalars(seen.where(
            Resident.household_id == household.id, Resident.id != resident.id))]
    documents = []
    for doc in _of(session, ResidentDocument, resident, ResidentDocument.expires.desc()):
        documents.append({**_row(doc), "validity": validity(doc.expires, today)})
    points = {p.id: p for p in session.scalars(select(CrossingPoint))}
    crossings = []
    for c in _of(session, Crossing, resident, Crossing.at.desc()):
        point = points.get(c.point_id) if c.point_id else None
        crossings.append({**_row(c, ("resident_id", "details")),
                          "point": None if point is None else {
                              "id": point.id, "code": point.code, "name_zh": point.name_zh,
                              "name_vi": point.name_vi, "kind": point.kind.value}})
    related = {r.id: r.name for r in session.scalars(seen.where(Resident.id.in_(
        [f.relative_id for f in _of(session, FamilyLink, resident) if f.relative_id]
        + [m.spouse_id for m in _of(session, Marriage, resident) if m.spouse_id])))}
    family = [{**_row(f), "relative": related.get(f.relative_id) if f.relative_id else None}
              for f in _of(session, FamilyLink, resident)]
    marriages = [{**_row(m), "spouse": related.get(m.spouse_id) if m.spouse_id else None}
                 for m in _of(session, Marriage, resident, Marriage.since.desc())]
    permits = [{**_row(p), "validity": validity(p.valid_to, today)
                if p.valid_from is None or p.valid_from <= today else "not_yet"}
               for p in _of(session, Permit, resident, Permit.valid_to.desc())]
    return {
        "person": person,
        "village": None if village is None else {"id": village.id, "name": village.name},
        "post": None if post is None else {"id": post.id, "name": post.name},
        "household": None if household is None else {**_row(household, ("owner_org_id",)),
                                                      "members": members},
        "documents": documents,
        "crossings": crossings,
        "residence": [_row(r) for r in _of(session, ResidencePeriod, resident,
                                           ResidencePeriod.since.desc())],
        "lodgings": [_row(x) for x in _of(session, Lodging, resident, Lodging.registered_at.desc())],
        "permits": permits,
        "employment": [_row(e) for e in _of(session, Employment, resident, Employment.since.desc())],
        "marriages": marriages,
        "family": family,
        "flags": [_row(f) for f in _of(session, RiskFlag, resident, RiskFlag.raised_at.desc())],
        "visits": [_row(v, ("resident_id", "client_id")) for v in _of(
            session, VisitTask, resident, VisitTask.created_at.desc())],
    }
