"""Pages of joint operations: the list (with a chart of tasks done), a new operation (period,
agencies taking part, the area drawn on a map or pasted as GeoJSON), and one operation with its
map (area and posts), its task board (updated live) and its log; planners add agencies, posts
(placed by clicking the map) and tasks there. Capabilities and need-to-know are the service's
and ``access``'s (403, 404); a refused form comes back with 422, the error by its field."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core import context
from bastion.core.bounds import Id, Offset
from bastion.core.db import utcnow
from bastion.core.errors import BastionError
from bastion.core.i18n import gettext as _
from bastion.core.pagination import PageParams, paginate
from bastion.operations import access, service
from bastion.operations.models import TaskStatus
from bastion.operations.schemas import (
    LogIn,
    OperationIn,
    OperationOut,
    ParticipantIn,
    PostIn,
    TaskIn,
    TaskStatusIn,
)
from bastion.org import capabilities
from bastion.org.models import PRIVATE_KINDS, Agency, User
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import attempt, field_errors, form_to_dict, validate, wall_clock
from bastion.web.templating import render

router = APIRouter(prefix="/operations", include_in_schema=False)
PER_PAGE = 25
LOG_SHOWN = 50


@router.get("", response_class=HTMLResponse)
def page(request: Request, session: SessionDep, user: CurrentUser,
         offset: Annotated[Offset, Query()] = 0) -> Response:
    result = paginate(session, service.list_query(user), PageParams(PER_PAGE, offset),
                      lambda o: service.summaries(session, [o])[0])
    chart = {"names": [o.name for o in result.items],
             "done": [o.tasks_done for o in result.items],
             "open": [o.tasks - o.tasks_done for o in result.items],
             "labels": {"done": _("Done"), "open": _("Not done")}}
    return render(request, "operations/list.html", page=result, chart=json.dumps(chart),
                  may_plan=capabilities.can(user, "operations.plan"))


# --- a new operation --------------------------------------------------------------------

def _agencies(session: Session, user: User) -> list[Agency]:
    """The agencies that may take part: active, in the TLP community (no shipping agency),
    the planner's own units first, then the other agencies, by code. The planning
    organisation itself is not offered: it plans, it does not take part."""
    rows = session.scalars(select(Agency).where(
        Agency.active.is_(True), Agency.kind.not_in(list(PRIVATE_KINDS)),
        Agency.id != user.organisation_id).order_by(Agency.code))
    own = user.organisation_id
    return sorted(rows, key=lambda a: a.organisation_id != own)


def _local_input(when: Any) -> str:
    """An instant as a ``datetime-local`` value on the user's wall clock."""
    return when.astimezone(ZoneInfo(context.current().timezone)).replace(
        tzinfo=None).isoformat(timespec="minutes")


def _parse_area(text: str | None) -> tuple[Any, str | None]:
    """The area typed, pasted or drawn (GeoJSON text): its object, or an error for the field.
    A FeatureCollection of one feature (what drawing tools save) is taken as that feature;
    the service checks the geometry."""
    if not text:
        return None, None
    try:
        area = json.loads(text)
    except ValueError:
        return None, _("Give the area as a GeoJSON polygon.")
    if not isinstance(area, dict):
        return None, _("Give the area as a GeoJSON polygon.")
    if area.get("type") == "FeatureCollection":
        features = area.get("features")
        if not isinstance(features, list) or len(features) != 1:
            return None, _("Give one polygon: the collection holds more or fewer than one "
                           "feature.")
        area = features[0]
    return area, None


def _ends_first(fields: dict[str, Any]) -> bool:
    try:
        return bool(datetime.fromisoformat(fields["ends_at"])
                    <= datetime.fromisoformat(fields["starts_at"]))
    except (TypeError, ValueError):
        return False


def _new_page(request: Request, session: Session, user: User, form: dict[str, Any], *,
              status: int = 200, errors: dict[str, str] | None = None) -> Response:
    capabilities.require(user, "operations.plan")
    agencies = _agencies(session, user)
    return render(request, "operations/new.html", status_code=status, form=form,
                  errors=errors or {},
                  own=[a for a in agencies if a.organisation_id == user.organisation_id],
                  others=[a for a in agencies if a.organisation_id != user.organisation_id])


