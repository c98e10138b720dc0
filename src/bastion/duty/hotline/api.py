"""REST API of the hotline: take a call (idempotent by ``client_id``: a replay answers 200
with ``"duplicate": true``), act on it, list and read it, record it in the duty log.
Capabilities and need-to-know are checked in the service."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, paginate
from bastion.duty.hotline import service
from bastion.duty.hotline.models import CallKind, CallLanguage, CallStatus
from bastion.duty.hotline.schemas import ActionIn, CallDetail, CallIn, CallOut
from bastion.web.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1/duty/hotline", tags=["duty"])


@router.post("", status_code=201)
def take(data: CallIn, response: Response, session: SessionDep,
         user: CurrentUser) -> dict[str, Any]:
    """A call taken on the 24-hour line; ``due_at`` follows from its ``kind``
    (``duty/data/hotline.json``). ``open_log_entry`` also records it in the duty log."""
    call, created = service.take(session, user=user, data=data)
    response.status_code = 201 if created else 200
    return {**service.detail(session, call).model_dump(mode="json"), "duplicate": not created}


@router.get("", response_model=Page[CallOut])
def calls(session: SessionDep, user: CurrentUser, page: PageDep,
          status: CallStatus | None = None, kind: CallKind | None = None,
          language: CallLanguage | None = None, overdue: bool | None = None) -> Page[CallOut]:
    """Open calls first by deadline, then closed ones; ``overdue`` keeps the open calls past
    their deadline (true) or the others (false)."""
    query = service.list_query(user, status=status, kind=kind, language=language,
                               overdue=overdue)
    return paginate(session, query, page, service.public)


@router.get("/{call_id}", response_model=CallDetail)
def call(call_id: Id, session: SessionDep, user: CurrentUser) -> CallDetail:
    return service.detail(session, service.get(session, user=user, call_id=call_id))


@router.post("/{call_id}/actions", response_model=CallDetail)
def act(call_id: Id, data: ActionIn, session: SessionDep, user: CurrentUser) -> CallDetail:
    """accept, assign (``assignee_id``), note, callback, close (``outcome``), reopen (``note``);
    409 naming the state when the action is not allowed in it."""
    return service.detail(session, service.act(session, user=user, call_id=call_id, data=data))


@router.post("/{call_id}/log-entry", status_code=201)
def log_entry(call_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Record the call in the duty log (``duty.log.write``); 409 when it already is."""
    call = service.get(session, user=user, call_id=call_id)
    entry = service.open_log_entry(session, user=user, call=call)
    return {"log_entry_id": entry.id, "hotline_call_id": call.id}
