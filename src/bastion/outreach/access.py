"""Need-to-know for legal outreach: a **post** sees (and records) the visits to its linked
villages that it made; the **command** sees every visit of its organisation; a **village
committee** reads the visits to its own village (its ``AreaAssignment`` of kind village);
nobody else sees anything (403 without the function, 404 for a visit out of sight)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, select
from sqlalchemy.orm import Session

from bastion.core import events
from bastion.core.errors import NotFound
from bastion.core.i18n import gettext as _
from bastion.core.marking import AreaAssignment
from bastion.org import capabilities
from bastion.org.models import AgencyKind, User
from bastion.outreach.models import OutreachVisit

READ = "outreach.read"


def in_sight(user: User) -> ColumnElement[bool]:
    kind = user.agency.kind
    if kind == AgencyKind.VILLAGE_COMMITTEE:
        return OutreachVisit.village_id.in_(select(AreaAssignment.area_id).where(
            AreaAssignment.agency_id == user.agency_id, AreaAssignment.area_kind == "village"))
    if kind == AgencyKind.JOINT_DEFENCE_POST:
        return OutreachVisit.post_agency_id == user.agency_id
    if kind == AgencyKind.JOINT_DEFENCE_COMMAND:
        return OutreachVisit.org_id == user.organisation_id
    return false()


def visits_query(user: User) -> Select[tuple[OutreachVisit]]:
    capabilities.require(user, READ)
    return select(OutreachVisit).where(in_sight(user))


def find(session: Session, *, user: User, visit_id: int) -> OutreachVisit:
    row = session.scalar(visits_query(user).where(OutreachVisit.id == visit_id))
    if row is None:
        raise NotFound(_("No such outreach visit."))
    return row


def _may_see(session: Session, user: User, record_id: int) -> bool:
    return capabilities.can(user, READ) and session.scalar(
        select(OutreachVisit.id).where(OutreachVisit.id == record_id, in_sight(user))) is not None


events.register_visibility(OutreachVisit.record_kind, _may_see)
