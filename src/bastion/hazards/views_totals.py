"""The totals page (``/hazards/totals``): repairs done and verified by category over a range
of days (default this year), the quantities in each category's unit, reports, and a chart of
repairs by month (ECharts); its workbook ``/hazards/totals.xlsx`` (core.tabular's writer,
audited). What counts is ``totals.py``."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core.db import utcnow
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.labels import term
from bastion.hazards import categories, totals
from bastion.hazards.views import agency_names
from bastion.org import capabilities
from bastion.org.models import User
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.templating import render

router = APIRouter(prefix="/hazards", include_in_schema=False)
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _range(params: Any, zone: ZoneInfo) -> tuple[date, date]:
    today = utcnow().astimezone(zone).date()

    def one(name: str, default: date) -> date:
        value = (params.get(name) or "").strip()
        if not value:
            return default
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise Invalid(_("Enter a date as YYYY-MM-DD."), field=name) from None

    first = one("from", today.replace(month=1, day=1))
    last = one("to", today)
    if first > last:
        raise Invalid(_("The first day comes after the last."), field="from")
    if (last - first).days > 3660:
        raise Invalid(_("Choose at most ten years."), field="to")
    return first, last


def _rows(t: totals.Totals) -> list[dict[str, Any]]:
    return [{**vars(r), "label": term(r.category, "hazard_category"),
             "unit_label": term(r.unit, "hazard_unit") if r.unit else ""} for r in t.rows]


@router.get("/totals", response_class=HTMLResponse)
def totals_page(request: Request, session: SessionDep, user: CurrentUser,
                settings: SettingsDep) -> Response:
    capabilities.require(user, "hazards.stats")
    zone = ZoneInfo(settings.timezone)
    try:
        first, last = _range(request.query_params, zone)
    except Invalid as exc:
        return render(request, "hazards/totals.html", status_code=422, t=None, rows=[],
                      errors={exc.field or "from": exc.message},
                      filters={"from": request.query_params.get("from", ""),
                               "to": request.query_params.get("to", "")}, chart="{}")
    t = totals.compute(session, user=user, start=first, end=last + timedelta(days=1), zone=zone)
    rows = _rows(t)
    chart = {"months": t.months, "series": [
        {"name": r["label"], "data": [t.by_month.get(r["category"], {}).get(m, 0)
                                      for m in t.months]} for r in rows if r["repairs"]]}
    return render(request, "hazards/totals.html", t=t, rows=rows,
                  filters={"from": first.isoformat(), "to": last.isoformat()},
                  chart=json.dumps(chart, ensure_ascii=False))


def workbook(session: Session, *, user: User, t: totals.Totals) -> bytes:
    from openpyxl import Workbook

    from bastion.core.tabular import append

    wb = Workbook()
    ws = wb.active
    ws.title = _("Totals")[:31]
    append(ws, [_("Category"), _("Unit"), _("Reports"), _("Repairs done"), _("Quantity repaired"),
                _("Repairs verified"), _("Quantity verified")])
    for r in _rows(t):
        append(ws, [r["label"], r["unit_label"], r["reports"], r["repairs"], r["quantity"],
                    r["verified_repairs"], r["verified_quantity"]])
    detail = wb.create_sheet(_("Repairs")[:31])
    append(detail, [_("Hazard"), _("Category"), _("Post"), _("Repaired on"), _("Quantity"),
                    _("Unit"), _("Status")])
    found = list(session.execute(totals.repairs_query(user, t.start, t.end)))
    names = agency_names(session, {o.assignee_agency_id for o, _h in found})
    for order, hazard in found:
        cat = categories.get(hazard.category)
        append(detail, [hazard.id, term(hazard.category, "hazard_category"),
                        names.get(order.assignee_agency_id, ""), order.done_on, order.quantity,
                        term(cat.unit, "hazard_unit") if cat and cat.unit else "",
                        _("Verified") if hazard.status.value == "verified" else _("Repaired")])
    out = io.BytesIO()
    wb.save(out)
    audit.record(session, action=AuditAction.EXPORT, actor=user, record_kind="hazard",
                 summary=f"hazard totals {t.start}..{t.end} exported",
                 detail={"repairs": len(found)})
    return out.getvalue()


@router.get("/totals.xlsx")
def totals_xlsx(request: Request, session: SessionDep, user: CurrentUser,
                settings: SettingsDep) -> Response:
    capabilities.require(user, "hazards.stats")
    zone = ZoneInfo(settings.timezone)
    first, last = _range(request.query_params, zone)
    t = totals.compute(session, user=user, start=first, end=last + timedelta(days=1), zone=zone)
    return Response(workbook(session, user=user, t=t), media_type=MEDIA_TYPE, headers={
        "content-disposition": f"attachment; filename=hazard-totals-{first}-{last}.xlsx"})
