"""Writing markings: the checks and share rows every shared record type reuses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bastion.core.bounds import Id
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.marking import ALLOWED_DISTRIBUTIONS, TLP, Distribution, MarkedMixin, RecordShare
from bastion.org.models import Agency, User


class MarkingIn(BaseModel):
    """The marking part of a create/update payload."""

    tlp: TLP = TLP.AMBER
    distribution: Distribution = Distribution.OWN
    agency_ids: list[Id] = Field(default_factory=list, description="named agencies (GREEN/AMBER)")
    recipient_ids: list[Id] = Field(default_factory=list, description="named people (RED)")
    personal: bool = False
    area_kind: str | None = Field(default=None, pattern=r"^[a-z][a-z_]{1,39}$",
                                  description="tie to an area (e.g. segment): only the units "
                                              "responsible for it, and those given no areas")
    area_id: Id | None = None


class MarkingOut(BaseModel):
    tlp: TLP
    distribution: Distribution
    agency_ids: list[int]
    recipient_ids: list[int]
    personal: bool
    area_kind: str | None = None
    area_id: int | None = None


def check_marking(session: Session, marking: MarkingIn) -> tuple[list[Agency], list[User]]:
    """Reject combinations that TLP 2.0 does not allow, and unknown agencies or people."""
    if marking.distribution not in ALLOWED_DISTRIBUTIONS[marking.tlp]:
        allowed = ", ".join(sorted(d.value for d in ALLOWED_DISTRIBUTIONS[marking.tlp]))
        raise Invalid(
            _("TLP:{tlp} allows only this distribution: {allowed}.").format(
                tlp=marking.tlp.value.upper(), allowed=allowed),
            field="distribution",
        )
    agencies: list[Agency] = []
    if marking.distribution == Distribution.NAMED and marking.tlp != TLP.RED:
        if not marking.agency_ids:
            raise Invalid(_("Name at least one agency to share with."), field="agency_ids")
        agencies = list(session.scalars(select(Agency).where(Agency.id.in_(marking.agency_ids))))
        if len(agencies) != len(set(marking.agency_ids)):
            raise Invalid(_("One of the named agencies does not exist."), field="agency_ids")
    recipients: list[User] = []
    if marking.tlp == TLP.RED:
        if not marking.recipient_ids:
            raise Invalid(_("TLP:RED needs named recipients."), field="recipient_ids")
        recipients = list(session.scalars(select(User).where(User.id.in_(marking.recipient_ids))))
        if len(recipients) != len(set(marking.recipient_ids)):
            raise Invalid(_("One of the named recipients does not exist."), field="recipient_ids")
    return agencies, recipients


def apply_marking(session: Session, record: MarkedMixin, marking: MarkingIn) -> None:
    """Set the marking columns and replace the share rows of a flushed record."""
    agencies, recipients = check_marking(session, marking)
    if (marking.area_kind is None) != (marking.area_id is None):
        raise Invalid(_("Give both the kind of area and its number, or neither."),
                      field="area_id" if marking.area_kind else "area_kind")
    if marking.area_kind is not None and not hasattr(record, "area_kind"):
        raise Invalid(_("This kind of record is not tied to areas."), field="area_kind")
    if hasattr(record, "area_kind"):
        record.area_kind, record.area_id = marking.area_kind, marking.area_id
    record.tlp = marking.tlp
    record.distribution = marking.distribution
    record.personal = marking.personal
    record_id = record.id  # type: ignore[attr-defined]
    session.execute(delete(RecordShare).where(RecordShare.record_kind == record.record_kind,
                                              RecordShare.record_id == record_id))
    # Shares name organisations: sharing with a unit shares with its whole organisation.
    for org_id in sorted({a.organisation_id for a in agencies}):
        session.add(RecordShare(record_kind=record.record_kind, record_id=record_id,
                                agency_id=org_id))
    for user in recipients:
        session.add(RecordShare(record_kind=record.record_kind, record_id=record_id,
                                user_id=user.id))
    session.flush()


def shares_of(session: Session, kind: str, ids: Iterable[int]) -> dict[int, list[RecordShare]]:
    rows: Sequence[RecordShare] = session.scalars(
        select(RecordShare).where(RecordShare.record_kind == kind,
                                  RecordShare.record_id.in_(list(ids)))).all()
    found: dict[int, list[RecordShare]] = {}
    for row in rows:
        found.setdefault(row.record_id, []).append(row)
    return found


def marking_out(record: MarkedMixin, shares: list[RecordShare]) -> MarkingOut:
    return MarkingOut(
        tlp=record.tlp, distribution=record.distribution, personal=record.personal,
        agency_ids=[s.agency_id for s in shares if s.agency_id is not None],
        recipient_ids=[s.user_id for s in shares if s.user_id is not None],
        area_kind=getattr(record, "area_kind", None), area_id=getattr(record, "area_id", None),
    )
