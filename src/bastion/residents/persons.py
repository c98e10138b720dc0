"""What hangs on a person, written through one function each kind: documents, family links,
marriages, residence periods, lodging registrations, permits, employment; households; the
photo (an attachment on the person). Each write is seen through the person (404 when unseen,
403 without ``residents.write``), audited, and ends with ``service.changed``."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.attachments import service as attachments
from bastion.attachments import sniff
from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core.errors import Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.org import capabilities
from bastion.org.models import User
from bastion.residents import access, service
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
from bastion.residents.schemas import (
    DocumentIn,
    EmploymentIn,
    FamilyLinkIn,
    HouseholdIn,
    LodgingIn,
    MarriageIn,
    PermitIn,
    ResidenceIn,
)

# the kind of record in the API's path -> (model, payload, the word in the audit summary)
PARTS: dict[str, tuple[type[Any], type[BaseModel], str]] = {
    "documents": (ResidentDocument, DocumentIn, "document"),
    "family": (FamilyLink, FamilyLinkIn, "family_link"),
    "marriages": (Marriage, MarriageIn, "marriage"),
    "residence": (ResidencePeriod, ResidenceIn, "residence"),
    "lodgings": (Lodging, LodgingIn, "lodging"),
    "permits": (Permit, PermitIn, "permit"),
    "employment": (Employment, EmploymentIn, "employment"),
}


def _other_person(session: Session, user: User, resident_id: int | None, field: str) -> None:
    """A relative or spouse named by id must be someone the user sees."""
    if resident_id is None:
        return
    try:
        access.find_resident(session, user=user, resident_id=resident_id)
    except NotFound:
        raise Invalid(_("There is no such person."), field=field) from None


# the kinds a page or the API may edit or end, and the field that ends each
ENDS = {"residence": "until", "permits": "valid_to", "employment": "until", "marriages": "until"}
_STARTS = {"residence": "since", "permits": "valid_from", "employment": "since",
           "marriages": "since"}


def _check_refs(session: Session, user: User, part: str, values: dict[str, Any]) -> None:
    """What a record names must be something the user sees (422 naming the field)."""
    if part == "family":
        _other_person(session, user, values["relative_id"], "relative_id")
    if part == "marriages":
        _other_person(session, user, values["spouse_id"], "spouse_id")
    if part == "residence" and values["village_id"] is not None:
        service._village(session, user, values["village_id"])


def _one(session: Session, resident: Resident, part: str, record_id: int) -> Any:
    model = PARTS[part][0]
    row = session.get(model, record_id)
    if row is None or row.resident_id != resident.id:
        raise NotFound(_("No such record."))
    return row


def add(session: Session, *, user: User, resident: Resident, part: str,
        data: BaseModel) -> Any:
    """One record of kind ``part`` (a key of :data:`PARTS`) on ``resident``."""
    capabilities.require(user, "residents.write")
    model, _schema, what = PARTS[part]
    values = data.model_dump()
    _check_refs(session, user, part, values)
    row = model(resident_id=resident.id, **values)
    session.add(row)
    session.flush()
    service.written(session, user=user, resident=resident, what=what, record_id=row.id)
    return row


def change(session: Session, *, user: User, resident: Resident, part: str, record_id: int,
           data: BaseModel) -> Any:
    """Replace one record's values (a residence period, permit, employment or marriage:
    :data:`ENDS`); audited with the names of the fields that changed."""
    capabilities.require(user, "residents.write")
    if part not in ENDS:
        raise NotFound(_("No such record."))
    row = _one(session, resident, part, record_id)
    values = data.model_dump()
    _check_refs(session, user, part, values)
    before = {k: getattr(row, k) for k in values}
    for key, value in values.items():
        setattr(row, key, value)
    session.flush()
    service.written(session, user=user, resident=resident, what=PARTS[part][2],
                    record_id=row.id, action=AuditAction.UPDATE,
                    fields=sorted(k for k, v in before.items() if getattr(row, k) != v))
    return row


def end(session: Session, *, user: User, resident: Resident, part: str, record_id: int,
        on: date) -> Any:
    """End a residence period, permit, employment or marriage on ``on`` (its last day); 422
    naming the end field when that is before the start."""
    capabilities.require(user, "residents.write")
    if part not in ENDS:
        raise NotFound(_("No such record."))
    row = _one(session, resident, part, record_id)
    start = getattr(row, _STARTS[part])
    if start is not None and on < start:
        raise Invalid(_("The end date is before the start date."), field=ENDS[part])
    setattr(row, ENDS[part], on)
    session.flush()
    service.written(session, user=user, resident=resident, what=PARTS[part][2],
                    record_id=row.id, action=AuditAction.UPDATE, fields=[ENDS[part]])
    return row


def remove(session: Session, *, user: User, resident: Resident, part: str,
           record_id: int) -> None:
    """Delete one record of a person (a mistaken entry); audited with what it held."""
    capabilities.require(user, "residents.write")
    model, _schema, what = PARTS[part]
    row = _one(session, resident, part, record_id)
    held = {c.name: str(getattr(row, c.name)) for c in model.__table__.columns}
    session.delete(row)
    session.flush()
    audit.record(session, action=AuditAction.DELETE, actor=user, record_kind=service.KIND,
                 record_id=resident.id, summary=f"resident {resident.id}: {what} removed",
                 detail={"record": what, "held": held})
    service.changed(session, resident=resident)


# --- households -----------------------------------------------------------------------------

def households_query(user: User) -> Any:
    """Households of the user's organisation (members are seen through the persons)."""
    capabilities.require(user, "residents.read")
    return select(Household).where(Household.owner_org_id == user.organisation_id).order_by(
        Household.code, Household.id)


