"""The port-call statistics page: a filter form, charts, the table against last year."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bastion.clearance.stats import measures, service
from bastion.clearance.stats.schemas import public
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.templating import render

# Registered before the port-call pages, whose /clearance/{call_id} would take this path.
router = APIRouter(prefix="/clearance", include_in_schema=False)


def _date(value: str | None, default: date, field: str, errors: dict[str, str]) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[field] = _("Enter a date as YYYY-MM-DD.")
        return default


@router.get("/statistics", response_class=HTMLResponse)
def statistics_page(request: Request, session: SessionDep, user: CurrentUser,
                    start: str | None = None, end: str | None = None, period: str = "month",
                    terminal: str | None = None, mode: str | None = None) -> Response:
    errors: dict[str, str] = {}
    first, last = service.default_range()
    chosen = (_date(start, first, "start", errors), _date(end, last, "end", errors))
    filters = {"start": chosen[0].isoformat(), "end": chosen[1].isoformat(), "period": period,
               "terminal": terminal or "", "mode": mode or ""}
    terminals = service.terminals(session, user=user)
    if terminal and terminal not in terminals:
        # Only a terminal the picker offers reaches the figures and the export link: a typed
        # "=HYPERLINK(...)" is refused here, not carried into the xlsx (issue #10).
        errors["terminal"] = _("Choose one of the listed values.")
    stats = None
    if not errors:
        try:
            stats = public(service.statistics(
                session, user=user, start=chosen[0], end=chosen[1], period=period,
                terminal=terminal or None, mode=mode or None),
                terminal=terminal or None, mode=mode or None)
        except Invalid as exc:
            errors[exc.field or "__all__"] = exc.message
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(request, "clearance/statistics.html", status_code=422 if errors else 200,
                  stats=stats, filters=filters, errors=errors, export_query=query,
                  periods=[(p, _(measures.PERIOD_LABELS[p])) for p in measures.PERIODS],
                  modes=[(m, _(measures.MODE_LABELS[m])) for m in measures.MODES],
                  terminals=terminals,
                  # The tables by group show averages; medians are in the total and the xlsx.
                  shown=[m for m in stats.measures if m.unit == "count"
                         or m.key.endswith("_mean")] if stats else [],
                  chart_data=stats.model_dump(mode="json") if stats else None)
