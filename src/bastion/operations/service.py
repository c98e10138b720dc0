"""Joint operations: planned by a command, worked on by the participating agencies.

The command (``operations.plan``, of the owning organisation) sets the period, the area, the
agencies taking part, the posts and the tasks, and adds patrols and duty: a border patrol
planned through ``border.patrols.plans`` or an existing one linked, a duty roster with the
extra duty linked (``duty.rosters.service`` checks that the planner may see it). A
participant (``operations.work``) moves its agency's tasks along and writes in the log. The
log is append-only; a task done writes its own line. Services never commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shapely.geometry import shape
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import BastionError, Forbidden, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy, local_time
from bastion.core.labels import register_labels
from bastion.notifications.service import Holders, notify
from bastion.operations import access
from bastion.operations.models import (
    Link,
    LinkKind,
    LogEntry,
    Operation,
    Participant,
    Post,
    Task,
    TaskStatus,
)
from bastion.operations.schemas import (
    LinkIn,
    LinkOut,
    LogIn,
    LogOut,
    OperationIn,
    OperationOut,
    OperationSummary,
    ParticipantIn,
    ParticipantOut,
    PostIn,
    PostOut,
    TaskIn,
    TaskOut,
)
from bastion.org import capabilities
from bastion.org.models import PRIVATE_KINDS, Agency, User

KIND = Operation.record_kind
TASK_TITLE = lazy("Joint operation {operation}: a task for your agency")
TASK_BODY = lazy("{task} (due {due})")


def phase(operation: Operation, now: datetime | None = None) -> str:
    now = now or utcnow()
    if now < operation.starts_at:
        return "upcoming"
    return "ended" if now >= operation.ends_at else "under_way"


def list_query(user: User, *, phase_: str | None = None) -> Select[tuple[Operation]]:
    capabilities.require(user, "operations.read")
    query = access.operations_query(user)
    now = utcnow()
    if phase_ == "upcoming":
        query = query.where(Operation.starts_at > now)
    elif phase_ == "under_way":
        query = query.where(Operation.starts_at <= now, Operation.ends_at > now)
    elif phase_ == "ended":
        query = query.where(Operation.ends_at <= now)
    return query.order_by(Operation.starts_at.desc(), Operation.id.desc())


def get(session: Session, *, user: User, operation_id: int) -> Operation:
    capabilities.require(user, "operations.read")
    return access.find(session, user=user, operation_id=operation_id)


def check_area(area: dict[str, Any] | None) -> dict[str, Any] | None:
    """A GeoJSON Polygon or MultiPolygon (a Feature of one is unwrapped), valid and in range."""
    if area is None:
        return None
    geometry = area.get("geometry") if area.get("type") == "Feature" else area
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon",
                                                                      "MultiPolygon"):
        raise Invalid(_("The area is a GeoJSON Polygon or MultiPolygon."), field="area")
    try:
        figure = shape(geometry)
        bounds = figure.bounds
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as error:
        raise Invalid(_("The area is not a valid polygon."), field="area") from error
    if (figure.is_empty or not figure.is_valid or bounds[0] < -180 or bounds[2] > 180
            or bounds[1] < -90 or bounds[3] > 90):
        raise Invalid(_("The area is not a valid polygon."), field="area")
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}


def _agency(session: Session, agency_id: int, field: str) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None or not agency.active or agency.kind in PRIVATE_KINDS:
        raise Invalid(_("There is no agency %(id)s to take part.") % {"id": agency_id},
                      field=field)
    return agency


def _participant_ids(session: Session, operation: Operation) -> set[int]:
    return set(session.scalars(select(Participant.agency_id).where(
        Participant.operation_id == operation.id)))


def _emit(session: Session, operation: Operation, kind: str, user: User | None,
          **payload: Any) -> None:
    events.emit(session, kind=kind, actor_id=user.id if user else None, record_kind=KIND,
                record_id=operation.id, payload=payload)


def create(session: Session, *, user: User, data: OperationIn) -> Operation:
    capabilities.require(user, "operations.plan")
    if data.ends_at <= data.starts_at:
        raise Invalid(_("The end must come after the start."), field="ends_at")
    area = check_area(data.area)
    # Every agency named is checked before anything is written: a page that re-renders the
    # refusal (its request then commits) must not leave half an operation behind.
    for i, item in enumerate(data.participants):
        _agency(session, item.agency_id, f"participants[{i}].agency_id")
    for i, post in enumerate(data.posts):
        if post.agency_id is not None:
            _agency(session, post.agency_id, f"posts[{i}].agency_id")
    operation = Operation(name=data.name, description=data.description,
                          starts_at=data.starts_at, ends_at=data.ends_at,
                          area=area, exercise=data.exercise,
                          owner_org_id=user.organisation_id, created_by_id=user.id)
    session.add(operation)
    session.flush()
    for i, item in enumerate(data.participants):
        add_participant(session, user=user, operation=operation, data=item,
                        field=f"participants[{i}].agency_id")
    for i, item in enumerate(data.posts):
        add_post(session, user=user, operation=operation, data=item,
                 field=f"posts[{i}].agency_id")
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=operation.id, summary=f"operation {operation.id} planned")
    _emit(session, operation, "operation.created", user)
    return operation


def add_participant(session: Session, *, user: User, operation: Operation,
                    data: ParticipantIn, field: str = "agency_id") -> Participant:
    access.require_plans(user, operation)
    _agency(session, data.agency_id, field)
    found = session.scalar(select(Participant).where(Participant.operation_id == operation.id,
                                                     Participant.agency_id == data.agency_id))
    if found is not None:
        found.role = data.role or found.role
        return found
    row = Participant(operation_id=operation.id, agency_id=data.agency_id, role=data.role)
    session.add(row)
    session.flush()
    # An agency taking part sees the operation: who widened it, and when, is on the record.
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=operation.id,
                 summary=f"operation {operation.id}: agency {data.agency_id} taking part")
    return row


def add_post(session: Session, *, user: User, operation: Operation, data: PostIn,
             field: str = "agency_id") -> Post:
    access.require_plans(user, operation)
    if data.agency_id is not None:
        _agency(session, data.agency_id, field)
    row = Post(operation_id=operation.id, **data.model_dump())
    session.add(row)
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=operation.id, summary=f"operation {operation.id}: post {row.id} added")
    _emit(session, operation, "operation.changed", user, post=row.id)
    return row


def _owner_in_operation(session: Session, operation: Operation, agency_id: int) -> bool:
    """The owning organisation's units, and the participants and their units."""
    agency = session.get(Agency, agency_id)
    if agency is None:
        return False
    mine = {agency.id, agency.parent_id, agency.organisation_id}
    return (operation.owner_org_id in mine
            or bool(_participant_ids(session, operation) & mine))