def create_household(session: Session, *, user: User, data: HouseholdIn) -> Household:
    capabilities.require(user, "residents.write")
    if data.village_id is not None:
        service._village(session, user, data.village_id)
    household = Household(owner_org_id=user.organisation_id, **data.model_dump())
    session.add(household)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind="resident_household",
                 record_id=household.id, summary=f"household {household.id}")
    return household


def household_members(session: Session, *, user: User, household_id: int) -> list[Resident]:
    return list(session.scalars(access.residents_query(user).where(
        Resident.household_id == household_id).order_by(Resident.name)))


def households_for(session: Session, *, user: User, resident: Resident) -> list[Household]:
    """The households a person may join on the page: the organisation's, in their village."""
    return list(session.scalars(households_query(user).where(
        Household.village_id == resident.village_id).limit(200)))


def set_household(session: Session, *, user: User, resident: Resident,
                  household_id: int | None) -> Resident:
    """Put the person in a household of the user's organisation (or in none)."""
    capabilities.require(user, "residents.write")
    service._household(session, user, household_id)
    before = resident.household_id
    resident.household_id = household_id
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=service.KIND,
                 record_id=resident.id, summary=f"resident {resident.id}: household changed",
                 detail={"record": "household", "from": before, "to": household_id})
    service.changed(session, resident=resident)
    return resident


def new_household(session: Session, *, user: User, resident: Resident,
                  data: HouseholdIn) -> Household:
    """A new household in the person's village (unless another is named), the person in it."""
    if data.village_id is None:
        data = data.model_copy(update={"village_id": resident.village_id})
    household = create_household(session, user=user, data=data)
    set_household(session, user=user, resident=resident, household_id=household.id)
    return household


# --- photo ----------------------------------------------------------------------------------

# A face photo needs neither more than a phone's sensor gives nor a thumbnail's few pixels;
# the attachment kit's own bomb limit (50 Mpx) is for scans.
PHOTO_MAX_BYTES = 5 * 2**20
PHOTO_MAX_SIDE = 8000
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_MIN_SIDE = 64


def _may_attach(session: Session, user: User, record_id: int) -> None:
    service.for_writing(session, user=user, resident_id=record_id)


attachments.register_owner(service.KIND, _may_attach)


def check_photo(data: bytes, filename: str = "") -> sniff.Sniffed:
    """A photo is a PNG or JPEG of sane size, read from its bytes (not its name or the
    client's type) before anything is stored: 413 over the size, 422 naming ``file``."""
    found = attachments.checked(data, filename, PHOTO_MAX_BYTES)
    if found.content_type not in (sniff.PNG, sniff.JPEG) or not found.width or not found.height:
        raise Invalid(_("A photo must be a PNG or JPEG image."), field="file")
    w, h = found.width, found.height
    if max(w, h) > PHOTO_MAX_SIDE or w * h > PHOTO_MAX_PIXELS:
        raise Invalid(_("The photo is too large: {width} x {height} pixels (at most {side} "
                        "pixels a side).").format(width=w, height=h, side=PHOTO_MAX_SIDE),
                      field="file")
    if min(w, h) < PHOTO_MIN_SIDE:
        raise Invalid(_("The photo is too small: {width} x {height} pixels (at least {side} "
                        "pixels a side).").format(width=w, height=h, side=PHOTO_MIN_SIDE),
                      field="file")
    return found


def set_photo(session: Session, *, user: User, resident: Resident, filename: str, data: bytes,
              max_bytes: int = PHOTO_MAX_BYTES) -> Any:
    """The person's photo: checked first (:func:`check_photo`), then stored as an attachment
    on the person; the earlier photo stays among the person's files."""
    capabilities.require(user, "residents.write")
    check_photo(data, filename)
    attachment = attachments.add(session, user=user, record_kind=service.KIND,
                                 record_id=resident.id, filename=filename, data=data,
                                 max_bytes=min(max_bytes, PHOTO_MAX_BYTES))
    resident.photo_id = attachment.id
    service.written(session, user=user, resident=resident, what="photo",
                    record_id=attachment.id, action=AuditAction.UPDATE)
    return attachment


# --- the list ------------------------------------------------------------------------------

def list_query(session: Session, *, user: User, q: str = "", village_id: int | None = None,
               post_agency_id: int | None = None) -> tuple[Any, list[Any] | None]:
    """Persons the user sees, by name: ``(query, None)`` ordered by name, or, once R3's
    ``residents.names.search`` is merged and a name is asked for, ``(None, matches)`` best
    first (one person however written)."""
    capabilities.require(user, "residents.read")
    q = q.strip()
    query = access.residents_query(user)
    if village_id is not None:
        query = query.where(Resident.village_id == village_id)
    if post_agency_id is not None:
        query = query.where(Resident.post_agency_id == post_agency_id)
    if q:
        try:
            from bastion.residents import names
        except ImportError:
            names = None  # type: ignore[assignment]
        if names is not None and hasattr(names, "search"):
            allowed = None if village_id is None and post_agency_id is None else set(
                session.scalars(query.with_only_columns(Resident.id)))
            matches = [m for m in names.search(session, user=user, query=q, limit=100)
                       if allowed is None or m.resident.id in allowed]
            return None, matches
        like = f"%{q.replace('%', '').replace('_', '')}%"
        from sqlalchemy import or_

        query = query.where(or_(Resident.name.ilike(like), Resident.name_latin.ilike(like),
                                Resident.name_han.ilike(like)))
    return query.order_by(Resident.name, Resident.id), None
