"""Pages of the duty log: the day's log of my unit with the new-entry form (five elements),
open items and stage buttons; an entry; the print-ready duty-log day (A4, signature lines);
handovers (to confirm, given) with the print-ready handover sheet; the check-in page (one big
button, works on a phone, and opens with no network: the service worker keeps it, registered
with ``web.offline.register_page`` as the patrol field page is, and ``duty-checkin.js`` keeps a
check-in made offline and sends it when the network is back); missed check-ins for the duty
leader, refreshed live."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.db import utcnow
from bastion.core.errors import BastionError
from bastion.duty.log import checkins, handover
from bastion.duty.log import service as log
from bastion.duty.log.models import EntryKind, Handover, LogEntry, Stage
from bastion.duty.log.schemas import CheckInIn, HandoverIn, LogEntryIn, StepIn
from bastion.duty.rosters import now as rosters_now
from bastion.org import capabilities
from bastion.org.models import Agency, User
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import error_for, form_to_dict, validate, wall_clock
from bastion.web.offline import register_page
from bastion.web.templating import render

router = APIRouter(prefix="/duty", include_in_schema=False)
CHECKIN_PATH = "/duty/checkin"
CHECKIN_ASSETS = ("/static/js/duty-checkin.js", "/static/css/duty-log.css")
register_page(CHECKIN_PATH, assets=CHECKIN_ASSETS)


def _today() -> date:
    return utcnow().astimezone(ZoneInfo(context.current().timezone)).date()


def _names(session: Session, ids: set[int]) -> dict[int, User]:
    ids = {i for i in ids if i}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids \
        else {}


def _agencies(session: Session) -> dict[int, Agency]:
    return {a.id: a for a in session.scalars(select(Agency))}


def _rows(session: Session, entries: list[LogEntry]) -> list[dict[str, Any]]:
    out = []
    for entry in entries:
        steps = log.steps_of(session, entry)
        out.append({"entry": entry, "steps": steps, "step": steps[-1],
                    "corrected_by": log.corrected_by(session, entry)})
    return out


def _people(session: Session, rows: list[dict[str, Any]]) -> dict[int, User]:
    ids = {r["entry"].recorded_by_id for r in rows}
    ids |= {s.by_user_id for r in rows for s in r["steps"]}
    return _names(session, ids)


def _forward(stage: Stage) -> list[Stage]:
    return log.ORDER[log.ORDER.index(stage) + 1:]


def _watches(session: Session, user: User, missed: list[dict[str, Any]]) -> bool:
    """Show the missed check-ins panel (live) to planners, to a duty leader on now, and to
    anyone told of one already."""
    if missed or capabilities.can(user, "duty.roster.plan"):
        return True
    return any(rosters_now.leads(session, a)
               for a in rosters_now.of_user(session, user_id=user.id, at=utcnow()))


def _missed(session: Session, user: User, limit: int = 20) -> list[dict[str, Any]]:
    if not (capabilities.can(user, "duty.checkin") or capabilities.can(user, "duty.log.read")):
        return []
    rows = session.scalars(checkins.missed_query(session, user).limit(limit)).all()
    return [checkins.missed_public(session, r).model_dump() for r in rows]


# --- the log ------------------------------------------------------------------------------

def _log_page(request: Request, session: Session, user: User, settings: Any, *,
              day: date | None = None, status: int = 200, form: dict[str, Any] | None = None,
              errors: dict[str, str] | None = None) -> Response:
    day = day or _today()
    entries = list(session.scalars(log.list_query(user, day=day, zone=context.current()
                                                  .timezone).limit(500)))
    open_entries = list(session.scalars(log.list_query(user, open_only=True).limit(200)))
    rows, open_rows = _rows(session, entries), _rows(session, open_entries)
    missed = _missed(session, user)
    return render(request, "duty/log.html", status_code=status, day=day, rows=rows,
                  open_rows=open_rows, people=_people(session, rows + open_rows),
                  agencies=_agencies(session), kinds=list(EntryKind), forward=_forward,
                  can_write=capabilities.can(user, "duty.log.write"),
                  missed=missed, watches=_watches(session, user, missed),
                  form=form or {}, errors=errors or {},
                  now_utc=utcnow(),
                  now_local=utcnow().astimezone(ZoneInfo(context.current().timezone))
                  .strftime("%Y-%m-%dT%H:%M"), new_client_id=str(uuid.uuid4()))


@router.get("/log", response_class=HTMLResponse)
def log_page(request: Request, session: SessionDep, user: CurrentUser,
             settings: SettingsDep, day: date | None = None) -> Response:
    return _log_page(request, session, user, settings, day=day)


def _entry_payload(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "occurred_at": wall_clock(data.get("occurred_at"))}


@router.post("/log", response_class=HTMLResponse)
async def record(request: Request, session: SessionDep, user: CurrentUser,
                 settings: SettingsDep) -> Response:
    data = form_to_dict(await request.form())
    payload, errors = validate(LogEntryIn, _entry_payload(data))
    if not errors:
        try:
            entry, _created = log.record(session, user=user, data=payload)
            return RedirectResponse(f"/duty/log/{entry.id}", status_code=303)
        except BastionError as exc:
            if exc.status_code != 422:
                raise
            errors = error_for(exc)
    return _log_page(request, session, user, settings, status=422, form=data, errors=errors)


@router.get("/log/print", response_class=HTMLResponse)
def log_print(request: Request, session: SessionDep, user: CurrentUser,
              day: date | None = None) -> Response:
    """The day's duty log, print-ready (A4): the five elements of each entry, its steps, and
    lines for the duty officers' and the duty leader's signatures."""
    day = day or _today()
    entries = list(session.scalars(log.list_query(user, day=day, zone=context.current()
                                                  .timezone).limit(1000)))
    entries.reverse()  # the day in order
    rows = _rows(session, entries)
    return render(request, "duty/log_print.html", day=day, rows=rows,
                  people=_people(session, rows), agencies=_agencies(session),
                  printed_at=utcnow())


def _entry_page(request: Request, session: Session, user: User, entry: LogEntry, *,
                status: int = 200, errors: dict[str, str] | None = None,
                form: dict[str, Any] | None = None) -> Response:
    rows = _rows(session, [entry])
    corrects = session.get(LogEntry, entry.corrects_id) if entry.corrects_id else None
    return render(request, "duty/log_entry.html", status_code=status, row=rows[0],
                  people=_people(session, rows), agencies=_agencies(session),
                  corrects=corrects, forward=_forward, kinds=list(EntryKind),
                  can_write=capabilities.can(user, "duty.log.write")
                  and entry.owner_org_id == user.organisation_id,
                  errors=errors or {}, form=form or {}, new_client_id=str(uuid.uuid4()),
                  now_utc=utcnow())


@router.get("/log/{entry_id:int}", response_class=HTMLResponse)
def entry_page(entry_id: Id, request: Request, session: SessionDep,
               user: CurrentUser) -> Response:
    entry = log.get(session, user=user, entry_id=entry_id)
    return _entry_page(request, session, user, entry)


@router.post("/log/{entry_id:int}/steps", response_class=HTMLResponse)
async def add_step(entry_id: Id, request: Request, session: SessionDep,
                   user: CurrentUser) -> Response:
    entry = log.get(session, user=user, entry_id=entry_id)
    data = form_to_dict(await request.form())
    data["next_due_at"] = wall_clock(data.get("next_due_at"))
    payload, errors = validate(StepIn, {k: v for k, v in data.items() if v is not None})
    if not errors:
        try:
            log.add_step(session, user=user, entry=entry, data=payload)
            back = data.get("back") if data.get("back") == "/duty/log" else \
                f"/duty/log/{entry.id}"
            return RedirectResponse(back, status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 422):
                raise
            errors = error_for(exc)
    return _entry_page(request, session, user, entry, status=422 if errors.get(
        "next_due_at") else 409, errors=errors)


@router.post("/log/{entry_id:int}/correct", response_class=HTMLResponse)
async def correct(entry_id: Id, request: Request, session: SessionDep,
                  user: CurrentUser) -> Response:
    entry = log.get(session, user=user, entry_id=entry_id)
    data = form_to_dict(await request.form())
    payload, errors = validate(LogEntryIn, _entry_payload(data))
    if not errors:
        try:
            newer, _created = log.correct(session, user=user, entry=entry, data=payload)
            return RedirectResponse(f"/duty/log/{newer.id}", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 422):
                raise
            errors = error_for(exc)
    return _entry_page(request, session, user, entry, status=422, errors=errors, form=data)


# --- handovers ----------------------------------------------------------------------------

def _colleagues(session: Session, user: User) -> list[User]:
    """Whom one may hand over to: active people of one's organisation who may read the log,
    one's own unit first."""
    people = session.scalars(select(User).join(Agency, Agency.id == User.agency_id).where(
        (Agency.root_id == user.organisation_id) | (Agency.id == user.organisation_id),
        User.active, ~User.system, User.id != user.id).order_by(User.display_name))
    found = [p for p in people if capabilities.can(p, "duty.log.read")]
    return sorted(found, key=lambda p: p.agency_id != user.agency_id)


