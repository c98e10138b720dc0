"""Need-to-know for hazards, one place for every page and API of the domain.

A hazard is a marked record of the command's organisation (GREEN to all land-border partners
by default; a smuggling trail is intelligence, AMBER: officers only, so auxiliaries and
village committees see only the trails they reported themselves). On top of the marking:

- a **post** sees the hazards of its own area (``post_agency_id``) and those it reported or
  was given a work order for; the **command** (the organisation's top unit) sees all of its
  organisation's hazards; partners (border police, army, public security) read by marking;
- a **village committee** sees only its own reports (``reported_by_agency_id``);
- port agencies and shipping agents hold no hazard capability at all (403), and a hazard a
  user may not see is a 404.

Surveys follow the same rule (by post), without the village committee (camera points are not
theirs to see).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, false, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bastion.attachments import service as attachments
from bastion.core import events
from bastion.core.errors import NotFound
from bastion.core.i18n import gettext as _
from bastion.core.marking import visible_to
from bastion.hazards.models import Hazard, Survey, WorkOrder
from bastion.org import capabilities
from bastion.org.models import AgencyKind, User


def is_village(user: User) -> bool:
    return user.agency.kind == AgencyKind.VILLAGE_COMMITTEE


def commands(user: User, owner_org_id: int) -> bool:
    """The command of the hazard's organisation (triage, orders, verification)."""
    return capabilities.can(user, "hazards.command") and user.organisation_id == owner_org_id


def _in_unit(model: Any, user: User, *extra: ColumnElement[bool]) -> ColumnElement[bool]:
    if user.agency_id == user.organisation_id:  # the command (or a partner's top unit)
        return true()
    return or_(model.owner_org_id != user.organisation_id,
               model.post_agency_id == user.agency_id, *extra)


def hazards_query(user: User) -> Select[tuple[Hazard]]:
    """Every hazard the user may read (none without ``hazards.read``)."""
    if not capabilities.can(user, "hazards.read"):
        return select(Hazard).where(false())
    if is_village(user):
        return select(Hazard).where(Hazard.reported_by_agency_id == user.agency_id,
                                    visible_to(Hazard, user))
    ordered = Hazard.id.in_(select(WorkOrder.hazard_id).where(
        WorkOrder.assignee_agency_id == user.agency_id))
    mine = Hazard.reported_by_agency_id == user.agency_id
    return select(Hazard).where(visible_to(Hazard, user),
                                _in_unit(Hazard, user, ordered, mine))


def find_hazard(session: Session, *, user: User, hazard_id: int) -> Hazard:
    found = session.scalar(hazards_query(user).where(Hazard.id == hazard_id))
    if found is None:
        raise NotFound(_("No such hazard."))
    return found


def surveys_query(user: User) -> Select[tuple[Survey]]:
    if not capabilities.can(user, "hazards.surveys.read"):
        return select(Survey).where(false())
    return select(Survey).where(or_(Survey.created_by_id == user.id,
                                    and_(visible_to(Survey, user), _in_unit(Survey, user))))


def find_survey(session: Session, *, user: User, survey_id: int) -> Survey:
    found = session.scalar(surveys_query(user).where(Survey.id == survey_id))
    if found is None:
        raise NotFound(_("No such survey."))
    return found


# --- the live stream and attachments ask the same question ---------------------------------

def _may_see_hazard(session: Session, user: User, record_id: int) -> bool:
    return session.scalar(hazards_query(user).where(Hazard.id == record_id)
                          .with_only_columns(Hazard.id)) is not None


def _may_see_survey(session: Session, user: User, record_id: int) -> bool:
    return session.scalar(surveys_query(user).where(Survey.id == record_id)
                          .with_only_columns(Survey.id)) is not None


def _may_attach(session: Session, user: User, record_id: int) -> None:
    """Photos: whoever may see the hazard and report or work hazards."""
    if not _may_see_hazard(session, user, record_id):
        raise NotFound(_("No such record."))
    if not (capabilities.can(user, "hazards.report") or capabilities.can(user, "hazards.work")):
        capabilities.require(user, "hazards.report")


events.register_visibility(Hazard.record_kind, _may_see_hazard)
events.register_visibility(Survey.record_kind, _may_see_survey)
attachments.register_owner(Hazard.record_kind, _may_attach)