@router.get("/new", response_class=HTMLResponse)
def new_operation(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    start = (utcnow() + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    form = {"starts_at": _local_input(start), "ends_at": _local_input(start + timedelta(days=1)),
            "participant_ids": []}
    return _new_page(request, session, user, form)


def _participants_field(errors: dict[str, str]) -> dict[str, str]:
    """The schema and the service name a participant ``participants`` or
    ``participants[0].agency_id``; the form's field is ``participant_ids``."""
    return {("participant_ids" if k.startswith("participants") else k): v
            for k, v in errors.items()}


@router.post("/new", response_class=HTMLResponse)
async def create(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "operations.plan")
    form = form_to_dict(await request.form(), lists=("participant_ids",), flags=("exercise",))
    # Typed or pasted GeoJSON wins over the drawing (the hidden field the map writes).
    area, area_error = _parse_area(form.get("area_text") or form.get("area"))
    fields = {"name": form.get("name"), "description": form.get("description", ""),
              "starts_at": wall_clock(form.get("starts_at")),
              "ends_at": wall_clock(form.get("ends_at")), "area": area,
              "exercise": form["exercise"],
              "participants": [{"agency_id": a} for a in form["participant_ids"]]}
    payload, errors = validate(OperationIn, {k: v for k, v in fields.items() if v is not None})
    if area_error:
        errors["area"] = area_error
    if _ends_first(fields) and not errors.keys() & {"starts_at", "ends_at"}:
        # The service says so too, but only once the rest is right: said here, it comes
        # back with the form's other errors at once.
        errors["ends_at"] = _("The end must come after the start.")
    if not errors:
        operation, errors = attempt(lambda: service.create(session, user=user, data=payload))
        if operation is not None:
            return RedirectResponse(f"/operations/{operation.id}", status_code=303)
    return _new_page(request, session, user, form, status=422,
                     errors=_participants_field(errors))


# --- one operation ----------------------------------------------------------------------

def _plan_choices(session: Session, user: User, operation: OperationOut,
                  ) -> dict[str, list[Agency]]:
    """For the planner's forms: agencies that may still join, and those a post may belong to
    (the planner's own units and the agencies taking part)."""
    taking_part = {p.agency_id for p in operation.participants}
    agencies = _agencies(session, user)
    return {"joinable": [a for a in agencies if a.id not in taking_part],
            "post_agencies": [a for a in agencies if a.id in taking_part
                              or a.organisation_id == user.organisation_id]}


def _detail(request: Request, session: Any, user: User, operation_id: int, *,
            template: str = "operations/detail.html", status_code: int = 200,
            errors: dict[str, str] | None = None, form: dict[str, Any] | None = None,
            ) -> Response:
    operation = service.get(session, user=user, operation_id=operation_id)
    detail = service.detail(session, user=user, operation=operation)
    log = service.log_out(session, list(session.scalars(
        service.log_query(operation).limit(LOG_SHOWN))))
    columns = [(status, [t for t in detail.tasks_list if t.status == status])
               for status in TaskStatus]
    choices = (_plan_choices(session, user, detail)
               if detail.may_plan and template == "operations/detail.html"
               else {"joinable": [], "post_agencies": []})
    return render(request, template, status_code=status_code, operation=detail, log=log,
                  columns=columns, statuses=list(TaskStatus), errors=errors or {},
                  participants=detail.participants, form=form or {}, **choices)


@router.get("/{operation_id}", response_class=HTMLResponse)
def detail(request: Request, session: SessionDep, user: CurrentUser, operation_id: Id,
           fragment: bool = False) -> Response:
    return _detail(request, session, user, operation_id,
                   template="operations/_board.html" if fragment else "operations/detail.html")


@router.get("/{operation_id}/map.json")
def map_json(session: SessionDep, user: CurrentUser, operation_id: Id) -> Response:
    """The area and the posts as GeoJSON for the page's map."""
    operation = service.get(session, user=user, operation_id=operation_id)
    data = service.detail(session, user=user, operation=operation)
    posts = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
              "properties": {"label": p.name + (f" · {p.agency}" if p.agency else "")
                             + (f" · {p.staff}" if p.staff else "")}} for p in data.posts]
    area = ({"type": "Feature", "geometry": data.area, "properties": {"label": data.name}}
            if data.area else None)
    return JSONResponse({"area": area, "posts": {"type": "FeatureCollection",
                                                  "features": posts}})