def add_task(session: Session, *, user: User, operation: Operation, data: TaskIn) -> Task:
    access.require_plans(user, operation)
    if not _owner_in_operation(session, operation, data.owner_agency_id):
        raise Invalid(_("The task's agency does not take part in the operation."),
                      field="owner_agency_id")
    if data.owner_user_id is not None:
        person = session.get(User, data.owner_user_id)
        if person is None or not person.active or not _owner_in_operation(
                session, operation, person.agency_id):
            raise Invalid(_("This person does not take part in the operation."),
                          field="owner_user_id")
    task = Task(operation_id=operation.id, title=data.title,
                owner_agency_id=data.owner_agency_id, owner_user_id=data.owner_user_id,
                due_at=data.due_at)
    session.add(task)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=operation.id, summary=f"task {task.id} added")
    _emit(session, operation, "operation.task", user, task=task.id, status=task.status.value)
    notify(session, recipients=[Holders("operations.work", data.owner_agency_id)]
           + ([data.owner_user_id] if data.owner_user_id else []),
           title=TASK_TITLE, body=TASK_BODY, sender=user, exercise=operation.exercise,
           params={"operation": operation.name, "task": task.title,
                   "due": local_time(task.due_at) if task.due_at else "-"},
           link=f"/operations/{operation.id}", record_kind=KIND, record_id=operation.id)
    return task


def _task(session: Session, operation: Operation, task_id: int) -> Task:
    task = session.scalar(select(Task).where(Task.id == task_id,
                                             Task.operation_id == operation.id))
    if task is None:
        raise NotFound(_("No such task."))
    return task


