"""The cases' statistics page (ECharts) and its xlsx: cases by kind and outcome with persons,
smuggling and cross-border cases per year, time to close, tips received and acted on; drills
left out. ``cases.stats``; counted from the cases the user may read."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from openpyxl import Workbook
from openpyxl.styles import Font

from bastion.cases import stats
from bastion.core.db import utcnow
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.tabular import append
from bastion.org import capabilities
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.templating import render

router = APIRouter(prefix="/cases", include_in_schema=False)
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _range(request: Request) -> tuple[date, date]:
    params = request.query_params
    end = utcnow().date() + timedelta(days=1)
    start = end - timedelta(days=365)
    try:
        if params.get("from"):
            start = date.fromisoformat(params["from"])
        if params.get("to"):
            end = date.fromisoformat(params["to"]) + timedelta(days=1)
    except ValueError:
        raise Invalid(_("Give dates as YYYY-MM-DD."), field="from") from None
    if start >= end:
        raise Invalid(_("The start must be before the end."), field="from")
    return start, end


@router.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "cases.stats")
    start, end = _range(request)
    found = stats.summary(session, user=user, start=start, end=end)
    charts = {"by_outcome": found["by_outcome"], "by_year": found["by_year"],
              "time_to_close": found["time_to_close"], "tips": found["tips"]}
    return render(request, "cases/stats.html", stats=found, charts=charts,
                  start=start.isoformat(), end=(end - timedelta(days=1)).isoformat())


def _sheet(ws: Any, heads: list[str], rows: list[list[Any]]) -> None:
    append(ws, heads)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        append(ws, row)
    for column in range(1, len(heads) + 1):
        ws.column_dimensions[ws.cell(row=1, column=column).column_letter].width = 26


def workbook(found: dict[str, Any]) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = _("Summary")[:31]
    _sheet(ws, [_("Measure"), _("Value")], [
        [_("Start date"), found["from"]], [_("End date"), found["to"]],
        [_("Cases closed"), found["closed"]],
        [_("Cross-border crime cases"), found["cross_border"]["cases"]],
        [_("Persons in cross-border crime cases"), found["cross_border"]["persons"]],
        [_("Smuggling cases"), found["smuggling"]],
        [_("Hazards eliminated through the vessel risk model"),
         found["hazards_eliminated_by_risk_model"]],
        [_("Tips from the public received"), found["tips"]["received"]],
        [_("Tips from the public acted on"), found["tips"]["acted_on"]]])
    _sheet(book.create_sheet(_("By kind and outcome")[:31]),
           [_("Kind"), _("Outcome"), _("Cases"), _("Persons")],
           [[r["kind_label"], r["outcome_label"], r["cases"], r["persons"]]
            for r in found["by_kind_outcome"]])
    _sheet(book.create_sheet(_("Per year")[:31]),
           [_("Year"), _("Smuggling cases"), _("Cross-border crime cases")],
           [[r["year"], r["smuggling"], r["cross_border"]] for r in found["by_year"]])
    _sheet(book.create_sheet(_("Time to close")[:31]),
           [_("Kind"), _("Cases"), _("Mean hours"), _("Median hours")],
           [[r["kind_label"], r["cases"], r["mean_hours"], r["median_hours"]]
            for r in found["time_to_close"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@router.get("/stats.xlsx")
def stats_xlsx(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "cases.stats")
    start, end = _range(request)
    found = stats.summary(session, user=user, start=start, end=end)
    return Response(workbook(found), media_type=MEDIA_TYPE, headers={
        "content-disposition": f'attachment; filename="cases-{start}-{end}.xlsx"'})