@router.post("/{operation_id}/tasks/{task_id}/status")
async def task_status(request: Request, session: SessionDep, user: CurrentUser,
                      operation_id: Id, task_id: Id) -> Response:
    form = await request.form()
    try:
        data = TaskStatusIn.model_validate({"status": form.get("status")})
        operation = service.get(session, user=user, operation_id=operation_id)
        service.set_task_status(session, user=user, operation=operation, task_id=task_id,
                                status=data.status)
    except ValidationError as error:
        return _detail(request, session, user, operation_id, status_code=422,
                       errors=field_errors(error))
    return RedirectResponse(f"/operations/{operation_id}#board", status_code=303)


@router.post("/{operation_id}/tasks")
async def add_task(request: Request, session: SessionDep, user: CurrentUser,
                   operation_id: Id) -> Response:
    form = await request.form()
    operation = service.get(session, user=user, operation_id=operation_id)
    try:
        data = TaskIn.model_validate({"title": form.get("title"),
                                      "owner_agency_id": form.get("owner_agency_id"),
                                      "due_at": wall_clock(str(form.get("due_at") or ""))})
        service.add_task(session, user=user, operation=operation, data=data)
    except ValidationError as error:
        return _detail(request, session, user, operation_id, status_code=422,
                       errors=field_errors(error))
    except BastionError as error:
        if error.status_code != 422:
            raise
        return _detail(request, session, user, operation_id, status_code=422,
                       errors={error.field or "title": error.message})
    return RedirectResponse(f"/operations/{operation_id}#board", status_code=303)


@router.post("/{operation_id}/log")
async def write_log(request: Request, session: SessionDep, user: CurrentUser,
                    operation_id: Id) -> Response:
    form = await request.form()
    operation = service.get(session, user=user, operation_id=operation_id)
    try:
        data = LogIn.model_validate({"text": form.get("text") or ""})
    except ValidationError as error:
        return _detail(request, session, user, operation_id, status_code=422,
                       errors={"log_" + k: v for k, v in field_errors(error).items()})
    service.add_log(session, user=user, operation=operation, data=data)
    return RedirectResponse(f"/operations/{operation_id}#log", status_code=303)


def _prefixed(prefix: str, errors: dict[str, str]) -> dict[str, str]:
    """The detail page holds several forms: each one's fields are named with its prefix."""
    return {prefix + k: v for k, v in errors.items()}


@router.post("/{operation_id}/participants")
async def add_participant(request: Request, session: SessionDep, user: CurrentUser,
                          operation_id: Id) -> Response:
    form = form_to_dict(await request.form())
    operation = service.get(session, user=user, operation_id=operation_id)
    access.require_plans(user, operation)
    data, errors = validate(ParticipantIn, {"agency_id": form.get("agency_id"),
                                            "role": form.get("role", "")})
    if not errors:
        _added, errors = attempt(lambda: service.add_participant(
            session, user=user, operation=operation, data=data))
        if not errors:
            return RedirectResponse(f"/operations/{operation_id}#participants",
                                    status_code=303)
    if "agency_id" in errors and "agency_id" not in form:
        errors["agency_id"] = _("Choose an agency.")
    return _detail(request, session, user, operation_id, status_code=422,
                   errors=_prefixed("participant_", errors),
                   form=_prefixed("participant_", form))


@router.post("/{operation_id}/posts")
async def add_post(request: Request, session: SessionDep, user: CurrentUser,
                   operation_id: Id) -> Response:
    form = form_to_dict(await request.form())
    operation = service.get(session, user=user, operation_id=operation_id)
    access.require_plans(user, operation)
    fields = {k: form.get(k) for k in ("name", "agency_id", "lat", "lon", "staff", "note")}
    data, errors = validate(PostIn, {k: v for k, v in fields.items() if v is not None})
    if "lat" in errors:
        errors["lat"] = _("Click the map, or enter a latitude between -90 and 90.")
    if "lon" in errors:
        errors["lon"] = _("Click the map, or enter a longitude between -180 and 180.")
    if not errors:
        _added, errors = attempt(lambda: service.add_post(
            session, user=user, operation=operation, data=data))
        if not errors:
            return RedirectResponse(f"/operations/{operation_id}#posts", status_code=303)
    return _detail(request, session, user, operation_id, status_code=422,
                   errors=_prefixed("post_", errors), form=_prefixed("post_", form))
