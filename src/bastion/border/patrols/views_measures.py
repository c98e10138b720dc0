"""Pages: the patrol measures (filters, ECharts charts, tables, the xlsx download, blind
spots) and the live picture (Leaflet map on the offline basemap, the list beside it, an SOS
banner until acknowledged; refreshed on the event stream's patrol.* events)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bastion.border.geo.views import OVERLAYS
from bastion.border.patrols import live, measures
from bastion.core.errors import Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.templating import render

router = APIRouter(prefix="/patrols", include_in_schema=False)
# The border map's overlays (CONTRACT.md "Map overlays"): live positions and blind spots.
for _overlay in (("patrols.live", lazy("Patrols under way"), "/api/v1/patrols/live.geojson"),
                 ("patrols.measures", lazy("Blind spots"), "/api/v1/patrols/blind-spots.geojson")):
    if _overlay not in OVERLAYS:
        OVERLAYS.append(_overlay)
LIVE_EVENTS = ("patrol.started", "patrol.paused", "patrol.resumed", "patrol.ended",
               "patrol.check_in", "patrol.observation", "patrol.track", "patrol.sos",
               "patrol.sos_acknowledged")


def _date(value: str | None, default: date, field: str, errors: dict[str, str]) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[field] = _("Enter a date as YYYY-MM-DD.")
        return default


def _id(value: str | None, field: str, errors: dict[str, str]) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        errors[field] = _("Choose one of the listed values.")
        return None
    return int(value)


def judge_periods(targets: list[dict[str, Any]], *, today: date) -> None:
    """Mark each target's periods ``met``, ``missed``, ``partial`` (only part of it lies in the
    range asked for) or ``pending`` (not over yet: today's day, week or month): a period that
    is partial or pending is not judged missed. Each target gains ``judged`` (met + missed)
    and ``missed``; ``met`` stays the periods met."""
    for target in targets:
        current = measures.bucket(today, target["period"])
        for p in target["periods"]:
            p["state"] = ("met" if p["met"] else "partial" if p["partial"]
                          else "pending" if p["key"] >= current else "missed")
        target["missed"] = sum(p["state"] == "missed" for p in target["periods"])
        target["judged"] = target["missed"] + sum(p["met"] for p in target["periods"])


@router.get("/measures", response_class=HTMLResponse)
def measures_page(request: Request, session: SessionDep, user: CurrentUser,
                  settings: SettingsDep, period: str = "day", post: str | None = None,
                  segment: str | None = None, agency: str | None = None) -> Response:
    query = request.query_params
    patrols = settings.patrols
    errors: dict[str, str] = {}
    options = measures.choices(session, user=user)  # refuses (403) without the capability
    last = _date(query.get("to"), measures.today(patrols), "to", errors)
    first = _date(query.get("from"), last - timedelta(days=29), "from", errors)
    ids = {name: _id(value, name, errors)
           for name, value in (("post", post), ("segment", segment), ("agency", agency))}
    filters = {"from": first.isoformat(), "to": last.isoformat(), "period": period,
               "post": ids["post"] or "", "segment": ids["segment"] or "",
               "agency": ids["agency"] or ""}
    report = blind = None
    if not errors:
        try:
            report = measures.measures(session, user=user, settings=patrols, start=first,
                                       end=last, period=period, post_id=ids["post"],
                                       segment_id=ids["segment"], agency_id=ids["agency"])
            blind = measures.blind_spots(session, user=user, settings=patrols)
            judge_periods(report["targets"], today=measures.today(patrols))
        except (Invalid, NotFound) as exc:
            errors[exc.field or "__all__"] = exc.message
    export = urlencode({k: v for k, v in filters.items() if v})
    chart = None
    if report:
        chart = {"periods": [{"label": r["label"], "checkpoint": r["checkpoint_coverage"],
                              "segment": r["segment_coverage"], "completion": r["completion"],
                              "hours": r["hours"], "km": r["km"], "patrols": r["patrols"]}
                             for r in report["by_period"]],
                 "segments": [{"label": r["label"], "coverage": r["segment_coverage"]}
                              for r in report["by_segment"]],
                 "results": [{"label": r["label"], "count": r["count"]}
                             for r in report["results"]]}
    return render(request, "border/measures.html", status_code=422 if errors else 200,
                  report=report, blind=blind, filters=filters, errors=errors,
                  export_query=export, options=options, chart_data=chart,
                  periods=[(p, _(measures.PERIOD_LABELS[p])) for p in measures.PERIODS])


@router.get("/live", response_class=HTMLResponse)
def live_page(request: Request, session: SessionDep, user: CurrentUser, settings: SettingsDep,
              fragment: bool = False) -> Response:
    data = live.picture(session, user=user, settings=settings.patrols)
    if fragment:
        return render(request, "border/live_panel.html", data=data)
    return render(request, "border/live.html", data=data, live_events=" ".join(LIVE_EVENTS))
