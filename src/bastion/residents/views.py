"""Pages of the registry: the list and search (``/residents``), registration with the
duplicate warning before saving (``/residents/new``), one person's whole history
(``/residents/{id}``: it asks why the record is opened, and every view is written with that
purpose), and the crossing points (``/residents/points``, edited by the command)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.border.geo.models import BorderPlace, PlaceKind
from bastion.core import context
from bastion.core.bounds import MAX_ID, Id
from bastion.core.errors import BastionError
from bastion.core.i18n import gettext
from bastion.core.marking import visible_to
from bastion.core.pagination import PageParams, fetch
from bastion.core.reference.people import GENDERS
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User
from bastion.residents import access, history, persons, records_forms, service, words
from bastion.residents.crossings import points
from bastion.residents.crossings.models import CrossingPoint, Direction, PointKind
from bastion.residents.flags import rules
from bastion.residents.schemas import CrossingIn, CrossingPointIn, DocumentIn, ResidentIn
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import error_for, form_to_dict, validate
from bastion.web.templating import render

router = APIRouter(prefix="/residents", include_in_schema=False)
PAGE = 50


def _villages(session: Session, user: User) -> list[BorderPlace]:
    return list(session.scalars(select(BorderPlace).where(
        BorderPlace.kind == PlaceKind.VILLAGE, visible_to(BorderPlace, user))
        .order_by(BorderPlace.name)))


def _offset(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) < 10**9 else 0


@router.get("", response_class=HTMLResponse)
def list_page(request: Request, session: SessionDep, user: CurrentUser, q: str = "",
              village_id: str = "", offset: str = "") -> Response:
    q = q.strip()[:200]
    village = int(village_id) if village_id.isdigit() and int(village_id) <= MAX_ID else None
    query, matches = persons.list_query(session, user=user, q=q, village_id=village)
    start = _offset(offset)
    if matches is not None:
        total, rows = len(matches), [m.resident for m in matches[start:start + PAGE]]
    else:
        rows, total = fetch(session, query, PageParams(limit=PAGE, offset=start))
    places = {v.id: v for v in _villages(session, user)}
    more = {"q": q, **({"village_id": village} if village else {})}
    return render(request, "residents/list.html", residents=rows, total=total, q=q,
                  village_id=village, villages=list(places.values()), places=places,
                  offset=start, page=PAGE, query_string=urlencode(more),
                  can_write=capabilities.can(user, "residents.write"))


# --- registration ---------------------------------------------------------------------------

def _form_context(session: Session, user: User) -> dict[str, Any]:
    posts = list(session.scalars(select(Agency).where(
        Agency.kind == AgencyKind.JOINT_DEFENCE_POST, Agency.active).order_by(Agency.code)))
    return {"villages": _villages(session, user), "posts": posts, "genders": list(GENDERS),
            "new_client_id": str(uuid.uuid4())}


@router.get("/new", response_class=HTMLResponse)
def register_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "residents.write")
    return render(request, "residents/register.html", form={}, errors={}, matches=[],
                  **_form_context(session, user))


@router.post("/new", response_class=HTMLResponse)
async def register(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """Checks for the same person first: possible duplicates are shown and nothing is saved
    until the user confirms "register anyway" (or opens the existing person)."""
    capabilities.require(user, "residents.write")
    data = form_to_dict(await request.form())
    confirmed = data.pop("confirm", "") == "1"
    data["amber"] = data.get("amber") == "1"
    payload, errors = validate(ResidentIn, data)
    matches: list[dict[str, Any]] = []
    if not errors and not confirmed:
        matches = service.similar(session, user=user, name=payload.name,
                                  birth_date=payload.birth_date)
        if not matches and payload.name_latin:
            matches = service.similar(session, user=user, name=payload.name_latin,
                                      birth_date=payload.birth_date)
    if not errors and not matches:
        try:
            resident = service.register(session, user=user, data=payload)
            return RedirectResponse(
                f"/residents/{resident.id}?purpose=registration", status_code=303)
        except BastionError as exc:
            if exc.status_code != 422:
                raise
            errors = error_for(exc)
    return render(request, "residents/register.html", status_code=422 if errors else 200,
                  form=data, errors=errors, matches=matches, **_form_context(session, user))


# --- one person -----------------------------------------------------------------------------

def show_person(request: Request, session: Session, user: User, resident_id: int, purpose: str,
            status: int = 200, *, failed: str = "", form: dict[str, Any] | None = None,
            errors: dict[str, str] | None = None, edit: str = "") -> Response:
    """The person page; after a refused form, ``failed`` names that form (its errors and
    values are shown there, the other forms stay empty)."""
    capabilities.require(user, "residents.read")
    resident = access.find_resident(session, user=user, resident_id=resident_id)
    if not purpose.strip():  # ask why, before anything of the person is shown
        return render(request, "residents/person_purpose.html", resident_id=resident.id,
                      purposes=words.PURPOSES)
    history.read(session, user=user, resident_id=resident.id, purpose=purpose, via="page")
    record = history.record(session, user=user, resident=resident)
    language = context.current().language
    for flag in record["flags"]:  # in the reader's language, as the queue shows them
        flag["label"] = rules.label(flag["kind"])
        flag["article_shown"] = rules.article_for(flag["kind"], flag["article"], language)
        flag["lines"] = rules.render_why(flag["why"])
    points_list = list(session.scalars(select(CrossingPoint).where(CrossingPoint.active)
                                       .order_by(CrossingPoint.province_cn, CrossingPoint.code)))
    can_write = capabilities.can(user, "residents.write")
    forms: dict[str, dict[str, Any]] = {failed: form or {}} if failed else {}
    editing = records_forms.editing(record, edit) if can_write and not failed else None
    if editing is not None:  # "Edit" on a row: its form filled with the stored values
        failed, forms = "", {editing["part"]: editing["values"]}
    elif failed.startswith("edit-"):
        editing = {"part": failed.split("-")[1], "id": (form or {}).get("record_id", ""),
                   "values": form or {}}
        forms = {editing["part"]: form or {}}
    return render(request, "residents/person.html", status_code=status, r=record,
                  resident=resident, purpose=purpose,
                  purpose_label=gettext(words.PURPOSES[purpose]) if purpose in words.PURPOSES
                  else purpose, points=points_list, directions=list(Direction),
                  can_write=can_write,
                  can_cross=capabilities.can(user, "residents.crossings.record"),
                  can_export=capabilities.can(user, "residents.export"),
                  forms=forms, failed=failed, editing=editing,
                  crossing_form=forms.get("crossings", {}),
                  document_form=forms.get("documents", {}),
                  **(records_forms.choices(session, user=user, resident=resident, record=record)
                     if can_write else {}),
                  new_client_id=str(uuid.uuid4()), errors=errors or {})


@router.get("/{resident_id:int}", response_class=HTMLResponse)
def person_page(request: Request, resident_id: Id, session: SessionDep, user: CurrentUser,
                purpose: str = "", edit: str = "") -> Response:
    return show_person(request, session, user, resident_id, purpose[:200], edit=edit[:40])


def back_to_person(resident_id: int, purpose: str, anchor: str = "") -> RedirectResponse:
    """Back to the person page (with the purpose it was opened for), at the section written."""
    return RedirectResponse(f"/residents/{resident_id}?{urlencode({'purpose': purpose})}"
                            + (f"#{anchor}" if anchor else ""), status_code=303)


@router.post("/{resident_id:int}/crossings", response_class=HTMLResponse)
async def add_crossing(request: Request, resident_id: Id, session: SessionDep,
                       user: CurrentUser) -> Response:
    resident = service.for_writing(session, user=user, resident_id=resident_id,
                                   capability="residents.crossings.record")
    data = form_to_dict(await request.form())
    purpose = data.pop("purpose", "") or "crossing_check"
    payload, errors = validate(CrossingIn, data)
    if not errors:
        try:
            service.add_crossing(session, user=user, resident=resident, data=payload)
            return back_to_person(resident.id, purpose)
        except BastionError as exc:
            if exc.status_code != 422:
                raise
            errors = error_for(exc)
    return show_person(request, session, user, resident.id, purpose, status=422,
                   failed="crossings", form=data, errors=errors)


@router.post("/{resident_id:int}/documents", response_class=HTMLResponse)
async def add_document(request: Request, resident_id: Id, session: SessionDep,
                       user: CurrentUser) -> Response:
    resident = service.for_writing(session, user=user, resident_id=resident_id)
    data = form_to_dict(await request.form())
    purpose = data.pop("purpose", "") or "registration"
    payload, errors = validate(DocumentIn, data)
    if not errors:
        persons.add(session, user=user, resident=resident, part="documents", data=payload)
        return back_to_person(resident.id, purpose)
    return show_person(request, session, user, resident.id, purpose, status=422,
                   failed="documents", form=data, errors=errors)


# --- crossing points ------------------------------------------------------------------------

def _points_page(request: Request, session: Session, user: User, status: int = 200,
                 **extra: Any) -> Response:
    rows = list(session.scalars(points.list_query(user=user)))
    return render(request, "residents/points.html", status_code=status, points=rows,
                  kinds=list(PointKind), can_edit=capabilities.can(user, "residents.points.edit"),
                  **{"form": {}, "errors": {}, "editing": None, **extra})


@router.get("/points", response_class=HTMLResponse)
def points_page(request: Request, session: SessionDep, user: CurrentUser,
                edit: str = "") -> Response:
    editing = None
    if edit.isdigit() and int(edit) <= MAX_ID:
        editing = points.get(session, user=user, point_id=int(edit))
    form = {} if editing is None else {
        **{k: getattr(editing, k) for k in ("code", *points.FIELDS)},
        "aliases": "; ".join(editing.aliases or []), "kind": editing.kind.value}
    return _points_page(request, session, user, editing=editing, form=form)


def _point_payload(data: dict[str, Any]) -> dict[str, Any]:
    aliases = (data.get("aliases") or "").replace("；", ";").split(";")
    return {**data, "aliases": [a.strip() for a in aliases if a.strip()],
            "active": data.get("active") == "1"}


@router.post("/points/load-reference", response_class=HTMLResponse)
def load_points(session: SessionDep, user: CurrentUser) -> Response:
    points.load_shipped(session, user=user)
    return RedirectResponse("/residents/points", status_code=303)


@router.post("/points", response_class=HTMLResponse)
async def save_point(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "residents.points.edit")
    data = form_to_dict(await request.form())
    point_id = data.pop("point_id", "")
    editing = None
    if point_id:
        editing = points.get(session, user=user, point_id=int(point_id)) \
            if point_id.isdigit() and int(point_id) <= MAX_ID else None
    payload, errors = validate(CrossingPointIn, _point_payload(data))
    if not errors:
        try:
            if editing is not None:
                points.update(session, user=user, point=editing, data=payload)
            else:
                points.create(session, user=user, data=payload)
            return RedirectResponse("/residents/points", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 422):
                raise
            errors = error_for(exc)
    return _points_page(request, session, user, status=422, form=data, errors=errors,
                        editing=editing)