def set_task_status(session: Session, *, user: User, operation: Operation, task_id: int,
                    status: TaskStatus) -> Task:
    task = _task(session, operation, task_id)
    if not access.works_on(user, operation, task):
        raise Forbidden(_("This task belongs to another agency."))
    if task.status == status:
        return task
    task.status = status
    if status == TaskStatus.DONE:
        task.done_at, task.done_by_id = utcnow(), user.id
        session.add(LogEntry(operation_id=operation.id, author_id=user.id,
                             agency_id=user.agency_id,
                             text=_("Task done: %(title)s") % {"title": task.title}))
    else:
        task.done_at = task.done_by_id = None
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=operation.id, summary=f"task {task.id} {status.value}")
    _emit(session, operation, "operation.task", user, task=task.id, status=status.value)
    return task


def add_log(session: Session, *, user: User, operation: Operation, data: LogIn) -> LogEntry:
    capabilities.require(user, "operations.work")
    entry = LogEntry(operation_id=operation.id, author_id=user.id, agency_id=user.agency_id,
                     text=data.text)
    session.add(entry)
    session.flush()
    _emit(session, operation, "operation.logged", user, entry=entry.id)
    return entry


def log_query(operation: Operation) -> Select[tuple[LogEntry]]:
    return (select(LogEntry).where(LogEntry.operation_id == operation.id)
            .order_by(LogEntry.at.desc(), LogEntry.id.desc()))


def _linked(session: Session, user: User, kind: LinkKind, ref_id: int,
            ) -> tuple[str, str] | None:
    """The linked record's label and page, if the user may see it (through its domain)."""
    if kind == LinkKind.PATROL:
        from bastion.border.patrols import service as patrols

        patrol = patrols.find_visible(session, user=user, patrol_id=ref_id)
        if patrol is None:
            return None
        when = patrol.planned_start or patrol.started_at
        return (_("Patrol %(id)s") % {"id": patrol.id}
                + (f" · {local_time(when)}" if when else ""),
                f"/border/patrols/{patrol.id}")
    from bastion.duty.rosters import service as rosters

    try:
        roster = rosters.get(session, user=user, roster_id=ref_id)
    except BastionError:
        return None
    return (_("Duty roster: %(name)s") % {"name": roster.name}, f"/duty/rosters/{roster.id}")


def add_link(session: Session, *, user: User, operation: Operation, data: LinkIn) -> Link:
    access.require_plans(user, operation)
    if _linked(session, user, data.kind, data.ref_id) is None:
        raise Invalid(_("There is no such record for you to link."), field="ref_id")
    found = session.scalar(select(Link).where(Link.operation_id == operation.id,
                                              Link.kind == data.kind,
                                              Link.ref_id == data.ref_id))
    if found is not None:
        return found
    link = Link(operation_id=operation.id, kind=data.kind, ref_id=data.ref_id, note=data.note,
                created_by_id=user.id)
    session.add(link)
    session.flush()
    _emit(session, operation, "operation.changed", user, link=link.id)
    return link


def plan_patrol(session: Session, *, user: User, operation: Operation, data: Any) -> Link:
    """A border patrol planned for the operation through border's own service, then linked."""
    access.require_plans(user, operation)
    from bastion.border.patrols import plans

    patrol, _created = plans.plan(session, user=user, data=data)
    return add_link(session, user=user, operation=operation,
                    data=LinkIn(kind=LinkKind.PATROL, ref_id=patrol.id,
                                note=_("Planned for the operation")))


def add_duty(session: Session, *, user: User, operation: Operation, roster_id: int,
             data: Any, zone: str, note: str = "") -> Link:
    """An extra duty for the operation: a cell added to a duty roster through duty's own
    service (its rules checked there), and the roster linked."""
    access.require_plans(user, operation)
    from bastion.duty.rosters import service as rosters

    rosters.add_cell(session, user=user, roster_id=roster_id, data=data, zone=zone)
    return add_link(session, user=user, operation=operation, data=LinkIn(
        kind=LinkKind.ROSTER, ref_id=roster_id, note=note or _("Extra duty for the operation")))


# --- what clients get -------------------------------------------------------------------

def _names(session: Session, ids: set[int], model: Any) -> dict[int, Any]:
    ids = {i for i in ids if i}
    return {r.id: r for r in session.scalars(select(model).where(model.id.in_(ids)))} if ids \
        else {}


def _counts(session: Session, ids: list[int]) -> dict[int, tuple[int, int]]:
    if not ids:
        return {}
    rows = session.execute(select(
        Task.operation_id, func.count(), func.count().filter(Task.status == TaskStatus.DONE))
        .where(Task.operation_id.in_(ids)).group_by(Task.operation_id))
    return {r[0]: (r[1], r[2]) for r in rows}


