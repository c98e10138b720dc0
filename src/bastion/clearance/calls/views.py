"""Port-call pages: the agent's declaration and the station's pre-check and clearance."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.datastructures import UploadFile

from bastion.clearance import labels  # noqa: F401  (registers the vocabulary)
from bastion.clearance.calls import service
from bastion.clearance.calls.models import Declaration
from bastion.clearance.calls.schemas import PortCallCreate
from bastion.clearance.validate import FORM_NAMES
from bastion.clearance.workflow import allowed
from bastion.core import context
from bastion.core.errors import BastionError, Forbidden
from bastion.core.i18n import gettext as _
from bastion.org.models import Agency, AgencyKind
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import error_for, field_errors, form_to_dict
from bastion.web.templating import render

router = APIRouter(prefix="/clearance", include_in_schema=False)


def _stations(session):
    return session.scalars(select(Agency).where(Agency.parent_id.is_(None), Agency.kind.in_(
        [AgencyKind.BORDER_INSPECTION, AgencyKind.CUSTOMS, AgencyKind.MARITIME_SAFETY]))).all()


@router.get("", response_class=HTMLResponse)
def calls(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(request, "clearance/calls.html", calls=service.list_calls(session, user=user),
                  is_agent=service.is_agent(user))


@router.get("/new", response_class=HTMLResponse)
def new_call(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    if not service.is_agent(user):
        raise Forbidden(_("Port calls are declared by shipping agents."))
    return render(request, "clearance/new.html", form={}, stations=_stations(session))


def _local(value: str | None) -> str | None:
    """A datetime-local field is the user's wall clock: attach the user's zone."""
    if not value:
        return None
    naive = datetime.fromisoformat(value)
    return naive.replace(tzinfo=ZoneInfo(context.current().timezone)).isoformat()


@router.post("/new", response_class=HTMLResponse)
async def create(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    form = await request.form()
    data = form_to_dict(form, lists=("participant_ids",))
    payload = {**data, "eta": _local(data.get("eta")), "etd": _local(data.get("etd"))}
    try:
        parsed = PortCallCreate.model_validate({k: v for k, v in payload.items() if v is not None})
        station = session.get(Agency, parsed.station_id)
        participants = [a for a in _stations(session) if a.id != parsed.station_id]
        call = service.create_call(session, user=user, station=station, participants=participants,
                                   fields=parsed.model_dump(exclude={"station_id",
                                                                     "participant_ids"}))
    except ValidationError as exc:
        return render(request, "clearance/new.html", status_code=422, form=data,
                      errors=field_errors(exc), stations=_stations(session))
    return RedirectResponse(f"/clearance/{call.id}", status_code=303)


def _page(request, session, user, call, status_code=200, **extra) -> Response:
    declarations = session.scalars(select(Declaration).where(Declaration.call_id == call.id)
                                   .order_by(Declaration.form, Declaration.version)).all()
    actions = allowed(call.state, service._actor(user, call)) if (
        service.is_agent(user) and call.agent_org_id == user.organisation_id) or \
        not service.is_agent(user) else []
    return render(request, "clearance/call.html", status_code=status_code, call=call,
                  declarations=declarations, actions=[a for a in actions if a != "precheck"],
                  forms=FORM_NAMES, is_agent=service.is_agent(user),
                  history=service.history(session, call), **extra)


@router.get("/{call_id}", response_class=HTMLResponse)
def call_page(request: Request, session: SessionDep, user: CurrentUser, call_id: int) -> Response:
    return _page(request, session, user, service.get_call(session, user=user, call_id=call_id))


@router.post("/{call_id}/upload", response_class=HTMLResponse)
async def upload(request: Request, session: SessionDep, user: CurrentUser,
                 call_id: int) -> Response:
    call = service.get_call(session, user=user, call_id=call_id)
    form = await request.form()
    upload_file, which = form.get("file"), str(form.get("form") or "crew")
    if not isinstance(upload_file, UploadFile) or not upload_file.filename:
        return _page(request, session, user, call, 422, errors={"file": _("Choose a file.")})
    try:
        service.upload(session, user=user, call=call, form=which,
                       data=await upload_file.read(20 * 2**20 + 1), filename=upload_file.filename)
    except BastionError as exc:
        if exc.status_code != 422:
            raise
        session.rollback()
        return _page(request, session, user, call, 422, errors=error_for(exc),
                     problems=getattr(exc, "errors", []))
    return RedirectResponse(f"/clearance/{call.id}", status_code=303)


@router.post("/{call_id}/actions/{action}", response_class=HTMLResponse)
async def act(request: Request, session: SessionDep, user: CurrentUser, call_id: int,
              action: str) -> Response:
    call = service.get_call(session, user=user, call_id=call_id)
    form = await request.form()
    try:
        service.act(session, user=user, call=call, action=action,
                    reason=str(form.get("reason") or "") or None)
    except BastionError as exc:
        if exc.status_code not in (409, 422):
            raise
        session.rollback()
        return _page(request, session, user, call, exc.status_code, errors=error_for(exc))
    return RedirectResponse(f"/clearance/{call.id}", status_code=303)
