"""REST API of the registry (``/api/v1/residents``): the list and search, registration (with
the possible duplicates found), one person's whole record (read with a purpose, audited), its
export, and the records that hang on a person. Need-to-know and capabilities are checked in
the services: 404 for a person not seen, 403 without the function."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, UploadFile
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field

from bastion.core.bounds import Id
from bastion.core.errors import NotFound
from bastion.core.i18n import gettext as _
from bastion.core.pagination import Page, PageDep, from_list, paginate
from bastion.residents import export, history, persons, service
from bastion.residents.schemas import (
    CrossingIn,
    HouseholdIn,
    ResidentIn,
    ResidentSummary,
)
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1/residents", tags=["residents"])

Purpose = Annotated[str, Query(max_length=200, description="why the record is opened "
                               "(written to the audit of reads)")]


def _match(m: dict[str, Any]) -> dict[str, Any]:
    r = m["resident"]
    return {"id": r.id, "name": r.name, "name_latin": r.name_latin, "name_han": r.name_han,
            "birth_date": r.birth_date, "score": m["score"], "why": m["why"],
            "reasons": m.get("reasons", [])}


@router.get("", response_model=Page[ResidentSummary])
def list_residents(session: SessionDep, user: CurrentUser, page: PageDep,
                   q: Annotated[str, Query(max_length=200)] = "", village_id: Id | None = None,
                   post_agency_id: Id | None = None) -> Page[ResidentSummary]:
    query, matches = persons.list_query(session, user=user, q=q, village_id=village_id,
                                        post_agency_id=post_agency_id)
    if matches is not None:
        return from_list([ResidentSummary.model_validate(m.resident) for m in matches], page)
    return paginate(session, query, page, ResidentSummary.model_validate)


@router.get("/similar")
def similar(session: SessionDep, user: CurrentUser,
            name: Annotated[str, Query(min_length=1, max_length=200)],
            birth_date: date | None = None) -> dict[str, Any]:
    """Who the person being registered may already be (the registration form asks first)."""
    from bastion.org import capabilities

    capabilities.require(user, "residents.read")
    return jsonable_encoder({"matches": [_match(m) for m in service.similar(
        session, user=user, name=name, birth_date=birth_date)]})


@router.post("", status_code=201)
def register(data: ResidentIn, session: SessionDep,
             user: CurrentUser) -> dict[str, Any]:
    """Register a person; ``warnings`` lists who they may already be (the person is
    registered all the same: the page asks before saving)."""
    resident = service.register(session, user=user, data=data)
    return jsonable_encoder({"resident": ResidentSummary.model_validate(resident),
                             "warnings": [_match(m) for m in
                                          getattr(resident, "warnings", [])]})


@router.get("/households")
def households(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[dict[str, Any]]:
    return paginate(session, persons.households_query(user), page,
                    lambda h: {"id": h.id, "code": h.code, "village_id": h.village_id,
                               "address": h.address})


@router.post("/households", status_code=201)
def add_household(data: HouseholdIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    h = persons.create_household(session, user=user, data=data)
    return {"id": h.id, "code": h.code, "village_id": h.village_id, "address": h.address}


@router.get("/{resident_id:int}")
def get_resident(resident_id: Id, session: SessionDep, user: CurrentUser,
                 purpose: Purpose = "") -> dict[str, Any]:
    """The whole record; the read is written with its ``purpose`` (422 without one)."""
    resident = history.read(session, user=user, resident_id=resident_id, purpose=purpose,
                            via="api")
    return jsonable_encoder(history.record(session, user=user, resident=resident))


@router.put("/{resident_id:int}")
def update(resident_id: Id, data: ResidentIn, session: SessionDep,
           user: CurrentUser) -> dict[str, Any]:
    resident = service.for_writing(session, user=user, resident_id=resident_id)
    service.update(session, user=user, resident=resident, data=data)
    return jsonable_encoder(ResidentSummary.model_validate(resident))


@router.get("/{resident_id:int}/export")
def export_record(resident_id: Id, session: SessionDep, user: CurrentUser,
                  purpose: Purpose = "") -> Response:
    body = export.export(session, user=user, resident_id=resident_id, purpose=purpose)
    import json

    return Response(json.dumps(jsonable_encoder(body), ensure_ascii=False, indent=1),
                    media_type="application/json", headers={
                        "Content-Disposition": f'attachment; filename="resident-{resident_id}.json"'})


@router.post("/{resident_id:int}/crossings", status_code=201)
def add_crossing(resident_id: Id, data: CrossingIn, response: Response, session: SessionDep,
                 user: CurrentUser) -> dict[str, Any]:
    resident = service.for_writing(session, user=user, resident_id=resident_id,
                                   capability="residents.crossings.record")
    crossing = service.add_crossing(session, user=user, resident=resident, data=data)
    if getattr(crossing, "replayed", False):
        response.status_code = 200
    return jsonable_encoder({"id": crossing.id, "at": crossing.at,
                             "direction": crossing.direction, "point_id": crossing.point_id,
                             "path": crossing.path, "designated": crossing.designated,
                             "document_id": crossing.document_id,
                             "duplicate": getattr(crossing, "replayed", False)})


@router.post("/{resident_id:int}/photo", status_code=201)
def photo(resident_id: Id, file: UploadFile, session: SessionDep, user: CurrentUser,
          settings: SettingsDep) -> dict[str, Any]:
    resident = service.for_writing(session, user=user, resident_id=resident_id)
    max_bytes = min(settings.max_attachment_mb * 2**20, persons.PHOTO_MAX_BYTES)
    attachment = persons.set_photo(session, user=user, resident=resident,
                                   filename=file.filename or "photo",
                                   data=read_upload(file, max_bytes), max_bytes=max_bytes)
    return {"id": attachment.id, "content_type": attachment.content_type,
            "width": attachment.width, "height": attachment.height}


class HouseholdChoice(BaseModel):
    household_id: Id | None = None


@router.put("/{resident_id:int}/household")
def set_household(resident_id: Id, data: HouseholdChoice, session: SessionDep,
                  user: CurrentUser) -> dict[str, Any]:
    """Put the person in a household of the caller's organisation (``null``: in none)."""
    resident = service.for_writing(session, user=user, resident_id=resident_id)
    persons.set_household(session, user=user, resident=resident,
                          household_id=data.household_id)
    return {"id": resident.id, "household_id": resident.household_id}


