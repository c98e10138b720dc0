"""Pages of joint operations: the list (with a chart of tasks done), and one operation with its
map (area and posts), its task board (updated live) and its log."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from bastion.core.bounds import Id, Offset
from bastion.core.errors import BastionError
from bastion.core.i18n import gettext as _
from bastion.core.pagination import PageParams, paginate
from bastion.operations import service
from bastion.operations.models import TaskStatus
from bastion.operations.schemas import LogIn, TaskIn, TaskStatusIn
from bastion.org.models import User
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import field_errors, wall_clock
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
    return render(request, "operations/list.html", page=result, chart=json.dumps(chart))


def _detail(request: Request, session: Any, user: User, operation_id: int, *,
            template: str = "operations/detail.html", status_code: int = 200,
            errors: dict[str, str] | None = None) -> Response:
    operation = service.get(session, user=user, operation_id=operation_id)
    detail = service.detail(session, user=user, operation=operation)
    log = service.log_out(session, list(session.scalars(
        service.log_query(operation).limit(LOG_SHOWN))))
    columns = [(status, [t for t in detail.tasks_list if t.status == status])
               for status in TaskStatus]
    return render(request, template, status_code=status_code, operation=detail, log=log,
                  columns=columns, statuses=list(TaskStatus), errors=errors or {},
                  participants=detail.participants)


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
