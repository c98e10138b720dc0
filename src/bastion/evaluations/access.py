"""Need-to-know for evaluations.

Who is assessed follows from where a person stands on the duty list (``duty``'s people): a
person at a joint-defence post is an **auxiliary**, a person of a border inspection station a
**party member** (the station keeps its party members on its list). A user sees:

- at a **post**: the auxiliaries of that post;
- at the **command** (the organisation's top): every auxiliary of the organisation;
- at the **station** (supervisors): its party members.

Nobody else sees anything (village committees, shipping agents, partners): the capability is
not theirs (403), and a person outside one's scope is missing (404). A person's scores are
personal data: each read of a person's history is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, select, true
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import events
from bastion.core.errors import NotFound
from bastion.core.i18n import gettext as _
from bastion.duty.rosters import setup as duty
from bastion.evaluations.models import Assessment, Population, RatingOverride
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User

READ = "evaluations.read"


def population_for(user: User) -> Population | None:
    """The population a user's organisation assesses."""
    kind = user.agency.kind
    if kind in (AgencyKind.JOINT_DEFENCE_COMMAND, AgencyKind.JOINT_DEFENCE_POST):
        return Population.AUXILIARY
    if kind in (AgencyKind.BORDER_INSPECTION, AgencyKind.BORDER_INSPECTION_TEAM):
        return Population.PARTY_MEMBER
    return None


def at_top(user: User) -> bool:
    return user.agency_id == user.organisation_id


def scope(model: Any, user: User) -> ColumnElement[bool]:
    """Rows (with ``org_id``, ``population`` and maybe ``unit_id``) the user may see."""
    population = population_for(user)
    if population is None:
        return false()
    where = and_(model.org_id == user.organisation_id, model.population == population)
    if not at_top(user) and hasattr(model, "unit_id"):
        where = and_(where, model.unit_id == user.agency_id)
    return where


def assessments_query(user: User) -> Select[tuple[Assessment]]:
    capabilities.require(user, READ)
    return select(Assessment).where(scope(Assessment, user))


def overrides_query(user: User) -> Select[tuple[RatingOverride]]:
    capabilities.require(user, READ)
    return select(RatingOverride).where(scope(RatingOverride, user))


def people(session: Session, user: User) -> list[Any]:
    """The duty people the user assesses (``duty``'s public person objects)."""
    population = population_for(user)
    if population is None:
        return []
    units = None if at_top(user) else [user.agency_id]
    found = duty.people_of(session, org_id=user.organisation_id, unit_ids=units)
    if population == Population.AUXILIARY:
        posts = set(session.scalars(select(Agency.id).where(
            Agency.kind == AgencyKind.JOINT_DEFENCE_POST)))
        found = [p for p in found if p.unit_id in posts]
    return found


def find_person(session: Session, user: User, person_id: int) -> Any:
    capabilities.require(user, READ)
    for person in people(session, user):
        if person.id == person_id:
            return person
    person = duty.person_by_id(session, person_id)
    # someone no longer active keeps their history for whoever may see it
    if person is not None and not person.active and person.org_id == user.organisation_id and (
            at_top(user) or person.unit_id == user.agency_id):
        population = population_for(user)
        has = session.scalar(select(Assessment.id).where(
            Assessment.person_id == person.id, Assessment.population == population).limit(1))
        if has is not None:
            return person
    raise NotFound(_("No such person among those you assess."))


def audited_listing(session: Session, *, user: User, count: int) -> None:
    """A page of assessments (several persons' scores) read, in the audit log."""
    audit.record(session, action=AuditAction.READ, actor=user, record_kind="duty_person",
                 summary=f"{count} assessments listed")


def audited_read(session: Session, *, user: User, person: Any,
                 assessment_id: int | None = None) -> None:
    """A read of a person's scores (their history, or one assessment) in the audit log."""
    summary = (f"evaluation {assessment_id} of person {person.id} read" if assessment_id
               else f"evaluations history of person {person.id}")
    audit.record(session, action=AuditAction.READ, actor=user, record_kind="duty_person",
                 record_id=person.id, summary=summary)


def _may_see(session: Session, user: User, record_id: int) -> bool:
    if not capabilities.can(user, READ):
        return False
    return session.scalar(select(Assessment.id).where(
        Assessment.id == record_id, scope(Assessment, user), true())) is not None


events.register_visibility(Assessment.record_kind, _may_see)
