"""REST API of port calls: agents declare, the station pre-checks and clears."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response, UploadFile

from bastion.clearance.calls import service
from bastion.clearance.calls.schemas import (
    ActionIn,
    DeclarationPublic,
    EmergencyPublic,
    GreenChannelIn,
    LandingIn,
    PortCallCreate,
    PortCallPublic,
    RowsIn,
    SlotPublic,
)
from bastion.clearance.declarations.validate import FORM_NAMES
from bastion.clearance.green import service as green
from bastion.clearance.workflow import State
from bastion.core.bounds import Id
from bastion.core.errors import Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.pagination import Page, PageDep, fetch, from_list, from_rows, paginate
from bastion.org import service as org
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1/port-calls", tags=["port clearance"])
MAX_UPLOAD = 20 * 2**20
Purpose = Annotated[str | None, Header(alias="X-Purpose", max_length=500)]


@router.get("", response_model=Page[PortCallPublic])
def list_calls(session: SessionDep, user: CurrentUser, page: PageDep, state: State | None = None,
               finished: Annotated[bool | None, Query(
                   description="true: departed, cancelled, rejected; false: the rest")] = None,
               purpose: Purpose = None) -> Page[PortCallPublic]:
    """Queue order: green channel, expedited, the rest, finished calls last; one page at a
    time (a station's whole register is too much for one answer)."""
    calls, total = fetch(session, service.calls_query(user=user, state=state,
                                                      finished=finished), page)
    service.audit_listing(session, user=user, calls=calls, purpose=purpose)
    lists = service.readable_lists(session, user=user) if calls else set()
    return from_rows(calls, total, page, lambda call: _public(session, call, user, lists))


@router.post("", response_model=PortCallPublic, status_code=201)
def create_call(data: PortCallCreate, session: SessionDep, user: CurrentUser) -> PortCallPublic:
    station = org.get_agency(session, agency_id=data.station_id)
    participants = [org.get_agency(session, agency_id=i) for i in data.participant_ids]
    fields = data.model_dump(exclude={"station_id", "participant_ids"})
    return _public(session, service.create_call(
        session, user=user, station=station, participants=participants, fields=fields), user)


@router.get("/templates/{name}")
def download_template(name: str, user: CurrentUser, language: str = "en") -> Response:
    """The FAL form's template, e.g. ``crew.xlsx`` or ``passengers.csv`` (en or zh-CN)."""
    from bastion.clearance.declarations.templates import template

    form, _dot, fmt = name.partition(".")
    from bastion.clearance.declarations.forms import FORMS

    if form not in FORMS or fmt not in ("xlsx", "csv"):
        raise NotFound(_("No such template."))
    media = "text/csv" if fmt == "csv" else (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(template(form, fmt, "zh-CN" if language == "zh-CN" else "en"),
                    media_type=media, headers={"content-disposition": f"attachment; filename={name}"})


@router.get("/{call_id}", response_model=PortCallPublic)
def get_call(call_id: Id, session: SessionDep, user: CurrentUser,
             purpose: Purpose = None) -> PortCallPublic:
    """One call; the read is audited with the stated purpose (``X-Purpose``)."""
    return _public(session, service.get_call(session, user=user, call_id=call_id, audited=True,
                                             purpose=purpose), user)


@router.post("/{call_id}/declarations/{form}", response_model=DeclarationPublic, status_code=201)
def upload(call_id: Id, form: str, file: UploadFile, session: SessionDep,
           user: CurrentUser) -> DeclarationPublic:
    """A FAL form (xlsx or CSV template): all rows or none; errors name sheet, row, column.
    A sync route, so the file is read and parsed in a worker thread, never on the event loop;
    over ``MAX_UPLOAD`` is a 413, a hostile workbook a 422 naming the limit it broke."""
    if form not in FORM_NAMES:
        raise Invalid(_("Unknown form."), field="form")
    data = read_upload(file, MAX_UPLOAD)
    call = service.get_call(session, user=user, call_id=call_id)
    return DeclarationPublic.model_validate(service.upload(
        session, user=user, call=call, form=form, data=data, filename=file.filename or form))


@router.post("/{call_id}/declarations/{form}/rows", response_model=DeclarationPublic,
             status_code=201)
def upload_rows(call_id: Id, form: str, data: RowsIn, session: SessionDep,
                user: CurrentUser) -> DeclarationPublic:
    """The same declaration as JSON: ``rows`` of objects keyed by field (``family_name``,
    ``document_number``, ... as in the template). Checked by the same rules, all rows or none;
    each error names ``sheet`` "rows", ``row`` (1-based position in ``rows``) and ``column``
    (the key)."""
    from bastion.clearance.declarations import jsonrows

    if form not in FORM_NAMES:
        raise Invalid(_("Unknown form."), field="form")
    call = service.get_call(session, user=user, call_id=call_id)
    body, problems = jsonrows.to_csv(form, data.rows)
    if problems:
        error = Invalid(_("The rows have {n} errors; nothing was stored.").format(
            n=len(problems)), field="rows")
        error.errors = problems  # type: ignore[attr-defined]
        raise error
    try:
        declaration = service.upload(session, user=user, call=call, form=form, data=body,
                                     filename=f"{form}.json")
    except Invalid as exc:
        if getattr(exc, "errors", None):
            exc.errors = jsonrows.renamed(form, exc.errors)  # type: ignore[attr-defined]
            exc.field = "rows"
        raise
    return DeclarationPublic.model_validate(declaration)


@router.post("/{call_id}/actions/{action}", response_model=PortCallPublic)
def act(call_id: Id, action: str, session: SessionDep, user: CurrentUser,
        data: ActionIn | None = None) -> PortCallPublic:
    """Workflow actions only (submit, amend, return, approve_arrival, arrive, start_inspection,
    clear_in, declare_departure, clear_out, depart, reject, cancel): no status is ever set.
    Clearing in or out is refused (409, naming them) while a declared person is "stop" or has
    an undecided watchlist hit; a station supervisor may pass ``override`` with a reason.
    An agency's second clearance is refused (409), not recorded twice."""
    call = service.get_call(session, user=user, call_id=call_id)
    return _public(session, service.act(
        session, user=user, call=call, action=action, reason=data.reason if data else None,
        override=bool(data and data.override)), user)


def _public(session, call, user, lists: set[str] | None = None) -> PortCallPublic:
    """The call with as much of its pre-check as this user may read (service.precheck_for)."""
    public = PortCallPublic.model_validate(call)
    public.precheck = service.precheck_for(session, user=user, call=call, lists=lists)
    return public


@router.get("/{call_id}/tide-windows")
def tide_windows(call_id: Id, session: SessionDep, user: CurrentUser, page: PageDep,
                 station: str,
                 depth: Annotated[float, Query(gt=0, lt=50, description="charted depth, m")],
                 ukc: Annotated[float, Query(ge=0, lt=10)] = 0.5,
                 ukc_percent: Annotated[float, Query(ge=0, le=50)] = 10.0,
                 hours: Annotated[int, Query(ge=1, le=240)] = 48) -> Page[dict[str, Any]]:
    """Tide-window clearance (潮汐验放): when a ship of the call's draught can pass, from
    12 h before its ETA onwards: charted depth + tide - draught >= the larger of the fixed
    under-keel clearance and the percentage of draught."""
    from datetime import timedelta

    from bastion.tides import UKCPolicy, get_station
    from bastion.tides import tide_windows as windows
    from bastion.tides.stations import StationError

    call = service.get_call(session, user=user, call_id=call_id)
    if call.draught_m is None or call.eta is None:
        raise Invalid(_("The call has no draught or ETA."), field="draught_m")
    try:
        tide_station = get_station(station)
    except StationError:
        raise Invalid(_("Unknown tide station."), field="station") from None
    start = call.eta - timedelta(hours=12)
    found = windows(tide_station, start, start + timedelta(hours=hours), depth_m=depth,
                    draught_m=call.draught_m, ukc=UKCPolicy(fixed_m=ukc, percent=ukc_percent))
    return from_list([{"start": w.start, "end": w.end,
                       "minutes": int(w.duration.total_seconds() // 60)} for w in found], page)


@router.get("/{call_id}/history")
def history(call_id: Id, session: SessionDep, user: CurrentUser,
            page: PageDep) -> Page[dict[str, Any]]:
    """The call's events, oldest first."""
    call = service.get_call(session, user=user, call_id=call_id)
    return paginate(session, service.history_query(call), page, service.history_entry)


@router.post("/{call_id}/green-channel", response_model=EmergencyPublic, status_code=201)
def green_channel(call_id: Id, data: GreenChannelIn, session: SessionDep,
                  user: CurrentUser) -> EmergencyPublic:
    """Green channel (medical: injured or sick crew must land) or expedited handling (weather,
    tide), from any state up to cleared in; the reason is recorded and SLA timers start."""
    call = service.get_call(session, user=user, call_id=call_id)
    return EmergencyPublic.model_validate(green.declare(
        session, user=user, call=call, kind=data.kind, reason=data.reason,
        persons=[p.stored() for p in data.persons], documents_to_follow=data.documents_to_follow))


@router.get("/{call_id}/green-channel", response_model=Page[EmergencyPublic])
def green_channel_cases(call_id: Id, session: SessionDep, user: CurrentUser, page: PageDep,
                        purpose: Purpose = None) -> Page[EmergencyPublic]:
    """The cases with the persons who had to land: a read audited with its purpose."""
    from sqlalchemy import select

    from bastion.clearance.green.models import Emergency

    call = service.get_call(session, user=user, call_id=call_id, audited=True, purpose=purpose)
    cases = select(Emergency).where(Emergency.call_id == call.id).order_by(Emergency.id)
    return paginate(session, cases, page, EmergencyPublic.model_validate)


@router.post("/{call_id}/green-channel/acknowledge", response_model=EmergencyPublic)
def acknowledge(call_id: Id, session: SessionDep, user: CurrentUser) -> EmergencyPublic:
    call = service.get_call(session, user=user, call_id=call_id)
    return EmergencyPublic.model_validate(green.acknowledge(session, user=user, call=call))


@router.post("/{call_id}/green-channel/landing", response_model=EmergencyPublic)
def landing(call_id: Id, data: LandingIn, session: SessionDep,
            user: CurrentUser) -> EmergencyPublic:
    call = service.get_call(session, user=user, call_id=call_id)
    return EmergencyPublic.model_validate(green.record_landing(
        session, user=user, call=call, note=data.note, reason=data.reason, override=data.override))


@router.post("/{call_id}/green-channel/documents-completed", response_model=EmergencyPublic)
def documents_completed(call_id: Id, session: SessionDep, user: CurrentUser) -> EmergencyPublic:
    call = service.get_call(session, user=user, call_id=call_id)
    return EmergencyPublic.model_validate(green.complete_documents(session, user=user, call=call))


@router.get("/{call_id}/slots", response_model=Page[SlotPublic])
def slots(call_id: Id, session: SessionDep, user: CurrentUser,
          page: PageDep) -> Page[SlotPublic]:
    """The inspection slots booked for the call (arrival, departure)."""
    from bastion.clearance.terminals import service as terminals

    call = service.get_call(session, user=user, call_id=call_id)
    return paginate(session, terminals.slots_query(call), page, SlotPublic.model_validate)