@router.post("/{resident_id:int}/household", status_code=201)
def new_household(resident_id: Id, data: HouseholdIn, session: SessionDep,
                  user: CurrentUser) -> dict[str, Any]:
    """A new household (in the person's village unless another is named), the person in it."""
    resident = service.for_writing(session, user=user, resident_id=resident_id)
    h = persons.new_household(session, user=user, resident=resident, data=data)
    return {"id": h.id, "code": h.code, "village_id": h.village_id, "address": h.address}


def _part(part: str) -> tuple[Any, Any, str]:
    if part not in persons.PARTS:
        raise NotFound(_("No such record."))
    return persons.PARTS[part]


def _add_route(part: str) -> None:
    _model, schema, _what = _part(part)

    def add(resident_id: Id, data: schema, session: SessionDep,  # type: ignore[valid-type]
            user: CurrentUser) -> dict[str, Any]:
        resident = service.for_writing(session, user=user, resident_id=resident_id)
        row = persons.add(session, user=user, resident=resident, part=part, data=data)
        return _columns(row)

    add.__annotations__["data"] = schema  # a real class: the name "schema" is no global
    add.__name__ = f"add_{part}"
    router.post(f"/{{resident_id:int}}/{part}", status_code=201, name=f"add_{part}")(add)


def _columns(row: Any) -> dict[str, Any]:
    return jsonable_encoder({c.name: getattr(row, c.name) for c in row.__table__.columns})


def _change_route(part: str) -> None:
    _model, schema, _what = _part(part)

    def change(resident_id: Id, record_id: Id, data: schema,  # type: ignore[valid-type]
               session: SessionDep, user: CurrentUser) -> dict[str, Any]:
        resident = service.for_writing(session, user=user, resident_id=resident_id)
        return _columns(persons.change(session, user=user, resident=resident, part=part,
                                       record_id=record_id, data=data))

    change.__annotations__["data"] = schema
    change.__name__ = f"change_{part}"
    router.put(f"/{{resident_id:int}}/{part}/{{record_id:int}}", name=f"change_{part}")(change)


for _name in persons.PARTS:
    _add_route(_name)
for _name in persons.ENDS:
    _change_route(_name)


class EndIn(BaseModel):
    on: date = Field(description="the last day (a residence period, permit, employment or "
                     "marriage ends at the end of it)")


@router.post("/{resident_id:int}/{part}/{record_id:int}/end")
def end(resident_id: Id, part: str, record_id: Id, data: EndIn, session: SessionDep,
        user: CurrentUser) -> dict[str, Any]:
    if part not in persons.ENDS:
        raise NotFound(_("No such record."))
    resident = service.for_writing(session, user=user, resident_id=resident_id)
    return _columns(persons.end(session, user=user, resident=resident, part=part,
                                record_id=record_id, on=data.on))


@router.delete("/{resident_id:int}/{part}/{record_id:int}", status_code=204)
def remove(resident_id: Id, part: str, record_id: Id, session: SessionDep,
           user: CurrentUser) -> Response:
    _part(part)
    resident = service.for_writing(session, user=user, resident_id=resident_id)
    persons.remove(session, user=user, resident=resident, part=part, record_id=record_id)
    return Response(status_code=204)
