"""Pages of hazards: the list with its map (``/hazards``), a new report drawn on the map
(``/hazards/new``, also from a patrol observation: ``?observation_id=``), one hazard with its
photos, work order, history and the actions the user may take, and the map's GeoJSON (also
an overlay of the border map). Capabilities and need-to-know are the services' (403, 404)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.attachments import service as attachments
from bastion.border.geo import views as border_views
from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.db import utcnow
from bastion.core.errors import BastionError
from bastion.core.i18n import lazy
from bastion.core.pagination import PageParams, fetch
from bastion.hazards import access, categories, field, service
from bastion.hazards.models import Hazard, HazardStatus
from bastion.hazards.schemas import ActionIn, HazardIn
from bastion.org import capabilities
from bastion.org.models import Agency, User
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import error_for, form_to_dict, read_upload, validate, wall_clock
from bastion.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 50

border_views.OVERLAYS.append(("hazards.read", lazy("Hazards"), "/hazards/map.geojson"))


def agency_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    language = context.current().language
    wanted = {i for i in ids if i} or {0}
    return {a.id: a.display_name(language)
            for a in session.scalars(select(Agency).where(Agency.id.in_(wanted)))}


def feature(h: Hazard) -> dict[str, Any]:
    return {"type": "Feature", "geometry": h.geometry, "properties": {
        "id": h.id, "label": f"{h.shown_title} · {_status(h)}", "status": h.status.value,
        "category": h.category, "link": f"/hazards/{h.id}", "exercise": h.exercise}}


def _status(h: Hazard) -> str:
    from bastion.core.labels import label
    return label(h.status)


@router.get("/hazards/map.geojson")
def map_geojson(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """The open hazards and the last year's closed ones the user may see, as GeoJSON."""
    query = service.list_query(user).where(
        (Hazard.status.in_((HazardStatus.REPORTED, HazardStatus.TRIAGED, HazardStatus.ORDERED)))
        | (Hazard.observed_at >= utcnow() - timedelta(days=366))).limit(2000)
    return {"type": "FeatureCollection", "features": [feature(h) for h in session.scalars(query)]}


@router.get("/hazards", response_class=HTMLResponse)
def list_page(request: Request, session: SessionDep, user: CurrentUser,
              offset: Annotated[int, Query(ge=0, le=10**6)] = 0) -> Response:
    params = request.query_params
    status = params.get("status") or None
    category = params.get("category") or None
    overdue = params.get("overdue") == "1" or None
    try:
        query = service.list_query(user, status=HazardStatus(status) if status else None,
                                   category=category if category in categories.codes() else None,
                                   overdue=overdue)
    except ValueError:
        query = service.list_query(user)
    paging = PageParams(limit=PAGE, offset=offset)
    rows, total = fetch(session, query, paging)
    orders = service.orders_of(session, rows)
    now = utcnow()
    return render(request, "hazards/list.html", hazards=rows, total=total, paging=paging,
                  orders=orders, now=now, overdue={h.id for h in rows
                                                   if service.overdue(orders.get(h.id), h, now)},
                  agencies=agency_names(session, {h.post_agency_id for h in rows}),
                  statuses=list(HazardStatus), categories=categories.codes(),
                  filters={"status": status or "", "category": category or "",
                           "overdue": "1" if overdue else ""})


def _new(request: Request, session: Session, user: User, status: int = 200,
         form: dict[str, Any] | None = None, **extra: Any) -> Response:
    capabilities.require(user, "hazards.report")
    return render(request, "hazards/new.html", status_code=status,
                  categories=list(categories.all_categories().values()),
                  posts=field.posts_for(session, user), form=form or {},
                  is_post=user.agency.kind.value == "joint_defence_post",
                  new_client_id=(form or {}).get("client_id") or str(uuid.uuid4()), **extra)


@router.get("/hazards/new", response_class=HTMLResponse)
def new_page(request: Request, session: SessionDep, user: CurrentUser,
             observation_id: Id | None = None) -> Response:
    form: dict[str, Any] = {}
    if observation_id is not None:
        capabilities.require(user, "hazards.report")
        existing = session.scalar(select(Hazard.id).where(Hazard.observation_id == observation_id))
        if existing is not None and session.scalar(access.hazards_query(user).where(
                Hazard.id == existing).with_only_columns(Hazard.id)):
            return RedirectResponse(f"/hazards/{existing}", status_code=303)
        draft = service.observation_draft(session, user=user, observation_id=observation_id)
        form = {k: draft[k] for k in ("observation_id", "category", "note", "post_agency_id",
                                      "segment_id") if draft.get(k) is not None}
        if draft.get("lon") is not None:
            form["geometry"] = json.dumps({"type": "Point",
                                           "coordinates": [draft["lon"], draft["lat"]]})
        form["_observation"] = draft
    return _new(request, session, user, form=form)


