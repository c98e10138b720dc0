"""The workbench page, and its sections re-read live when the event stream says so."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bastion.clearance import labels as _clearance_labels  # noqa: F401  (registers words)
from bastion.maritime import labels as _maritime_labels  # noqa: F401
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.templating import render
from bastion.workbench import service

router = APIRouter(include_in_schema=False)


@router.get("/workbench", response_class=HTMLResponse)
def page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    board = service.gather(session, user=user, audited=True)
    return render(request, "workbench/page.html", board=board)


@router.get("/workbench/sections", response_class=HTMLResponse)
def sections(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(request, "workbench/_sections.html", board=service.gather(session, user=user))
