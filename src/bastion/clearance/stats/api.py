"""Port-call statistics over the API: JSON and the same figures as an xlsx workbook."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.clearance.stats import measures, service, xlsx
from bastion.clearance.stats.schemas import StatisticsPublic, public
from bastion.org.models import User
from bastion.web.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1/clearance", tags=["port clearance"])

Period = Literal["day", "week", "month", "quarter", "year"]
Grouping = Literal["period", "terminal", "mode"]


def _statistics(session, user: User, start: date | None, end: date | None, period: str,
                terminal: str | None, mode: str | None,
                by: list[str] | None) -> StatisticsPublic:
    first, last = service.default_range()
    report = service.statistics(session, user=user, start=start or first, end=end or last,
                                period=period, terminal=terminal or None, mode=mode or None,
                                by=by or measures.GROUPINGS)
    return public(report, terminal=terminal or None, mode=mode or None)


@router.get("/statistics", response_model=StatisticsPublic)
def statistics(session: SessionDep, user: CurrentUser, start: date | None = None,
               end: date | None = None, period: Period = "month", terminal: str | None = None,
               mode: str | None = None,
               by: Annotated[list[Grouping] | None, Query()] = None) -> StatisticsPublic:
    """Vessels and persons cleared in and out, pre-check lead time, clearance time, time in
    port and waiting for tide (hours: average and median) over ``start``..``end`` (dates in
    the user's zone; default this year so far), each with the same range one year earlier
    and the change (``change_pct`` is null when last year is 0). ``by`` (repeatable:
    period, terminal, mode; default all) picks the groupings; ``terminal`` and ``mode``
    restrict to one terminal or service mode. Only calls the caller may see are counted."""
    return _statistics(session, user, start, end, period, terminal, mode, by)


@router.get("/statistics.xlsx")
def statistics_xlsx(session: SessionDep, user: CurrentUser, start: date | None = None,
                    end: date | None = None, period: Period = "month",
                    terminal: str | None = None, mode: str | None = None,
                    by: Annotated[list[Grouping] | None, Query()] = None) -> Response:
    """The same figures as a workbook: a summary sheet and one sheet per grouping."""
    stats = _statistics(session, user, start, end, period, terminal, mode, by)
    audit.record(session, action=AuditAction.EXPORT, actor=user,
                 summary="port-call statistics export",
                 detail={"start": stats.start.isoformat(), "end": stats.end.isoformat(),
                         "period": stats.period, "terminal": stats.terminal, "mode": stats.mode})
    return Response(xlsx.workbook(stats), media_type=xlsx.MEDIA_TYPE, headers={
        "content-disposition": f"attachment; filename={xlsx.filename(stats)}"})