@router.post("/hazards/new", response_class=HTMLResponse)
async def new_post(request: Request, session: SessionDep, user: CurrentUser,
                   settings: SettingsDep) -> Response:
    capabilities.require(user, "hazards.report")
    raw = await request.form()
    data = form_to_dict(raw, flags=("exercise",))
    photo = raw.get("photo")
    data.pop("photo", None)
    body = dict(data)
    if body.get("geometry"):
        try:
            body["geometry"] = json.loads(body["geometry"])
        except ValueError:
            body["geometry"] = {"type": "invalid"}
    body["observed_at"] = wall_clock(body.get("observed_at"))
    payload, errors = validate(HazardIn, body)
    if not errors:
        try:
            picture = None
            if photo is not None and getattr(photo, "filename", ""):
                max_bytes = settings.max_attachment_mb * 2**20
                picture = (photo.filename, read_upload(photo, max_bytes))
                field.photo_checked(picture[1], picture[0], max_bytes)  # before anything is kept
            hazard, _created = service.report(session, user=user, data=payload)
            if picture is not None:
                attachments.add(session, user=user, record_kind=Hazard.record_kind,
                                record_id=hazard.id, filename=picture[0], data=picture[1],
                                max_bytes=max_bytes)
            return RedirectResponse(f"/hazards/{hazard.id}", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 413, 422):
                raise
            errors = error_for(exc)
            if "file" in errors:
                errors["photo"] = errors.pop("file")
    return _new(request, session, user, status=422, form=data, errors=errors)


def _detail(request: Request, session: Session, user: User, hazard_id: int, status: int = 200,
            **extra: Any) -> Response:
    hazard = service.get(session, user=user, hazard_id=hazard_id)
    info = service.detail(session, hazard, user=user)
    order = info["work_order"]
    units = [a for a in session.scalars(select(Agency).where(
        (Agency.root_id == hazard.owner_org_id) | (Agency.id == hazard.owner_org_id),
        Agency.active.is_(True)).order_by(Agency.code))]
    names = agency_names(session, {hazard.post_agency_id, hazard.reported_by_agency_id,
                                   order["assignee_agency_id"] if order else None})
    cat = categories.get(hazard.category)
    return render(request, "hazards/detail.html", status_code=status, **{
        "hazard": hazard, "info": info, "order": order, "names": names, "units": units,
        "unit": cat.unit if cat else None, "today": utcnow().astimezone(service.zone()).date(),
        "can_attach": capabilities.can(user, "hazards.report")
        or capabilities.can(user, "hazards.work"),
        "feature": json.dumps({"type": "FeatureCollection", "features": [feature(hazard)]}),
        "form": {}, **extra})


@router.get("/hazards/{hazard_id:int}", response_class=HTMLResponse)
def detail_page(request: Request, hazard_id: Id, session: SessionDep,
                user: CurrentUser) -> Response:
    return _detail(request, session, user, hazard_id)


@router.post("/hazards/{hazard_id:int}/actions", response_class=HTMLResponse)
async def act(request: Request, hazard_id: Id, session: SessionDep,
              user: CurrentUser) -> Response:
    raw = await request.form()
    data = form_to_dict(raw)
    codes, names = raw.getlist("item_code"), raw.getlist("item_name")
    qtys, units = raw.getlist("item_quantity"), raw.getlist("item_unit")
    materials = [{"item_code": str(c).strip(), "item_name": str(n).strip(),
                  "quantity": str(q).strip(), "unit": str(u).strip()}
                 for c, n, q, u in zip(codes, names, qtys, units, strict=False) if str(c).strip()]
    for key in ("item_code", "item_name", "item_quantity", "item_unit"):
        data.pop(key, None)
    payload, errors = validate(ActionIn, {**data, "materials": materials})
    if not errors:
        try:
            service.act(session, user=user, hazard_id=hazard_id, data=payload)
            return RedirectResponse(f"/hazards/{hazard_id}", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 422):
                raise
            errors = error_for(exc)
    if any(k.startswith("materials") for k in errors):
        errors.setdefault("materials", next(v for k, v in errors.items()
                                            if k.startswith("materials")))
    return _detail(request, session, user, hazard_id, status=409 if "__all__" in errors
                   or "status" in errors else 422, form=data, errors=errors)


@router.post("/hazards/{hazard_id:int}/photos", response_class=HTMLResponse)
async def add_photo(request: Request, hazard_id: Id, session: SessionDep, user: CurrentUser,
                    settings: SettingsDep) -> Response:
    hazard = service.get(session, user=user, hazard_id=hazard_id)
    raw = await request.form()
    photo = raw.get("photo")
    try:
        if photo is None or not getattr(photo, "filename", ""):
            from bastion.core.errors import Invalid
            from bastion.core.i18n import gettext as _

            raise Invalid(_("Choose a photo."), field="photo")
        max_bytes = settings.max_attachment_mb * 2**20
        data = read_upload(photo, max_bytes)
        field.photo_checked(data, photo.filename, max_bytes)
        attachments.add(session, user=user, record_kind=Hazard.record_kind, record_id=hazard.id,
                        filename=photo.filename, data=data, max_bytes=max_bytes)
    except BastionError as exc:
        if exc.status_code not in (413, 422):
            raise
        errors = error_for(exc)
        errors.setdefault("photo", errors.pop("file", None) or next(iter(errors.values())))
        return _detail(request, session, user, hazard_id, status=exc.status_code, errors=errors)
    return RedirectResponse(f"/hazards/{hazard_id}", status_code=303)
