"""Pages of evaluations: the month (who is assessed, the totals, the year's chart, the workbook
in and out), entering one person's assessment, the annual ratings (with the override), and a
person's history (a line chart; an audited read). Capabilities and need-to-know are the
service's (403, 404)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.errors import BastionError, Invalid
from bastion.core.i18n import gettext as _
from bastion.core.tabular import Problems
from bastion.evaluations import access, service, xlsx
from bastion.evaluations.models import Assessment, IndicatorSet, Rating
from bastion.evaluations.schemas import AssessmentIn, OverrideIn, _month
from bastion.evaluations.words import RATINGS
from bastion.org import capabilities
from bastion.org.models import Agency, User
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import chosen_file, error_for, form_to_dict, read_upload, validate
from bastion.web.templating import render

router = APIRouter(prefix="/evaluations", include_in_schema=False)


def _today() -> date:
    return datetime.now(ZoneInfo(context.current().timezone)).date()


def _month_of(text: str | None) -> date:
    if not text:
        return _today().replace(day=1)
    try:
        value = _month(text)
    except ValueError:
        raise Invalid(_("A month is written YYYY-MM."), field="month") from None
    assert isinstance(value, date)
    return value


def _units(session: Session, ids: set[int]) -> dict[int, str]:
    language = context.current().language
    return {i: a.display_name(language) for i in ids if (a := session.get(Agency, i))}


def _name(i: Any) -> str:
    return i.name_en if context.current().language == "en" else i.name_zh


def _spec(kind: str, x: list[Any], series: list[dict[str, Any]], **extra: Any) -> str:
    return json.dumps({"type": kind, "x": x, "series": series, **extra}, ensure_ascii=False)


def _home(request: Request, session: Session, user: User, month: date, status: int = 200,
          **extra: Any) -> Response:
    capabilities.require(user, access.READ)
    found = service.indicators(session, service.current_set(session, user=user, on=month))
    people = access.people(session, user)
    rows = {a.person_id: a for a in session.scalars(service.listing(user, month=month))}
    year = list(session.scalars(service.listing(user, year=month.year)))
    means = []
    for m in range(1, 13):
        totals = [a.total for a in year if a.month.month == m]
        means.append(round(sum(totals) / len(totals), 1) if totals else None)
    counts = [sum(1 for a in year if a.month.month == m) for m in range(1, 13)]
    months = [f"{month.year}-{m:02d}" for m in range(1, 13)]
    chart = _spec("line", months, [{"name": _("Mean total"), "data": means},
                                   {"name": _("Assessed"), "data": counts, "type": "bar"}])
    return render(request, "evaluations/home.html", status_code=status, month=month,
                  month_text=month.strftime("%Y-%m"), people=people, rows=rows,
                  indicators=found, names={i.id: _name(i) for i in found},
                  units=_units(session, {p.unit_id for p in people}),
                  population=access.population_for(user), chart=chart,
                  can_assess=capabilities.can(user, "evaluations.assess"),
                  can_rate=capabilities.can(user, "evaluations.rate"), **extra)


@router.get("", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, user: CurrentUser,
         month: str | None = None) -> Response:
    return _home(request, session, user, _month_of(month))


@router.post("/import", response_class=HTMLResponse)
async def import_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "evaluations.assess")
    form = await request.form()
    month = _month_of(str(form.get("month") or ""))
    upload = chosen_file(form)
    try:
        done = xlsx.import_month(session, user=user, month=month, filename=upload.filename or "",
                                 data=read_upload(upload, 5 * 1024 * 1024))
    except Problems as problems:
        session.rollback()
        return _home(request, session, user, month, status=422, problems=problems.errors,
                     problem_message=problems.message)
    return _home(request, session, user, month, imported=done)


def _assess_page(request: Request, session: Session, user: User, person_id: int, month: date,
                 status: int = 200, form: dict[str, Any] | None = None,
                 errors: dict[str, str] | None = None) -> Response:
    capabilities.require(user, "evaluations.assess")
    person = access.find_person(session, user, person_id)
    found = service.indicators(session, service.current_set(session, user=user, on=month))
    existing = session.scalars(service.listing(user, month=month, person_id=person.id)).first()
    if form is None:
        form = {"comments": existing.comments if existing else ""}
        if existing:
            got = service.scores_of(session, [existing])[existing.id]
            form.update({f"score_{i.code}": f"{got.get(i.id, ''):g}" if i.id in got else ""
                         for i in found})
    return render(request, "evaluations/assess.html", status_code=status, person=person,
                  month_text=month.strftime("%Y-%m"), indicators=found,
                  names={i.id: _name(i) for i in found}, form=form, errors=errors or {},
                  existing=existing)


@router.get("/assess", response_class=HTMLResponse)
def assess_page(request: Request, session: SessionDep, user: CurrentUser, person_id: Id,
                month: str | None = None) -> Response:
    return _assess_page(request, session, user, person_id, _month_of(month))


@router.post("/assess", response_class=HTMLResponse)
async def assess(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "evaluations.assess")
    data = form_to_dict(await request.form())
    month = _month_of(data.get("month"))
    scores = {k[6:]: v for k, v in data.items() if k.startswith("score_")}
    payload, errors = validate(AssessmentIn, {"person_id": data.get("person_id"),
                                              "month": data.get("month"), "scores": scores,
                                              "comments": data.get("comments", "")})
    if not errors:
        try:
            row, _created = service.save_assessment(session, user=user, data=payload)
            return RedirectResponse(f"/evaluations/people/{row.person_id}?saved={row.id}",
                                    status_code=303)
        except BastionError as exc:
            if exc.status_code != 422:
                raise
            errors = error_for(exc)
    errors = {k.replace("scores.", "score_"): v for k, v in errors.items()}
    person_id = int(data["person_id"]) if str(data.get("person_id", "")).isdigit() else 0
    return _assess_page(request, session, user, person_id, month, status=422, form=data,
                        errors=errors)


def _annual(request: Request, session: Session, user: User, year: int, status: int = 200,
            **extra: Any) -> Response:
    rows = service.annual(session, user=user, year=year)
    counts = service.rating_counts(rows)
    chart = _spec("bar", [_(RATINGS[r.value]) for r in Rating],
                  [{"name": _("People"), "data": [counts[r.value] for r in Rating]}])
    return render(request, "evaluations/annual.html", status_code=status, year=year, rows=rows,
                  counts=counts, chart=chart, ratings=list(Rating),
                  units=_units(session, {r["unit_id"] for r in rows}),
                  rating_labels={k: _(v) for k, v in RATINGS.items()},
                  can_rate=capabilities.can(user, "evaluations.rate"), **extra)


@router.get("/annual", response_class=HTMLResponse)
def annual(request: Request, session: SessionDep, user: CurrentUser,
           year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> Response:
    return _annual(request, session, user, year or _today().year)


@router.post("/annual", response_class=HTMLResponse)
async def set_rating(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    data = form_to_dict(await request.form())
    payload, errors = validate(OverrideIn, data)
    year = int(data["year"]) if str(data.get("year", "")).isdigit() else _today().year
    if not errors:
        try:
            service.set_override(session, user=user, data=payload)
            return RedirectResponse(f"/evaluations/annual?year={payload.year}", status_code=303)
        except BastionError as exc:
            if exc.status_code != 422:
                raise
            errors = error_for(exc)
    return _annual(request, session, user, year if 2000 <= year <= 2100 else _today().year,
                   status=422, errors=errors, form=data)


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(request: Request, session: SessionDep, user: CurrentUser,
                person_id: Id) -> Response:
    found = service.history(session, user=user, person_id=person_id)
    rows: list[dict[str, Any]] = found["assessments"]
    chart = _spec("line", [r["month"] for r in rows],
                  [{"name": _("Monthly total"), "data": [r["total"] for r in rows]}], max=100)
    by_id = {a.id: a for a in session.scalars(access.assessments_query(user).where(
        Assessment.person_id == person_id))}
    words = {}  # each set's indicator codes -> names in the reader's language
    for set_id in {r["set_id"] for r in rows}:
        found_set = session.get(IndicatorSet, set_id)
        if found_set is not None:
            words[set_id] = {i.code: _name(i) for i in service.indicators(session, found_set)}
    return render(request, "evaluations/person.html", person=found["person"], rows=rows,
                  ratings=found["ratings"], chart=chart, by_id=by_id, words=words,
                  rating_labels={k: _(v) for k, v in RATINGS.items()},
                  can_assess=capabilities.can(user, "evaluations.assess"),
                  unit=_units(session, {found["person"]["unit_id"]}).get(
                      found["person"]["unit_id"], ""))


@router.get("/export.xlsx")
def export(session: SessionDep, user: CurrentUser, month: str | None = None) -> Response:
    when = _month_of(month)
    language = "en" if context.current().language == "en" else "zh-CN"
    body = xlsx.export(session, user=user, month=when, language=language)
    return Response(body, media_type=xlsx.MEDIA_TYPE, headers={
        "content-disposition": f"attachment; filename=evaluations-{when:%Y-%m}.xlsx"})
