"""Pages: the station's terminals (profiles kept by supervisors) and its inspection agenda."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from bastion.clearance import labels  # noqa: F401  (registers the vocabulary)
from bastion.clearance.terminals import service
from bastion.clearance.terminals.api import TerminalIn
from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.errors import BastionError
from bastion.org import capabilities
from bastion.tides import names as tide_names
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import error_for, field_errors, form_to_dict
from bastion.web.templating import render

router = APIRouter(prefix="/clearance", include_in_schema=False)


def _terminals_page(request, session, user, status_code=200, **extra) -> Response:
    return render(request, "clearance/terminals.html", status_code=status_code,
                  terminals=service.list_terminals(session, station_org_id=user.organisation_id),
                  tide_stations=tide_names.picker(), tide_station_label=tide_names.label_of,
                  tide_station_id=tide_names.resolved_id,
                  may_edit=capabilities.can(user, "terminals.manage"), **{"form": {}, "errors": {}, **extra})


@router.get("/terminals", response_class=HTMLResponse)
def terminals(request: Request, session: SessionDep, user: CurrentUser,
              edit: Id | None = None) -> Response:
    """``?edit=ID`` fills the form with that terminal's whole profile, so a change to one
    field never resets the others."""
    if edit is None:
        return _terminals_page(request, session, user)
    terminal = service.get_terminal(session, user=user, terminal_id=edit)
    form = TerminalIn.model_validate(terminal, from_attributes=True).model_dump()
    return _terminals_page(request, session, user, form={**form, "terminal_id": terminal.id})


@router.post("/terminals", response_class=HTMLResponse)
async def save_terminal(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    form = await request.form()
    data = form_to_dict(form, flags=("active",))
    data["working_days"] = "".join(sorted(form.getlist("working_days"))) or "12345"
    existing = data.pop("terminal_id", None)
    try:
        parsed = TerminalIn.model_validate(data)
        terminal = service.get_terminal(session, user=user, terminal_id=int(existing)) \
            if existing else None
        service.save_terminal(session, user=user, fields=parsed.model_dump(), terminal=terminal)
    except (ValidationError, BastionError) as exc:
        if isinstance(exc, BastionError) and exc.status_code not in (409, 422):
            raise
        session.rollback()
        errors = field_errors(exc) if isinstance(exc, ValidationError) else error_for(exc)
        return _terminals_page(request, session, user, 422, form={**data, "terminal_id": existing},
                               errors=errors)
    return RedirectResponse("/clearance/terminals", status_code=303)


@router.get("/agenda", response_class=HTMLResponse)
def agenda(request: Request, session: SessionDep, user: CurrentUser,
           day: date | None = None) -> Response:
    """Two days of booked inspections, green channel first within each hour."""
    zone = ZoneInfo(context.current().timezone)
    first = day or datetime.now(zone).date()
    start = datetime.combine(first, time(0), zone).astimezone(UTC)
    rows = service.agenda(session, station_org_id=user.organisation_id, start=start,
                          end=start + timedelta(days=2))
    return render(request, "clearance/agenda.html", rows=rows, day=first,
                  previous=first - timedelta(days=1), following=first + timedelta(days=1))
