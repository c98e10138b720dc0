"""The audit log over the API, for administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict

from bastion.audit import service
from bastion.audit.models import AuditAction
from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageParams, from_rows, page_params
from bastion.web.deps import AuditReader, SessionDep

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


class AuditEntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    at: datetime
    action: AuditAction
    actor_name: str | None
    agency_id: int | None
    record_kind: str | None
    record_id: int | None
    summary: str
    reason: str | None
    client_ip: str | None


AuditPage = Page[AuditEntryPublic]
AuditPageParams = Annotated[PageParams, Depends(page_params(default=100, maximum=1000))]


def _filter(actor: str | None, action: AuditAction | None, record_kind: str | None,
            record_id: int | None, since: datetime | None,
            until: datetime | None) -> service.AuditFilter:
    return service.AuditFilter(actor=actor, action=action, record_kind=record_kind,
                               record_id=record_id, since=since, until=until)


@router.get("", response_model=AuditPage)
def list_entries(session: SessionDep, user: AuditReader, page: AuditPageParams,
                 actor: str | None = None,
                 action: AuditAction | None = None, record_kind: str | None = None,
                 record_id: Id | None = None, since: AwareDatetime | None = None,
                 until: AwareDatetime | None = None) -> AuditPage:
    flt = _filter(actor, action, record_kind, record_id, since, until)
    rows, total = service.search(session, flt=flt, limit=page.limit, offset=page.offset)
    return from_rows(rows, total, page, AuditEntryPublic.model_validate)


@router.get("/export.csv")
def export_csv(session: SessionDep, user: AuditReader, actor: str | None = None,
               action: AuditAction | None = None, record_kind: str | None = None,
               record_id: Id | None = None, since: AwareDatetime | None = None,
               until: AwareDatetime | None = None) -> StreamingResponse:
    flt = _filter(actor, action, record_kind, record_id, since, until)
    service.record(session, action=AuditAction.EXPORT, actor=user, record_kind="audit_log",
                   summary="audit export", detail={k: str(v) for k, v in vars(flt).items() if v})
    lines = list(service.to_csv(service.iter_all(session, flt=flt)))
    return StreamingResponse(iter(lines), media_type="text/csv; charset=utf-8", headers={
        "content-disposition": "attachment; filename=bastion-audit.csv"})
