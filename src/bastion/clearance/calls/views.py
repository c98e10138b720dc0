"""Port-call pages: the agent's declaration and the station's pre-check and clearance."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.datastructures import UploadFile

from bastion.clearance import labels  # noqa: F401  (registers the vocabulary)
from bastion.clearance.calls import service
from bastion.clearance.calls.schemas import PortCallCreate
from bastion.clearance.declarations.validate import FORM_NAMES
from bastion.clearance.workflow import allowed
from bastion.core.bounds import Id
from bastion.core.db import utcnow
from bastion.core.errors import BastionError, Forbidden, NotFound
from bastion.core.i18n import gettext as _
from bastion.org.models import Agency, AgencyKind, Role
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import error_for, field_errors, form_to_dict, read_upload, wall_clock
from bastion.web.templating import render

router = APIRouter(prefix="/clearance", include_in_schema=False)
MAX_UPLOAD = 20 * 2**20


def _stations(session):
    return session.scalars(select(Agency).where(Agency.parent_id.is_(None), Agency.kind.in_(
        [AgencyKind.BORDER_INSPECTION, AgencyKind.CUSTOMS, AgencyKind.MARITIME_SAFETY]))).all()


@router.get("", response_class=HTMLResponse)
def calls(request: Request, session: SessionDep, user: CurrentUser, fragment: bool = False,
          show: str = "open") -> Response:
    """The queue: green channel first, then expedited calls; live over the event stream.
    Open calls by default; finished ones (departed, cancelled, rejected) on request."""
    from bastion.clearance.green.models import Emergency

    show = show if show in ("open", "finished", "all") else "open"
    listed = service.list_calls(session, user=user, limit=200,
                                finished={"open": False, "finished": True}.get(show))
    open_cases = {e.call_id: e for e in session.scalars(select(Emergency).where(
        Emergency.call_id.in_([c.id for c in listed]), Emergency.closed_at.is_(None)))}
    return render(request, "clearance/_call_rows.html" if fragment else "clearance/calls.html",
                  calls=listed, cases=open_cases, is_agent=service.is_agent(user), show=show)


def _partners(session):
    """The other agencies that clear ships and record their own clearance."""
    return [a for a in _stations(session) if a.kind != AgencyKind.BORDER_INSPECTION]


def _terminals(session, stations):
    from bastion.clearance.terminals.service import list_terminals

    return {s.id: list_terminals(session, station_org_id=s.organisation_id) for s in stations
            if s.kind == AgencyKind.BORDER_INSPECTION}


@router.get("/new", response_class=HTMLResponse)
def new_call(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    if not service.is_agent(user):
        raise Forbidden(_("Port calls are declared by shipping agents."))
    stations = _stations(session)
    partners = _partners(session)
    return render(request, "clearance/new.html", form={"participant_ids": [
        str(a.id) for a in partners]}, stations=stations, partners=partners,
        terminals=_terminals(session, stations))


@router.post("/new", response_class=HTMLResponse)
async def create(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    form = await request.form()
    data = form_to_dict(form, lists=("participant_ids",), flags=("combined_entry_exit",))
    payload = {**data, "eta": wall_clock(data.get("eta")), "etd": wall_clock(data.get("etd"))}
    try:
        parsed = PortCallCreate.model_validate({k: v for k, v in payload.items() if v is not None})
        station = session.get(Agency, parsed.station_id)
        participants = [a for a in _partners(session) if a.id in parsed.participant_ids]
        call = service.create_call(session, user=user, station=station, participants=participants,
                                   fields=parsed.model_dump(exclude={"station_id",
                                                                     "participant_ids"}))
    except (ValidationError, BastionError) as exc:
        if isinstance(exc, BastionError) and exc.status_code != 422:
            raise
        session.rollback()
        stations = _stations(session)
        errors = field_errors(exc) if isinstance(exc, ValidationError) else error_for(exc)
        return render(request, "clearance/new.html", status_code=422, form=data, errors=errors,
                      stations=stations, partners=_partners(session),
                      terminals=_terminals(session, stations))
    return RedirectResponse(f"/clearance/{call.id}", status_code=303)


def _page(request, session, user, call, status_code=200, **extra) -> Response:
    from bastion.clearance.green import cases as green
    from bastion.clearance.terminals import service as terminals
    from bastion.clearance.workflow import BEFORE_CLEARED_IN
    from bastion.clearance.workspace import service as workspace

    declarations = workspace.metadata(session, user=user, call=call)
    own_agent = service.is_agent(user) and call.agent_org_id == user.organisation_id
    station_staff = not service.is_agent(user) and \
        user.organisation_id == call.station_org_id and user.has_role(Role.OFFICER)
    case = green.open_case(session, call)
    actions = allowed(call.state, service._actor(user, call),
                      emergency=case is not None and case.kind == "medical") \
        if own_agent or not service.is_agent(user) else []
    clearances = service.agency_clearances(session, call)
    mine = next((c for c in clearances if c["agency_id"] == user.organisation_id), None)
    if not service.is_agent(user) and user.organisation_id != call.station_org_id:
        actions = [a for a in actions if a in ("clear_in", "clear_out")]  # its own only
    if mine is not None:  # an agency that has cleared is not offered the button again
        actions = [a for a in actions if not (a == "clear_in" and mine["cleared_in_at"]) and
                   not (a == "clear_out" and mine["cleared_out_at"])]
    from bastion.org import capabilities

    may_override = station_staff and capabilities.can(user, "portcalls.override")
    return render(request, "clearance/call.html", status_code=status_code, call=call,
                  clearances=clearances, may_override=may_override,
                  blocked=service.blocked_persons(call) if station_staff else [],
                  declarations=declarations, actions=[a for a in actions if a != "precheck"],
                  forms=FORM_NAMES, is_agent=service.is_agent(user),
                  history=service.history(session, call), case=case,
                  cases=green.cases(session, call), slots=terminals.slots_of(session, call),
                  terminal=terminals.terminal_of(session, call), now=utcnow(),
                  may_declare=(own_agent or station_staff) and case is None
                  and call.state in BEFORE_CLEARED_IN,
                  station_staff=station_staff,
                  own_agent=own_agent, precheck=service.precheck_for(session, user=user, call=call),
                  show_reasons=not service.is_agent(user),
                  readable_forms={d.form for d in declarations
                                  if workspace.may_read(user, call, d.form)},
                  earlier_calls=workspace.earlier_calls(session, user=user, call=call), **extra)


@router.get("/{call_id}", response_class=HTMLResponse)
def call_page(request: Request, session: SessionDep, user: CurrentUser, call_id: Id) -> Response:
    return _page(request, session, user, service.get_call(
        session, user=user, call_id=call_id, audited=True, purpose="viewed in web UI"))


@router.post("/{call_id}/upload", response_class=HTMLResponse)
async def upload(request: Request, session: SessionDep, user: CurrentUser,
                 call_id: Id) -> Response:
    call = service.get_call(session, user=user, call_id=call_id)
    form = await request.form()
    upload_file, which = form.get("file"), str(form.get("form") or "crew")
    if not isinstance(upload_file, UploadFile) or not upload_file.filename:
        return _page(request, session, user, call, 422, errors={"file": _("Choose a file.")})
    name = upload_file.filename

    def parse_and_store() -> None:  # in a worker thread: a hostile file never blocks the loop
        service.upload(session, user=user, call=call, form=which,
                       data=read_upload(upload_file, MAX_UPLOAD), filename=name)

    try:
        await run_in_threadpool(parse_and_store)
    except BastionError as exc:
        if exc.status_code != 422:
            raise
        session.rollback()
        return _page(request, session, user, call, 422, errors=error_for(exc),
                     problems=getattr(exc, "errors", []))
    return RedirectResponse(f"/clearance/{call.id}", status_code=303)


GREEN_STEPS = ("declare", "acknowledge", "landing", "documents-completed")


@router.post("/{call_id}/green-channel/{step}", response_class=HTMLResponse)
async def green_channel(request: Request, session: SessionDep, user: CurrentUser, call_id: Id,
                        step: str) -> Response:
    """The green channel from the call page: declare, acknowledge, landing, documents in."""
    from bastion.clearance.green import service as green

    call = service.get_call(session, user=user, call_id=call_id)
    form = await request.form()
    reason = str(form.get("reason") or "").strip()
    try:
        if step == "declare":
            kind = str(form.get("kind") or "")
            persons, problems = _landed_person(form) if kind == "medical" else ([], {})
            if problems:
                return _page(request, session, user, call, 422, errors={"green": "; ".join(
                    f"persons[0].{field}: {message}" for field, message in problems.items())})
            green.declare(session, user=user, call=call, kind=kind, reason=reason,
                          persons=persons,
                          documents_to_follow=form.get("documents_to_follow") == "1")
        elif step == "acknowledge":
            green.acknowledge(session, user=user, call=call)
        elif step == "landing":
            green.record_landing(session, user=user, call=call,
                                 note=str(form.get("note") or "").strip(), reason=reason,
                                 override=form.get("override") == "1")
        elif step == "documents-completed":
            green.complete_documents(session, user=user, call=call)
        else:
            raise NotFound(_("This page does not exist."))
    except BastionError as exc:
        if exc.status_code not in (409, 422):
            raise
        session.rollback()
        return _page(request, session, user, call, exc.status_code,
                     errors={"green": exc.message})
    return RedirectResponse(f"/clearance/{call.id}", status_code=303)


def _landed_person(form) -> tuple[list[dict], dict[str, str]]:
    """The person named on the declare form, checked by the API's schema (a name at least)."""
    from bastion.clearance.calls.schemas import LandedPerson
    from bastion.web.forms import validate

    data = {k: str(form.get(f"person_{k}") or "").strip()
            for k in ("name", "birth_date", "nationality", "document_number")}
    person, problems = validate(LandedPerson, {"name": data["name"], **{
        k: v for k, v in data.items() if v and k != "name"}})
    return ([person.stored()] if person else []), problems


@router.post("/{call_id}/actions/{action}", response_class=HTMLResponse)
async def act(request: Request, session: SessionDep, user: CurrentUser, call_id: Id,
              action: str) -> Response:
    call = service.get_call(session, user=user, call_id=call_id)
    form = await request.form()
    try:
        service.act(session, user=user, call=call, action=action,
                    reason=str(form.get("reason") or "") or None,
                    override=form.get("override") == "1")
    except BastionError as exc:
        if exc.status_code not in (409, 422):
            raise
        session.rollback()
        return _page(request, session, user, call, exc.status_code, errors=error_for(exc))
    return RedirectResponse(f"/clearance/{call.id}", status_code=303)
