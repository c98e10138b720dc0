"""Pages of legal outreach: the year (charts by month and topic, the visits, the workbook), a
visit entered at the desk, the compliance board (red where a linked village is behind), and
the field page for the phone (offline, ``views_field``). Capabilities and need-to-know are the
service's (403, 404)."""

from __future__ import annotations

import io
import json
import uuid
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import context
from bastion.core.bounds import Offset
from bastion.core.errors import BastionError, Invalid
from bastion.core.i18n import gettext as _
from bastion.core.labels import term
from bastion.core.tabular import append
from bastion.org import capabilities
from bastion.org.models import User
from bastion.outreach import service
from bastion.outreach.links import linked
from bastion.outreach.models import OutreachVisit
from bastion.outreach.schemas import VisitIn
from bastion.outreach.topics import NAMESPACE, TOPICS
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import error_for, form_to_dict, validate
from bastion.web.templating import render

router = APIRouter(prefix="/outreach", include_in_schema=False)
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = 50
YearQ = Annotated[int | None, Query(ge=2000, le=2100)]


def _today() -> date:
    return datetime.now(ZoneInfo(context.current().timezone)).date()


def _year(value: int | None) -> int:
    if value is not None and not 2000 <= value <= 2100:
        raise Invalid(_("Choose a year from 2000 to 2100."), field="year")
    return value or _today().year


def _day(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10] if len(text) >= 10 else f"{text}-01")
    except ValueError:
        raise Invalid(_("A date is written YYYY-MM-DD."), field=field) from None


@router.get("", response_class=HTMLResponse)
def year_page(request: Request, session: SessionDep, user: CurrentUser,
              year: YearQ = None, offset: Offset = 0) -> Response:
    y = _year(year)
    offset = max(0, min(offset, 10**9))
    stats = service.by_month(session, user=user, year=y)
    totals = service.totals(session, user=user, start=date(y, 1, 1), end=date(y + 1, 1, 1))
    months = stats["months"]
    by_month = json.dumps({"type": "bar", "x": [m["month"] for m in months], "series": [
        {"name": _("Visits"), "data": [m["visits"] for m in months]},
        {"name": _("People reached"), "data": [m["people"] for m in months], "type": "line"}]},
        ensure_ascii=False)
    by_topic = json.dumps({"type": "pie", "x": [], "series": [{"name": _("Topic"), "data": [
        {"name": term(k, NAMESPACE), "value": v} for k, v in sorted(stats["topics"].items())]}]},
        ensure_ascii=False)
    query = service.listing(user).where(OutreachVisit.visited_on >= date(y, 1, 1),
                                        OutreachVisit.visited_on < date(y + 1, 1, 1))
    visits = list(session.scalars(query.offset(offset).limit(PAGE + 1)))
    return render(request, "outreach/year.html", year=y, totals=totals, by_month=by_month,
                  by_topic=by_topic, visits=visits[:PAGE], offset=offset,
                  more=len(visits) > PAGE, names=service.names_of(
                      session, user, context.current().language),
                  can_record=capabilities.can(user, service.RECORD),
                  can_board=capabilities.can(user, "outreach.board"))


def _new(request: Request, session: Session, user: User, status: int = 200,
         form: dict[str, Any] | None = None, errors: dict[str, str] | None = None) -> Response:
    capabilities.require(user, service.RECORD)
    links = linked(session, user=user, language=context.current().language)
    form = form or {"visited_on": _today().isoformat(), "topic": "border_law"}
    return render(request, "outreach/new.html", status_code=status, links=links, form=form,
                  errors=errors or {}, topics={k: _(v) for k, v in TOPICS.items()},
                  client_id=form.get("client_id") or str(uuid.uuid4()))


@router.get("/new", response_class=HTMLResponse)
def new_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _new(request, session, user)


@router.post("/new", response_class=HTMLResponse)
async def new(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, service.RECORD)
    data = form_to_dict(await request.form(), flags=("exercise",))
    link = str(data.pop("link", ""))
    if ":" in link:
        data["post_agency_id"], data["village_id"] = link.split(":", 1)
    data["officers"] = [o.strip() for o in str(data.get("officers", "")).split(",") if o.strip()]
    payload, errors = validate(VisitIn, data)
    if not errors:
        try:
            visit, _created = service.record(session, user=user, data=payload, today=_today())
            return RedirectResponse(f"/outreach/board?month={visit.visited_on:%Y-%m}",
                                    status_code=303)
        except BastionError as exc:
            if exc.status_code != 422:
                raise
            errors = error_for(exc)
    if errors.get("village_id") or errors.get("post_agency_id"):
        errors["link"] = errors.get("village_id") or errors["post_agency_id"]
    data["officers"] = ", ".join(data.get("officers", []))
    data["link"] = link
    return _new(request, session, user, status=422, form=data, errors=errors)


@router.get("/board", response_class=HTMLResponse)
def board_page(request: Request, session: SessionDep, user: CurrentUser,
               settings: SettingsDep, month: str | None = None) -> Response:
    when = _day(month, "month") or _today()
    found = service.board(session, user=user, month=when,
                          minimum=settings.outreach.min_visits_per_month,
                          language=context.current().language)
    chart = json.dumps({"type": "bar", "x": [r["village"] for r in found["rows"]], "series": [
        {"name": _("Visits this month"), "data": [r["cells"][-1]["count"] for r in found["rows"]]},
        {"name": _("Required"), "data": [found["minimum"]] * len(found["rows"]),
         "type": "line"}]}, ensure_ascii=False)
    return render(request, "outreach/board.html", board=found, chart=chart,
                  can_record=capabilities.can(user, service.RECORD))


@router.get("/visits.xlsx")
def export(session: SessionDep, user: CurrentUser, year: YearQ = None) -> Response:
    y = _year(year)
    names = service.names_of(session, user, context.current().language)
    query = service.listing(user).where(OutreachVisit.visited_on >= date(y, 1, 1),
                                        OutreachVisit.visited_on < date(y + 1, 1, 1))
    book = Workbook()
    ws = book.active
    ws.title = str(y)
    append(ws, [_("Date"), _("Post"), _("Village"), _("Topic"), _("Attendees"), _("Officers"),
                _("Materials handed out"), _("Copies"), _("Notes"), _("Exercise")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    rows = 0
    for v in session.scalars(query.order_by(None).order_by(OutreachVisit.visited_on,
                                                          OutreachVisit.id)):
        rows += 1
        append(ws, [v.visited_on, names.get(-v.post_agency_id, ""), names.get(v.village_id, ""),
                    term(v.topic, NAMESPACE), v.attendees, ", ".join(v.officers or []),
                    v.materials, v.materials_count, v.notes, _("Yes") if v.exercise else ""])
    audit.record(session, action=AuditAction.EXPORT, actor=user, record_kind="outreach_visit",
                 summary=f"outreach visits {y}: {rows}")
    out = io.BytesIO()
    book.save(out)
    return Response(out.getvalue(), media_type=MEDIA_TYPE, headers={
        "content-disposition": f"attachment; filename=outreach-{y}.xlsx"})
