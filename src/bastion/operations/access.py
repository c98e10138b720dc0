"""Need-to-know for joint operations: an operation is seen by the organisation that plans it
(the command and its posts) and by the participating agencies (an agency named takes its
units along; a unit named is seen by its own people and by its organisation's top unit).
Everyone else gets a 404. Planning (``operations.plan``) is for the owning organisation only;
a participant works on the tasks its agency owns and writes in the log (``operations.work``).
"""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bastion.core import events
from bastion.core.errors import Forbidden, NotFound
from bastion.core.i18n import gettext as _
from bastion.operations.models import Operation, Participant, Task
from bastion.org import capabilities
from bastion.org.models import User

KIND = Operation.record_kind


def agencies_of(user: User) -> set[int]:
    """The agencies a user speaks for: their unit, its parent and their organisation."""
    return {a for a in (user.agency_id, user.agency.parent_id, user.organisation_id) if a}


def visible(user: User) -> ColumnElement[bool]:
    if not capabilities.can(user, "operations.read"):
        return false()
    return or_(Operation.owner_org_id == user.organisation_id,
               Operation.id.in_(select(Participant.operation_id).where(
                   Participant.agency_id.in_(agencies_of(user)))))


def operations_query(user: User) -> Select[tuple[Operation]]:
    return select(Operation).where(visible(user))


def find(session: Session, *, user: User, operation_id: int) -> Operation:
    operation = session.scalar(operations_query(user).where(Operation.id == operation_id))
    if operation is None:
        raise NotFound(_("No such operation."))
    return operation


def plans(user: User, operation: Operation) -> bool:
    return (capabilities.can(user, "operations.plan")
            and operation.owner_org_id == user.organisation_id)


def require_plans(user: User, operation: Operation) -> None:
    if not plans(user, operation):
        raise Forbidden(_("Only the command planning this operation may change its plan."))


def works_on(user: User, operation: Operation, task: Task) -> bool:
    """The planners, and the people of the agency that owns the task."""
    if plans(user, operation):
        return True
    return (capabilities.can(user, "operations.work")
            and (task.owner_agency_id in agencies_of(user) or task.owner_user_id == user.id))


def _may_see(session: Session, user: User, record_id: int) -> bool:
    return session.scalar(operations_query(user).where(Operation.id == record_id)
                          .with_only_columns(Operation.id)) is not None


events.register_visibility(KIND, _may_see)