def _handovers_page(request: Request, session: Session, user: User, *, status: int = 200,
                    form: dict[str, Any] | None = None,
                    errors: dict[str, str] | None = None) -> Response:
    query = handover.query(user)
    to_confirm = list(session.scalars(query.where(Handover.incoming_user_id == user.id,
                                                  Handover.confirmed_at.is_(None))))
    given = list(session.scalars(query.where(Handover.outgoing_user_id == user.id).limit(50)))
    others = list(session.scalars(query.where(Handover.outgoing_user_id != user.id,
                                              Handover.incoming_user_id != user.id).limit(50)))
    everyone = to_confirm + given + others
    ids = {h.outgoing_user_id for h in everyone} | {h.incoming_user_id for h in everyone}
    can_write = capabilities.can(user, "duty.log.write")
    return render(request, "duty/handovers.html", status_code=status, to_confirm=to_confirm,
                  given=given, others=others, people=_names(session, ids),
                  counts=handover.readable_counts(session, user, everyone),
                  agencies=_agencies(session), can_write=can_write,
                  colleagues=_colleagues(session, user) if can_write else [],
                  open_count=len(handover.open_items(session, user=user)) if can_write else 0,
                  form=form or {}, errors=errors or {}, now=utcnow())


@router.get("/handovers", response_class=HTMLResponse)
def handovers_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _handovers_page(request, session, user)


