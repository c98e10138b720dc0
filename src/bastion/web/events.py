"""Server-sent events: the bus, filtered to what the connected user may see."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from sse_starlette.sse import EventSourceResponse

from bastion.core.bus import get_bus
from bastion.core.db import read_sessions
from bastion.core.errors import NotAuthenticated
from bastion.core.events import Event, may_see
from bastion.core.i18n import gettext as _
from bastion.org.models import User
from bastion.web.deps import _load_user

router = APIRouter(tags=["events"])


def _resolve(request: Request) -> User | None:
    with read_sessions(request.app.state.sessionmaker)() as session:
        return _load_user(session, request)


def _visible(request: Request, event: Event) -> bool | None:
    """Whether the caller may see the event, judged as of now; None when the caller's session
    or token was revoked, the account deactivated, or its role changed it away."""
    with read_sessions(request.app.state.sessionmaker)() as session:
        user = _load_user(session, request)
        if user is None:
            return None
        return may_see(session, user, event)


@router.get("/events/stream")
async def stream(request: Request, unnamed: bool = False) -> EventSourceResponse:
    """Live events for the caller (cookie or bearer). Each SSE ``event`` is the event kind;
    with ``unnamed=1`` events come as plain messages (the kind is in the data), for a page
    that listens to every kind it may see (the workbench) without naming each one."""
    user = await run_in_threadpool(_resolve, request)
    if user is None:
        raise NotAuthenticated(_("Please log in."))

    async def events() -> AsyncIterator[dict[str, str]]:
        async with get_bus().subscribe() as queue:
            yield {"event": "ready", "data": "{}"}
            while True:
                event = await queue.get()
                visible = await run_in_threadpool(_visible, request, event)
                if visible is None:
                    return  # logged out or revoked: the stream ends
                if visible:
                    yield {
                        **({} if unnamed else {"event": event.kind}),
                        "id": str(event.id),
                        "data": json.dumps({"kind": event.kind, "record_kind": event.record_kind,
                                            "record_id": event.record_id,
                                            "at": event.at.isoformat()}),
                    }

    return EventSourceResponse(events(), ping=15)
