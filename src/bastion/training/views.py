"""Pages of training, drills and meetings: a page per kind (skills trainings, drills,
meetings, study days) with the events per month by kind (ECharts) and the list, forms to record
an event or a weekly series, one event (attendance, certificates, materials, outcomes,
follow-ups; for a drill in exercise mode its injects and links into the other rooms' forms in
exercise mode), the figures for a year, the xlsx, and the phone page that takes attendance with
no network. Capabilities and need-to-know are the service's (403, 404)."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bastion.attachments import service as attachments
from bastion.core import context
from bastion.core.bounds import Id, Offset
from bastion.core.db import utcnow
from bastion.core.errors import BastionError, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.org import capabilities
from bastion.org.models import Agency, User
from bastion.training import access, kinds, service
from bastion.training import figures as training_figures
from bastion.training.export import workbook
from bastion.training.models import EventStatus, TrainingEvent
from bastion.training.schemas import (
    AttendanceIn,
    CertificateIn,
    EventIn,
    EventUpdate,
    FollowUpIn,
    FollowUpUpdate,
    InjectIn,
    SeriesIn,
)
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import (
    chosen_file,
    error_for,
    form_to_dict,
    read_upload,
    validate,
    wall_clock,
)
from bastion.web.offline import register_page
from bastion.web.templating import render

router = APIRouter(prefix="/training", include_in_schema=False)
PAGE = 50
ATTEND_PATH = "/training/attend"
ATTEND_ASSETS = ("/static/js/training-attend.js",)
register_page(ATTEND_PATH, assets=ATTEND_ASSETS)


def _year(value: int | None) -> int:
    return value or utcnow().astimezone(service.zone()).year


def _span(year: int) -> tuple[datetime, datetime]:
    return (service.local_day(date(year, 1, 1)), service.local_day(date(year + 1, 1, 1)))


def _agencies(session: Session) -> list[Agency]:
    return list(session.scalars(select(Agency).where(Agency.kind.notin_(
        ("village_committee", "shipping_agency"))).order_by(Agency.root_id, Agency.id)))


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    language = context.current().language
    return {a.id: a.display_name(language)
            for a in session.scalars(select(Agency).where(Agency.id.in_(ids or {0})))}


@router.get("", response_class=HTMLResponse)
def home(user: CurrentUser) -> Response:
    capabilities.require(user, "training.read")
    return RedirectResponse("/training/drill", status_code=303)


def _category_page(request: Request, session: Session, user: User, category: str,
                   year: int | None, offset: int, status: int = 200, **extra: Any) -> Response:
    if category not in kinds.CATEGORIES:
        raise NotFound(_("No such page."))
    year = _year(year)
    first, after = _span(year)
    query = service.list_query(user, category=category, start=first, end=after)
    total = session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0
    rows = list(session.scalars(query.offset(offset).limit(PAGE)))
    chart = service.per_month(session, user=user, category=category, year=year)
    now = utcnow().astimezone(service.zone()).replace(second=0, microsecond=0, tzinfo=None)
    return render(request, "training/category.html", status_code=status, **{
        "category": category, "category_label": kinds.category_label(category),
        "categories": [(c, kinds.category_label(c)) for c in kinds.CATEGORIES],
        "kinds": kinds.of_category(category), "year": year,
        "kind_names": {k.code: k.label() for k in kinds.kinds().values()}, "events": rows, "total": total,
        "offset": offset, "page": PAGE, "chart": json.dumps(chart, ensure_ascii=False),
        "units": _names(session, {e.unit_id for e in rows}),
        "can_record": capabilities.can(user, "training.record"),
        "agencies": _agencies(session) if capabilities.can(user, "training.record") else [],
        "form": {"starts_at": now.isoformat(timespec="minutes")},
        "series_form": {"first_day": f"{year}-01-01", "last_day": f"{year}-12-31",
                        "weekday": "0", "time": "08:30", "minutes": "60"},
        "new_client_id": str(uuid.uuid4()), **extra})


@router.get("/figures", response_class=HTMLResponse)
def figures_page(request: Request, session: SessionDep, user: CurrentUser,
                 year: int | None = Query(default=None, ge=2000, le=2100)) -> Response:
    capabilities.require(user, "training.read")
    year = _year(year)
    found = training_figures.figures(session=session, user=user, start=date(year, 1, 1),
                                     end=date(year + 1, 1, 1)) or []
    return render(request, "training/figures.html", year=year, figures=found,
                  categories=[(c, kinds.category_label(c)) for c in kinds.CATEGORIES])


@router.get("/export.xlsx")
def export(session: SessionDep, user: CurrentUser,
           category: str | None = Query(default=None, max_length=16),
           year: int | None = Query(default=None, ge=2000, le=2100)) -> Response:
    year = _year(year)
    first, after = _span(year)
    rows = list(session.scalars(service.list_query(user, category=category, start=first,
                                                   end=after).limit(5000)))
    name = f"training-{category or 'all'}-{year}.xlsx"
    return Response(workbook(session, rows), headers={
        "content-disposition": f'attachment; filename="{name}"'},
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


ATTEND_WORDS = {
    "online": lazy("Online"),
    "offline": lazy("Offline: everything is kept on this phone and sent when a network "
                    "returns."),
    "queue": lazy("{n} waiting to be sent"), "queue_empty": lazy("Everything has been sent."),
    "kit_offline": lazy("Working from the events kept on this phone (saved {time})."),
    "kit_missing": lazy("No events on this phone yet: open this page once with a network."),
    "no_events": lazy("No events of your unit this week."),
    "present": lazy("Present"), "absent": lazy("Absent"), "reason": lazy("Reason"),
    "other_person": lazy("Someone else (name)"), "add": lazy("Add"),
    "choose_reason": lazy("Say why the person is absent."),
    "op": lazy("Attendance"), "problems": lazy("Refused by the server"),
    "exercise": lazy("EXERCISE"),
}


@router.get("/attend", response_class=HTMLResponse)
def attend_page(request: Request, user: CurrentUser) -> Response:
    capabilities.require(user, "training.record")
    words = {k: _(str(v)) for k, v in ATTEND_WORDS.items()}
    return render(request, "training/attend.html", words=json.dumps(words, ensure_ascii=False))


@router.post("/events", response_class=HTMLResponse)
async def create(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "training.record")
    data = form_to_dict(await request.form(), lists=("agency_ids",), flags=("exercise_mode",))
    category = kinds.kinds().get(data.get("kind", ""), None)
    payload, errors = validate(EventIn, {**data, "starts_at": wall_clock(data.get("starts_at")),
                                         "ends_at": wall_clock(data.get("ends_at"))})
    if not errors:
        try:
            event, _new = service.create(session, user=user, data=payload)
            return RedirectResponse(f"/training/events/{event.id}", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 422):
                raise
            errors = error_for(exc)
    return _category_page(request, session, user, category.category if category else "drill",
                          None, 0, status=422, form=data, errors=errors)


@router.post("/series", response_class=HTMLResponse)
async def create_series(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "training.record")
    data = form_to_dict(await request.form(), lists=("agency_ids",))
    category = kinds.kinds().get(data.get("kind", ""), None)
    payload, errors = validate(SeriesIn, data)
    if not errors:
        try:
            made = service.series(session, user=user, data=payload)
            return RedirectResponse(
                f"/training/{made[0].category}?year={payload.first_day.year}", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 422):
                raise
            errors = error_for(exc)
    return _category_page(request, session, user,
                          category.category if category else "meeting", None, 0,
                          status=422, series_form=data, errors=errors)


def _detail(request: Request, session: Session, user: User, event_id: int, status: int = 200,
            **extra: Any) -> Response:
    event = service.get(session, user=user, event_id=event_id)
    info = service.detail(session, event)
    may = access.records(user, event)
    files = list(session.scalars(attachments.list_query(
        session, user=user, record_kind=TrainingEvent.record_kind, record_id=event.id)))
    staff = []
    if may:
        staff = list(session.scalars(select(User).join(Agency, Agency.id == User.agency_id)
                                     .where(Agency.id.in_({event.unit_id, *info.agency_ids}),
                                            User.active.is_(True), User.system.is_(False))
                                     .order_by(User.display_name).limit(300)))
    return render(request, "training/event.html", status_code=status, **{
        "event": event, "info": info, "may_record": may, "files": files, "staff": staff,
        "kind_label": kinds.kind_label(event.kind),
        "category_label": kinds.category_label(event.category),
        "units": _names(session, {event.unit_id, *info.agency_ids}),
        "skills": [(c, kinds.skill_label(c)) for c in kinds.skills()],
        "statuses": list(EventStatus), "now": utcnow(), "form": {}, **extra})


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: Id, session: SessionDep,
               user: CurrentUser) -> Response:
    return _detail(request, session, user, event_id)


async def _act(request: Request, session: Session, user: User, event_id: int, schema: Any,
               action: Any, *, flags: tuple[str, ...] = (), times: tuple[str, ...] = ()
               ) -> Response:
    data = form_to_dict(await request.form(), flags=flags)
    for name in times:
        data[name] = wall_clock(data.get(name))
        if data[name] is None:
            data.pop(name)
    payload, errors = validate(schema, data)
    if not errors:
        try:
            action(payload)
            return RedirectResponse(f"/training/events/{event_id}", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 422):
                raise
            errors = error_for(exc)
    return _detail(request, session, user, event_id, status=422, form=data, errors=errors)


@router.post("/events/{event_id}/update", response_class=HTMLResponse)
async def update(request: Request, event_id: Id, session: SessionDep,
                 user: CurrentUser) -> Response:
    return await _act(request, session, user, event_id, EventUpdate, lambda p: service.update(
        session, user=user, event_id=event_id, data=p))


@router.post("/events/{event_id}/attendance", response_class=HTMLResponse)
async def attendance(request: Request, event_id: Id, session: SessionDep,
                     user: CurrentUser) -> Response:
    return await _act(request, session, user, event_id, AttendanceIn,
                      lambda p: service.record_attendance(session, user=user,
                                                          event_id=event_id, data=p),
                      flags=("present",))


@router.post("/events/{event_id}/certificates", response_class=HTMLResponse)
async def certificate(request: Request, event_id: Id, session: SessionDep,
                      user: CurrentUser) -> Response:
    return await _act(request, session, user, event_id, CertificateIn,
                      lambda p: service.add_certificate(session, user=user, event_id=event_id,
                                                        data=p))


@router.post("/events/{event_id}/follow-ups", response_class=HTMLResponse)
async def follow_up(request: Request, event_id: Id, session: SessionDep,
                    user: CurrentUser) -> Response:
    return await _act(request, session, user, event_id, FollowUpIn,
                      lambda p: service.add_follow_up(session, user=user, event_id=event_id,
                                                      data=p), times=("due_at",))


@router.post("/events/{event_id}/follow-ups/{follow_up_id}", response_class=HTMLResponse)
async def follow_up_done(request: Request, event_id: Id, follow_up_id: Id, session: SessionDep,
                         user: CurrentUser) -> Response:
    return await _act(request, session, user, event_id, FollowUpUpdate,
                      lambda p: service.set_follow_up(session, user=user, event_id=event_id,
                                                      follow_up_id=follow_up_id, data=p),
                      flags=("done",))


@router.post("/events/{event_id}/injects", response_class=HTMLResponse)
async def inject(request: Request, event_id: Id, session: SessionDep,
                 user: CurrentUser) -> Response:
    return await _act(request, session, user, event_id, InjectIn,
                      lambda p: service.add_inject(session, user=user, event_id=event_id,
                                                   data=p), times=("at",))


@router.post("/events/{event_id}/materials", response_class=HTMLResponse)
async def material(request: Request, event_id: Id, session: SessionDep, user: CurrentUser,
                   settings: SettingsDep) -> Response:
    """A file of the event's materials (slides, sign-in sheet, photos): through attachments,
    hostile files refused (422), too large 413."""
    event = service.get(session, user=user, event_id=event_id)
    access.require_records(user, event)
    form = await request.form()
    max_bytes = settings.max_attachment_mb * 2**20
    try:
        upload = chosen_file(form)

        def store() -> None:  # a hostile file never blocks the loop
            attachments.add(session, user=user, record_kind=TrainingEvent.record_kind,
                            record_id=event.id, filename=upload.filename or "file",
                            data=read_upload(upload, max_bytes), max_bytes=max_bytes)

        await run_in_threadpool(store)
    except BastionError as exc:
        if exc.status_code not in (413, 422):
            raise
        return _detail(request, session, user, event_id, status=exc.status_code,
                       errors=error_for(exc))
    return RedirectResponse(f"/training/events/{event_id}", status_code=303)


@router.get("/{category}", response_class=HTMLResponse)
def category_page(request: Request, category: str, session: SessionDep, user: CurrentUser,
                  year: int | None = Query(default=None, ge=2000, le=2100),
                  offset: Offset = 0) -> Response:
    capabilities.require(user, "training.read")
    return _category_page(request, session, user, category, year, offset)