@router.post("/handovers", response_class=HTMLResponse)
async def create_handover(request: Request, session: SessionDep, user: CurrentUser,
                          settings: SettingsDep) -> Response:
    data = form_to_dict(await request.form())
    payload, errors = validate(HandoverIn, data)
    if not errors:
        try:
            row = handover.create(session, user=user, data=payload,
                                  confirm_min=settings.duty.handover_confirm_min)
            return RedirectResponse(f"/duty/handovers/{row.id}", status_code=303)
        except BastionError as exc:
            if exc.status_code != 422:
                raise
            errors = error_for(exc)
    return _handovers_page(request, session, user, status=422, form=data, errors=errors)


def _handover_values(session: Session, row: Handover, user: User) -> dict[str, Any]:
    items, withheld = handover.readable_items(session, user, row)
    return {"h": row, "items": items, "withheld": withheld, "people": _names(session, {row.outgoing_user_id, row.incoming_user_id}),
            "agencies": _agencies(session), "kinds": {k.value: k for k in EntryKind},
            "stages": {s.value: s for s in Stage}, "parse": datetime.fromisoformat}


@router.get("/handovers/{handover_id}", response_class=HTMLResponse)
def handover_page(handover_id: Id, request: Request, session: SessionDep,
                  user: CurrentUser) -> Response:
    row = handover.get(session, user=user, handover_id=handover_id)
    return render(request, "duty/handover.html", **_handover_values(session, row, user),
                  can_confirm=row.incoming_user_id == user.id and row.confirmed_at is None,
                  now=utcnow())


@router.get("/handovers/{handover_id}/print", response_class=HTMLResponse)
def handover_print(handover_id: Id, request: Request, session: SessionDep,
                   user: CurrentUser) -> Response:
    row = handover.get(session, user=user, handover_id=handover_id)
    return render(request, "duty/handover_print.html", **_handover_values(session, row, user),
                  printed_at=utcnow())


@router.post("/handovers/{handover_id}/confirm")
async def confirm_handover(handover_id: Id, request: Request, session: SessionDep,
                           user: CurrentUser) -> Response:
    row = handover.get(session, user=user, handover_id=handover_id)
    data = form_to_dict(await request.form())
    handover.confirm(session, user=user, handover=row, note=str(data.get("note", ""))[:4000])
    return RedirectResponse(f"/duty/handovers/{row.id}", status_code=303)


# --- check-ins ----------------------------------------------------------------------------

@router.get("/checkin", response_class=HTMLResponse)  # CHECKIN_PATH
def checkin_page(request: Request, session: SessionDep, user: CurrentUser,
                 settings: SettingsDep) -> Response:
    state = checkins.status(session, user=user, settings=settings)
    missed = _missed(session, user, limit=10)
    return render(request, "duty/checkin.html", state=state, new_client_id=str(uuid.uuid4()),
                  missed=missed, watches=_watches(session, user, missed), agencies=_agencies(session), done=request.query_params.get(
                      "done") == "1")


@router.post("/checkin")
async def checkin_form(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """The button without JavaScript: the page's own client id, the server's clock."""
    data = form_to_dict(await request.form())
    payload, errors = validate(CheckInIn, {"client_id": data.get("client_id"),
                                           "device_at": utcnow().isoformat()})
    if errors:
        return RedirectResponse("/duty/checkin", status_code=303)
    checkins.checkin(session, user=user, data=payload)
    return RedirectResponse("/duty/checkin?done=1", status_code=303)


@router.get("/checkin/missed", response_class=HTMLResponse)
def missed_page(request: Request, session: SessionDep, user: CurrentUser,
                fragment: bool = False) -> Response:
    rows = _missed(session, user, limit=100)
    if not (capabilities.can(user, "duty.checkin") or capabilities.can(user, "duty.log.read")):
        capabilities.require(user, "duty.checkin")
    agencies = _agencies(session)
    template = "duty/checkin_missed_rows.html" if fragment else "duty/checkin_missed.html"
    return render(request, template, missed=rows, agencies=agencies)


@router.post("/checkin/missed/{missed_id}/acknowledge")
async def acknowledge_missed(missed_id: Id, request: Request, session: SessionDep,
                             user: CurrentUser) -> Response:
    data = form_to_dict(await request.form())
    checkins.acknowledge(session, user=user, missed_id=missed_id,
                         note=str(data.get("note", ""))[:2000])
    back = "/duty/log" if data.get("back") == "/duty/log" else "/duty/checkin/missed"
    return RedirectResponse(back, status_code=303)


