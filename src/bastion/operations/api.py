"""REST API of joint operations (``/api/v1/operations``)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from pydantic import Field

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.patrols.schemas import PlanIn
from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, paginate_all
from bastion.duty.rosters.schemas import CellIn
from bastion.operations import service, xlsx
from bastion.operations.schemas import (
    LinkIn,
    LinkOut,
    LogIn,
    LogOut,
    OperationIn,
    OperationOut,
    OperationSummary,
    ParticipantIn,
    PostIn,
    TaskIn,
    TaskOut,
    TaskStatusIn,
)
from bastion.org import capabilities
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1/operations", tags=["operations"])
Phase = Literal["upcoming", "under_way", "ended"]


@router.get("", response_model=Page[OperationSummary])
def operations(session: SessionDep, user: CurrentUser, page: PageDep,
               phase: Phase | None = None) -> Page[OperationSummary]:
    """The operations the caller's agency plans or takes part in, the latest first."""
    return paginate_all(session, service.list_query(user, phase_=phase), page,
                        lambda rows: service.summaries(session, list(rows)))


@router.post("", status_code=201, response_model=OperationOut)
def create(data: OperationIn, session: SessionDep, user: CurrentUser) -> OperationOut:
    operation = service.create(session, user=user, data=data)
    return service.detail(session, user=user, operation=operation)


@router.get("/{operation_id}", response_model=OperationOut)
def read(operation_id: Id, session: SessionDep, user: CurrentUser) -> OperationOut:
    operation = service.get(session, user=user, operation_id=operation_id)
    return service.detail(session, user=user, operation=operation)


@router.post("/{operation_id}/participants", status_code=201, response_model=OperationOut)
def add_participant(operation_id: Id, data: ParticipantIn, session: SessionDep,
                    user: CurrentUser) -> OperationOut:
    operation = service.get(session, user=user, operation_id=operation_id)
    service.add_participant(session, user=user, operation=operation, data=data)
    return service.detail(session, user=user, operation=operation)


@router.post("/{operation_id}/posts", status_code=201, response_model=OperationOut)
def add_post(operation_id: Id, data: PostIn, session: SessionDep,
             user: CurrentUser) -> OperationOut:
    operation = service.get(session, user=user, operation_id=operation_id)
    service.add_post(session, user=user, operation=operation, data=data)
    return service.detail(session, user=user, operation=operation)


@router.post("/{operation_id}/tasks", status_code=201, response_model=TaskOut)
def add_task(operation_id: Id, data: TaskIn, session: SessionDep, user: CurrentUser) -> TaskOut:
    operation = service.get(session, user=user, operation_id=operation_id)
    task = service.add_task(session, user=user, operation=operation, data=data)
    return next(t for t in service.detail(session, user=user, operation=operation).tasks_list
                if t.id == task.id)


@router.post("/{operation_id}/tasks/{task_id}/status", response_model=TaskOut)
def task_status(operation_id: Id, task_id: Id, data: TaskStatusIn, session: SessionDep,
                user: CurrentUser) -> TaskOut:
    """Move a task along (to do, under way, done): its agency's people and the planners."""
    capabilities.require(user, "operations.work")
    operation = service.get(session, user=user, operation_id=operation_id)
    task = service.set_task_status(session, user=user, operation=operation, task_id=task_id,
                                   status=data.status)
    return next(t for t in service.detail(session, user=user, operation=operation).tasks_list
                if t.id == task.id)


@router.get("/{operation_id}/log", response_model=Page[LogOut])
def log(operation_id: Id, session: SessionDep, user: CurrentUser, page: PageDep) -> Page[LogOut]:
    operation = service.get(session, user=user, operation_id=operation_id)
    return paginate_all(session, service.log_query(operation), page,
                        lambda rows: service.log_out(session, list(rows)))


@router.post("/{operation_id}/log", status_code=201, response_model=LogOut)
def write_log(operation_id: Id, data: LogIn, session: SessionDep, user: CurrentUser) -> LogOut:
    """Append to the log (entries are never changed or deleted)."""
    capabilities.require(user, "operations.work")
    operation = service.get(session, user=user, operation_id=operation_id)
    return service.log_out(session, [service.add_log(session, user=user, operation=operation,
                                                     data=data)])[0]


@router.post("/{operation_id}/links", status_code=201, response_model=LinkOut)
def link(operation_id: Id, data: LinkIn, session: SessionDep, user: CurrentUser) -> LinkOut:
    """Link a border patrol or a duty roster (with the extra duty) the planner may see."""
    operation = service.get(session, user=user, operation_id=operation_id)
    made = service.add_link(session, user=user, operation=operation, data=data)
    return next(x for x in service.detail(session, user=user, operation=operation).links
                if x.id == made.id)


@router.post("/{operation_id}/patrols", status_code=201, response_model=LinkOut)
def plan_patrol(operation_id: Id, data: PlanIn, session: SessionDep,
                user: CurrentUser) -> LinkOut:
    """Plan a border patrol for the operation (through border's service) and link it."""
    operation = service.get(session, user=user, operation_id=operation_id)
    made = service.plan_patrol(session, user=user, operation=operation, data=data)
    return next(x for x in service.detail(session, user=user, operation=operation).links
                if x.id == made.id)


class DutyIn(CellIn):
    roster_id: Id
    note: str = Field(default="", max_length=500)


@router.post("/{operation_id}/duty", status_code=201, response_model=LinkOut)
def add_duty(operation_id: Id, data: DutyIn, session: SessionDep, user: CurrentUser,
             settings: SettingsDep) -> LinkOut:
    """Add an extra duty (a cell on a duty roster, through duty's service) and link the roster."""
    operation = service.get(session, user=user, operation_id=operation_id)
    cell = CellIn(**data.model_dump(exclude={"roster_id", "note"}))
    made = service.add_duty(session, user=user, operation=operation, roster_id=data.roster_id,
                            data=cell, zone=settings.timezone, note=data.note)
    return next(x for x in service.detail(session, user=user, operation=operation).links
                if x.id == made.id)


@router.get("/{operation_id}/export.xlsx")
def export(operation_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    operation = service.get(session, user=user, operation_id=operation_id)
    detail = service.detail(session, user=user, operation=operation)
    log = service.log_out(session, list(session.scalars(service.log_query(operation))))
    audit.record(session, action=AuditAction.EXPORT, actor=user, record_kind=service.KIND,
                 record_id=operation.id, summary=f"operation {operation.id} exported")
    return Response(xlsx.workbook(detail, log), media_type=xlsx.MEDIA_TYPE, headers={
        "content-disposition": f"attachment; filename=operation-{operation.id}.xlsx"})
