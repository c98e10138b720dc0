"""Duty statistics (``duty.stats``): ``GET /api/v1/duty/stats?from=YYYY-MM-DD&to=YYYY-MM-DD``
(JSON), ``/duty/stats`` (the page) and ``/duty/stats.xlsx`` (the same figures as a workbook).
Days are in the deployment's zone (``settings.timezone``), as rosters' days are. The figures
are computed in ``stats_service``."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core.errors import Invalid
from bastion.duty import stats_service, stats_xlsx
from bastion.org import capabilities
from bastion.org.models import User
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.templating import render

router = APIRouter()

From = Annotated[str | None, Query(alias="from", max_length=40, description="YYYY-MM-DD")]
To = Annotated[str | None, Query(alias="to", max_length=40, description="YYYY-MM-DD")]


def _compute(session, user: User, settings, start: str | None, end: str | None
             ) -> dict[str, Any]:
    capabilities.require(user, "duty.stats")
    span = stats_service.parse_range(start, end, ZoneInfo(settings.timezone))
    return stats_service.statistics(session, user=user, span=span)


@router.get("/api/v1/duty/stats", tags=["duty"])
def stats_api(session: SessionDep, user: CurrentUser, settings: SettingsDep,
              start: From = None, end: To = None) -> dict[str, Any]:
    """Duty hours per person and agency (published rosters the caller may see), hotline calls
    by kind and language with the on-time closure rate, duty-log entries by kind and stage,
    over ``from``..``to`` (both included; default the last 30 days; at most 366). Exercise
    records are left out."""
    return _compute(session, user, settings, start, end)


def _xlsx(session, user: User, settings, start: str | None, end: str | None) -> Response:
    stats = _compute(session, user, settings, start, end)
    audit.record(session, action=AuditAction.EXPORT, actor=user,
                 summary="duty statistics export", detail={"from": stats["from"],
                                                           "to": stats["to"]})
    return Response(stats_xlsx.workbook(stats), media_type=stats_xlsx.MEDIA_TYPE, headers={
        "content-disposition": f"attachment; filename={stats_xlsx.filename(stats)}"})


@router.get("/api/v1/duty/stats.xlsx", tags=["duty"])
def stats_api_xlsx(session: SessionDep, user: CurrentUser, settings: SettingsDep,
                   start: From = None, end: To = None) -> Response:
    """The same figures as an xlsx workbook, in the caller's language."""
    return _xlsx(session, user, settings, start, end)


@router.get("/duty/stats.xlsx", include_in_schema=False)
def stats_page_xlsx(session: SessionDep, user: CurrentUser, settings: SettingsDep,
                    start: From = None, end: To = None) -> Response:
    return _xlsx(session, user, settings, start, end)


@router.get("/duty/stats", response_class=HTMLResponse, include_in_schema=False)
def stats_page(request: Request, session: SessionDep, user: CurrentUser,
               settings: SettingsDep, start: From = None, end: To = None) -> Response:
    capabilities.require(user, "duty.stats")
    errors: dict[str, str] = {}
    stats = None
    try:
        stats = _compute(session, user, settings, start, end)
    except Invalid as exc:
        errors[exc.field or "__all__"] = exc.message
    filters = {"from": stats["from"] if stats else (start or ""),
               "to": stats["to"] if stats else (end or "")}
    return render(request, "duty/stats.html", status_code=422 if errors else 200,
                  stats=stats, filters=filters, errors=errors,
                  export_query=urlencode({k: v for k, v in filters.items() if v}))