def summaries(session: Session, operations: list[Operation]) -> list[OperationSummary]:
    counts = _counts(session, [o.id for o in operations])
    owners = _names(session, {o.owner_org_id for o in operations}, Agency)
    return [OperationSummary(
        id=o.id, name=o.name, starts_at=o.starts_at, ends_at=o.ends_at, phase=phase(o),
        exercise=o.exercise, owner_org=owners[o.owner_org_id].name if o.owner_org_id in owners
        else "", tasks=counts.get(o.id, (0, 0))[0], tasks_done=counts.get(o.id, (0, 0))[1])
        for o in operations]


def task_out(task: Task, *, user: User, operation: Operation, agencies: dict[int, Agency],
             people: dict[int, User], now: datetime) -> TaskOut:
    return TaskOut(
        id=task.id, title=task.title, owner_agency_id=task.owner_agency_id,
        owner_agency=agencies[task.owner_agency_id].name
        if task.owner_agency_id in agencies else "",
        owner_user_id=task.owner_user_id, due_at=task.due_at, status=task.status,
        done_at=task.done_at,
        done_by=people[task.done_by_id].display_name if task.done_by_id in people else None,
        overdue=task.status != TaskStatus.DONE and task.due_at is not None and now > task.due_at,
        may_work=access.works_on(user, operation, task))


def detail(session: Session, *, user: User, operation: Operation) -> OperationOut:
    participants = list(session.scalars(select(Participant).where(
        Participant.operation_id == operation.id).order_by(Participant.id)))
    posts = list(session.scalars(select(Post).where(Post.operation_id == operation.id)
                                 .order_by(Post.id)))
    tasks = list(session.scalars(select(Task).where(Task.operation_id == operation.id)
                                 .order_by(Task.due_at.is_(None), Task.due_at, Task.id)))
    links = list(session.scalars(select(Link).where(Link.operation_id == operation.id)
                                 .order_by(Link.id)))
    agencies = _names(session, {p.agency_id for p in participants}
                      | {p.agency_id for p in posts if p.agency_id}
                      | {t.owner_agency_id for t in tasks}, Agency)
    people = _names(session, {t.done_by_id for t in tasks if t.done_by_id}, User)
    now = utcnow()
    linked = []
    for link in links:
        seen = _linked(session, user, link.kind, link.ref_id)
        linked.append(LinkOut(id=link.id, kind=link.kind, ref_id=link.ref_id, note=link.note,
                              label=seen[0] if seen else "", href=seen[1] if seen else None))
    summary = summaries(session, [operation])[0]
    return OperationOut(
        **summary.model_dump(), description=operation.description, area=operation.area,
        may_plan=access.plans(user, operation),
        participants=[ParticipantOut(agency_id=p.agency_id, agency=agencies[p.agency_id].name,
                                     role=p.role) for p in participants],
        posts=[PostOut(id=p.id, name=p.name, agency_id=p.agency_id,
                       agency=agencies[p.agency_id].name if p.agency_id in agencies else None,
                       lat=p.lat, lon=p.lon, staff=p.staff, note=p.note) for p in posts],
        tasks_list=[task_out(t, user=user, operation=operation, agencies=agencies,
                             people=people, now=now) for t in tasks],
        links=linked)


def log_out(session: Session, entries: list[LogEntry]) -> list[LogOut]:
    people = _names(session, {e.author_id for e in entries}, User)
    agencies = _names(session, {e.agency_id for e in entries}, Agency)
    return [LogOut(id=e.id, at=e.at, author=people[e.author_id].display_name,
                   agency=agencies[e.agency_id].name, text=e.text) for e in entries]


# The enum's words, also a vocabulary: the audit page shows "task 7 done" in the reader's words.
register_labels(TaskStatus, namespace="operation_task_status",
                labels={TaskStatus.TODO.value: lazy("To do"),
                                    TaskStatus.DOING.value: lazy("Under way"),
                                    TaskStatus.DONE.value: lazy("Done")})
register_labels(LinkKind, labels={LinkKind.PATROL.value: lazy("Patrol"),
                                  LinkKind.ROSTER.value: lazy("Duty roster")})
register_labels(namespace="operation_phase", labels={
    "upcoming": lazy("Upcoming"), "under_way": lazy("Under way"), "ended": lazy("Ended")})
register_labels(namespace="record_kind", labels={KIND: lazy("Joint operation")})
