"""REST API of evaluations (``/api/v1/evaluations``): the people one assesses, the indicator
set in force (and a new version), monthly assessments (list, write, one), annual ratings with
the override, a person's history (an audited read), and a month's workbook in and out.
Need-to-know and capabilities are in the service."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Response, UploadFile
from fastapi.encoders import jsonable_encoder

from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, from_list, paginate
from bastion.evaluations import access, service, xlsx
from bastion.evaluations.schemas import AssessmentIn, IndicatorSetIn, Month, OverrideIn
from bastion.org import capabilities
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1/evaluations", tags=["evaluations"])
MAX_UPLOAD = 5 * 1024 * 1024
MonthQ = Annotated[Month | None, Query(description="YYYY-MM")]
Year = Annotated[int, Query(ge=2000, le=2100)]


def _this_month() -> date:
    return date.today().replace(day=1)


@router.get("/people")
def people(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[dict[str, Any]]:
    capabilities.require(user, access.READ)
    return from_list([{"id": p.id, "name": p.name, "unit_id": p.unit_id}
                      for p in access.people(session, user)], page)


@router.get("/indicators")
def indicator_set(session: SessionDep, user: CurrentUser, month: MonthQ = None) -> dict[str, Any]:
    found = service.current_set(session, user=user, on=month or _this_month())
    return jsonable_encoder(service.public_set(session, found))


@router.post("/indicators", status_code=201)
def new_indicator_set(data: IndicatorSetIn, session: SessionDep,
                      user: CurrentUser) -> dict[str, Any]:
    return jsonable_encoder(service.public_set(session, service.save_set(session, user=user,
                                                                         data=data)))


@router.get("/assessments")
def assessments(session: SessionDep, user: CurrentUser, page: PageDep, month: MonthQ = None,
                person_id: Id | None = None,
                year: Annotated[int | None, Query(ge=2000, le=2100)] = None
                ) -> Page[dict[str, Any]]:
    """Scores are personal data: a page that lists any is written to the audit log, like a
    person's history."""
    names = {p.id: p.name for p in access.people(session, user)}
    query = service.listing(user, month=month, person_id=person_id, year=year)
    found = paginate(session, query, page,
                     lambda a: jsonable_encoder(service.public(session, a, names)))
    if found.items:
        access.audited_listing(session, user=user, count=len(found.items))
    return found


@router.post("/assessments", status_code=201)
def assess(data: AssessmentIn, response: Response, session: SessionDep,
           user: CurrentUser) -> dict[str, Any]:
    row, created = service.save_assessment(session, user=user, data=data)
    response.status_code = 201 if created else 200
    return jsonable_encoder(service.public(session, row))


@router.get("/assessments/{assessment_id}")
def assessment(assessment_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    row = service.get(session, user=user, assessment_id=assessment_id)
    person = access.find_person(session, user, row.person_id)
    access.audited_read(session, user=user, person=person, assessment_id=row.id)
    return jsonable_encoder(service.public(session, row, {person.id: person.name}))


@router.get("/annual")
def annual(session: SessionDep, user: CurrentUser, page: PageDep, year: Year) -> dict[str, Any]:
    rows = service.annual(session, user=user, year=year)
    return {"year": year, "counts": service.rating_counts(rows),
            "people": jsonable_encoder(from_list(rows, page))}


@router.post("/ratings")
def override(data: OverrideIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    service.set_override(session, user=user, data=data)
    row = next((r for r in service.annual(session, user=user, year=data.year)
                if r["person_id"] == data.person_id), None)
    return jsonable_encoder(row or {"person_id": data.person_id, "rating": None})


@router.get("/people/{person_id}/history")
def history(person_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return jsonable_encoder(service.history(session, user=user, person_id=person_id))


@router.post("/import", status_code=201)
def import_month(file: UploadFile, month: Annotated[Month, Form(description="YYYY-MM")],
                 session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    data = read_upload(file, MAX_UPLOAD)
    return xlsx.import_month(session, user=user, month=month, data=data,
                             filename=file.filename or "upload.xlsx")


@router.get("/export.xlsx")
def export(session: SessionDep, user: CurrentUser, month: MonthQ = None,
           language: Annotated[str, Query(pattern="^(en|zh-CN|both)$")] = "both") -> Response:
    when = month or _this_month()
    body = xlsx.export(session, user=user, month=when, language=language)
    return Response(body, media_type=xlsx.MEDIA_TYPE, headers={
        "content-disposition": f"attachment; filename=evaluations-{when:%Y-%m}.xlsx"})
