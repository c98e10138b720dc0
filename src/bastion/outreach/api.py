"""REST API of legal outreach (``/api/v1/outreach``): the linked villages one records for,
visits (list, one, record — idempotent by ``client_id``: a replay answers 200 with
``"duplicate": true``), a photo on a visit (multipart, by visit id or the phone's client id),
the compliance board, the year's statistics and its workbook."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Query, Response, UploadFile
from fastapi.encoders import jsonable_encoder

from bastion.core.bounds import Id
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.pagination import Page, PageDep, from_list, paginate
from bastion.org import capabilities
from bastion.outreach import access, service
from bastion.outreach.links import linked
from bastion.outreach.schemas import VisitIn
from bastion.outreach.topics import TOPICS
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1/outreach", tags=["outreach"])
Year = Annotated[int | None, Query(ge=2000, le=2100)]


@router.get("/villages")
def villages(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[dict[str, Any]]:
    capabilities.require(user, access.READ)
    return from_list([vars(link) for link in linked(session, user=user)], page)


@router.get("/topics")
def topics(user: CurrentUser) -> dict[str, str]:
    return {k: _(v) for k, v in TOPICS.items()}


@router.get("/visits")
def visits(session: SessionDep, user: CurrentUser, page: PageDep,
           month: Annotated[date | None, Query(description="any day of the month")] = None,
           village_id: Id | None = None, post_agency_id: Id | None = None
           ) -> Page[dict[str, Any]]:
    query = service.listing(user, month=month, village_id=village_id,
                            post_agency_id=post_agency_id)
    names = service.names_of(session, user)
    return paginate(session, query, page, lambda v: jsonable_encoder(service.public(v, names)))


@router.post("/visits", status_code=201)
def record(data: VisitIn, response: Response, session: SessionDep,
           user: CurrentUser) -> dict[str, Any]:
    visit, created = service.record(session, user=user, data=data)
    response.status_code = 201 if created else 200
    return jsonable_encoder({**service.public(visit, service.names_of(session, user)),
                             "duplicate": not created})


@router.get("/visits/{visit_id}")
def visit(visit_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    row = access.find(session, user=user, visit_id=visit_id)
    return jsonable_encoder(service.public(row, service.names_of(session, user),
                                           service.photos(session, [row]).get(row.id)))


@router.post("/photos", status_code=201)
def photo(file: UploadFile, response: Response, session: SessionDep, user: CurrentUser,
          settings: SettingsDep, client_id: Annotated[UUID | None, Form()] = None,
          visit_id: Annotated[Id | None, Form()] = None) -> dict[str, Any]:
    """A photo on a visit, named by ``visit_id`` or by the ``client_id`` the phone gave it."""
    capabilities.require(user, service.RECORD)
    if client_id is None and visit_id is None:
        raise Invalid(_("Name the visit (its id or the phone's client id)."), field="visit_id")
    max_bytes = settings.max_attachment_mb * 2**20
    data = read_upload(file, max_bytes)
    attachment, created = service.add_photo(
        session, user=user, client_id=str(client_id) if client_id else None, visit_id=visit_id,
        filename=file.filename or "photo.jpg", data=data, max_bytes=max_bytes)
    response.status_code = 201 if created else 200
    return {"id": attachment.id, "record_id": attachment.record_id,
            "filename": attachment.filename, "duplicate": not created}


@router.get("/board")
def board(session: SessionDep, user: CurrentUser, settings: SettingsDep,
          month: Annotated[date | None, Query(description="any day of the month")] = None,
          months: Annotated[int, Query(ge=1, le=24)] = 6) -> dict[str, Any]:
    return service.board(session, user=user, month=month or date.today(),
                         minimum=settings.outreach.min_visits_per_month, months=months)


@router.get("/stats")
def stats(session: SessionDep, user: CurrentUser, year: Year = None) -> dict[str, Any]:
    y = year or date.today().year
    return {**service.by_month(session, user=user, year=y),
            "totals": service.totals(session, user=user, start=date(y, 1, 1),
                                     end=date(y + 1, 1, 1))}
