"""REST API of the workbench: the same parts as the page, as JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from bastion.web.deps import CurrentUser, SessionDep
from bastion.workbench import service

router = APIRouter(prefix="/api/v1", tags=["workbench"])


@router.get("/workbench")
def workbench(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """What needs the duty officer now. A part the caller may not read is ``null``; the
    ``alarms`` are the items that sound the alarm on the page when they are new."""
    return service.as_json(service.gather(session, user=user, audited=True))
