"""Pages of the hotline: the board (open calls by deadline, overdue in red, a new-call form),
one call (its history and the actions), and a print-ready list of the calls received over a
range of days. Capabilities and need-to-know are the service's (403, 404)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.db import utcnow
from bastion.core.errors import BastionError, Invalid
from bastion.core.i18n import gettext as _
from bastion.duty import access, stats_service
from bastion.duty.hotline import deadlines, service
from bastion.duty.hotline.models import CallKind, CallLanguage, CallStatus, HotlineCall
from bastion.duty.hotline.schemas import ActionIn, CallIn
from bastion.org import capabilities
from bastion.org.models import Agency, User
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import error_for, form_to_dict, validate, wall_clock
from bastion.web.templating import render

router = APIRouter(prefix="/duty/hotline", include_in_schema=False)
RECENT = 30  # closed calls shown on the board
PRINT_MAX_DAYS = 31


def _zone() -> ZoneInfo:
    return ZoneInfo(context.current().timezone)


def _board(request: Request, session: Session, user: User, status: int = 200,
           **extra: Any) -> Response:
    capabilities.require(user, "duty.hotline.read")
    now = utcnow()
    open_calls = list(session.scalars(service.list_query(
        user, now=now).where(HotlineCall.status != CallStatus.CLOSED).limit(200)))
    closed = list(session.scalars(access.hotline_query(user).where(
        HotlineCall.status == CallStatus.CLOSED).order_by(
        HotlineCall.closed_at.desc(), HotlineCall.id.desc()).limit(RECENT)))
    # received in the last 30 days, as the statistics and the printed list count calls
    month = session.scalars(access.hotline_query(user).where(
        HotlineCall.received_at >= now - timedelta(days=30),
        HotlineCall.received_at <= now)).all()
    local_now = now.astimezone(_zone()).replace(second=0, microsecond=0, tzinfo=None)
    form = {"received_at": local_now.isoformat(timespec="minutes"), "language": "zh",
            "kind": "enquiry"}
    return render(request, "duty/hotline.html", status_code=status, **{
        "open_calls": open_calls, "closed_calls": closed, "now": now,
        "units": _units(session, [*open_calls, *closed]),
        "closure": deadlines.closure_rate(month, now),
        "can_handle": capabilities.can(user, "duty.hotline.handle"),
        "can_log": capabilities.can(user, "duty.log.write"),
        "can_stats": capabilities.can(user, "duty.stats"),
        "languages": list(CallLanguage), "kinds": list(CallKind),
        "due_hours": {k.value: deadlines.rules()[k].due.total_seconds() / 3600
                      for k in CallKind},
        "form": form, "new_client_id": str(uuid.uuid4()), **extra})


def _units(session: Session, calls: list[HotlineCall]) -> dict[int, str]:
    language = context.current().language
    ids = {c.unit_id for c in calls} or {0}
    return {a.id: a.display_name(language)
            for a in session.scalars(select(Agency).where(Agency.id.in_(ids)))}


@router.get("", response_class=HTMLResponse)
def board(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _board(request, session, user)


@router.post("", response_class=HTMLResponse)
async def take(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "duty.hotline.handle")
    data = form_to_dict(await request.form(), flags=("exercise", "open_log_entry"))
    payload, errors = validate(CallIn, {**data, "received_at": wall_clock(data.get("received_at"))})
    if not errors:
        try:
            call, _created = service.take(session, user=user, data=payload)
            return RedirectResponse(f"/duty/hotline/{call.id}", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 422):
                raise
            errors = error_for(exc)
    return _board(request, session, user, status=422, form=data, errors=errors,
                  new_client_id=data.get("client_id") or str(uuid.uuid4()))


@router.get("/print", response_class=HTMLResponse)
def print_list(request: Request, session: SessionDep, user: CurrentUser,
               settings: SettingsDep) -> Response:
    """Calls received from ``from`` to ``to`` (days, both included; default today), oldest
    first, with their deadline, outcome and whether closed on time: to sign and file."""
    capabilities.require(user, "duty.hotline.read")
    params = request.query_params
    zone = ZoneInfo(settings.timezone)
    today = utcnow().astimezone(zone).date().isoformat()
    start, end = params.get("from") or None, params.get("to") or None
    try:
        span = stats_service.parse_range(start or end or today, end or start or today, zone)
        if (span.end - span.start).days + 1 > PRINT_MAX_DAYS:
            raise Invalid(_("Choose at most %(days)s days.") % {"days": PRINT_MAX_DAYS},
                          field="to")
    except Invalid as exc:
        return render(request, "duty/hotline_print.html", status_code=422, calls=[],
                      errors={exc.field or "from": exc.message},
                      filters={"from": start or "", "to": end or ""}, units={}, now=utcnow(),
                      closure=None, printed_by=user)
    calls = list(session.scalars(access.hotline_query(user).where(
        HotlineCall.received_at >= span.first, HotlineCall.received_at < span.after)
        .order_by(HotlineCall.received_at, HotlineCall.id).limit(2000)))
    return render(request, "duty/hotline_print.html", calls=calls, now=utcnow(),
                  units=_units(session, calls), printed_by=user,
                  closure=deadlines.closure_rate(calls, utcnow()),
                  filters={"from": span.start.isoformat(), "to": span.end.isoformat()})


def _handlers(session: Session, call: HotlineCall) -> list[User]:
    staff = session.scalars(select(User).join(Agency, Agency.id == User.agency_id).where(
        or_(Agency.id == call.owner_org_id, Agency.root_id == call.owner_org_id),
        User.active.is_(True), User.system.is_(False)).order_by(User.display_name))
    return [u for u in staff if capabilities.can(u, "duty.hotline.handle")]


def _detail(request: Request, session: Session, user: User, call_id: int, status: int = 200,
            **extra: Any) -> Response:
    call = service.get(session, user=user, call_id=call_id)
    info = service.detail(session, call)
    names = {u.id: u.display_name for u in session.scalars(select(User).where(
        User.id.in_({i for i in (call.assignee_id, call.taken_by_id) if i})))}
    return render(request, "duty/hotline_detail.html", status_code=status, **{
        "call": call, "info": info, "names": names, "units": _units(session, [call]),
        "now": utcnow(), "overdue": deadlines.overdue(call, utcnow()),
        "moves": [a for a, (states, _after) in service.MOVES.items() if call.status in states],
        "handlers": _handlers(session, call),
        "can_handle": capabilities.can(user, "duty.hotline.handle"),
        "can_log": capabilities.can(user, "duty.log.write") and info.log_entry_id is None,
        "form": {}, **extra})


@router.get("/{call_id}", response_class=HTMLResponse)
def call_page(request: Request, call_id: Id, session: SessionDep,
              user: CurrentUser) -> Response:
    return _detail(request, session, user, call_id)


@router.post("/{call_id}/actions", response_class=HTMLResponse)
async def act(request: Request, call_id: Id, session: SessionDep,
              user: CurrentUser) -> Response:
    data = form_to_dict(await request.form())
    payload, errors = validate(ActionIn, data)
    if not errors:
        try:
            service.act(session, user=user, call_id=call_id, data=payload)
            return RedirectResponse(f"/duty/hotline/{call_id}", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 422):
                raise
            errors = error_for(exc)
    return _detail(request, session, user, call_id, status=422 if "__all__" not in errors
                   and "status" not in errors else 409, form=data, errors=errors)


@router.post("/{call_id}/log-entry", response_class=HTMLResponse)
def log_entry(request: Request, call_id: Id, session: SessionDep,
              user: CurrentUser) -> Response:
    call = service.get(session, user=user, call_id=call_id)
    try:
        service.open_log_entry(session, user=user, call=call)
    except BastionError as exc:
        if exc.status_code != 409:
            raise
        return _detail(request, session, user, call_id, status=409, errors=error_for(exc))
    return RedirectResponse(f"/duty/hotline/{call_id}", status_code=303)
