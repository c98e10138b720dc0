"""The annual report: ``/reports/annual`` (the page), ``/reports/annual.xlsx`` and
``GET /api/v1/reports/figures`` (JSON). ``?year=2026`` or ``?from=..&to=..``; the default is
the current year in the deployment's zone. Exports are audited."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import figures
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.org import capabilities
from bastion.reports import xlsx
from bastion.reports.period import Period, parse
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.templating import render

router = APIRouter()

Year = Annotated[int | None, Query(ge=2000, le=2100)]
From = Annotated[str | None, Query(alias="from", max_length=40, description="YYYY-MM-DD")]
To = Annotated[str | None, Query(alias="to", max_length=40, description="YYYY-MM-DD")]


def _gather(session, user, settings, year, start, end) -> tuple[Period, list[figures.Section]]:
    capabilities.require(user, "reports.read")
    period = parse(year=year, start=start, end=end, zone=ZoneInfo(settings.timezone))
    return period, figures.collect(session=session, user=user, start=period.start,
                                   end=period.end)


def _shown(sections: list[figures.Section]) -> list[dict[str, Any]]:
    return [{"domain": s.domain, "title": _(s.title),
             "figures": [{"key": f.key, "label": _(f.label), "value": f.value,
                          "unit": _(f.unit) if f.unit else "", "link": f.link}
                         for f in s.figures]} for s in sections]


@router.get("/api/v1/reports/figures", tags=["reports"])
def figures_api(session: SessionDep, user: CurrentUser, settings: SettingsDep,
                year: Year = None, start: From = None, end: To = None) -> dict[str, Any]:
    """Every section's figures for the period that the caller may see, counted from the
    records (exercises left out): ``{"from", "to", "sections": [{"domain", "title",
    "figures": [{"key", "label", "value", "unit", "link"}]}]}``."""
    period, sections = _gather(session, user, settings, year, start, end)
    return {"from": period.start.isoformat(), "to": period.last.isoformat(),
            "sections": _shown(sections)}


@router.get("/reports/annual.xlsx", include_in_schema=False)
@router.get("/api/v1/reports/figures.xlsx", tags=["reports"])
def figures_xlsx(session: SessionDep, user: CurrentUser, settings: SettingsDep,
                 year: Year = None, start: From = None, end: To = None) -> Response:
    """The same figures as an xlsx workbook, in the caller's language."""
    period, sections = _gather(session, user, settings, year, start, end)
    audit.record(session, action=AuditAction.EXPORT, actor=user, summary="annual report export",
                 detail={"from": period.start.isoformat(), "to": period.last.isoformat()})
    return Response(xlsx.workbook(sections, period), media_type=xlsx.MEDIA_TYPE, headers={
        "content-disposition": f"attachment; filename={xlsx.filename(period)}"})


@router.get("/reports/annual", response_class=HTMLResponse, include_in_schema=False)
def annual_page(request: Request, session: SessionDep, user: CurrentUser,
                settings: SettingsDep, year: Year = None, start: From = None,
                end: To = None) -> Response:
    capabilities.require(user, "reports.read")
    errors: dict[str, str] = {}
    period, sections = None, []
    try:
        period, sections = _gather(session, user, settings, year, start, end)
    except Invalid as exc:
        errors[exc.field or "__all__"] = exc.message
    query = {"from": period.start.isoformat(), "to": period.last.isoformat()} if period else {}
    return render(request, "reports/annual.html", status_code=422 if errors else 200,
                  period=period, sections=_shown(sections), errors=errors,
                  filters={"year": year or "", "from": start or "", "to": end or ""},
                  export_query=urlencode(query))
