"""The audit log page for administrators, with filters and CSV export."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from bastion.audit import display, service
from bastion.audit.models import AuditAction
from bastion.core import context
from bastion.core.bounds import MAX_INT
from bastion.web.deps import AuditReader, SessionDep
from bastion.web.templating import render

router = APIRouter(prefix="/admin/audit", include_in_schema=False)
PAGE = 50


def _day_start(day: str | None, *, next_day: bool = False) -> datetime | None:
    """A date typed by the user is a day in the user's zone; the log is stored in UTC."""
    if not day:
        return None
    try:
        date = datetime.strptime(day, "%Y-%m-%d").date()
    except ValueError:
        return None
    start = datetime.combine(date, time.min, tzinfo=ZoneInfo(context.current().timezone))
    if next_day:
        from datetime import timedelta

        start += timedelta(days=1)
    return start


@router.get("", response_class=HTMLResponse)
def audit_page(request: Request, session: SessionDep, user: AuditReader,
               actor: str | None = None, action: str | None = None,
               record_kind: str | None = None, since: str | None = None,
               until: str | None = None,
               page: Annotated[int, Query(ge=1, le=MAX_INT // PAGE)] = 1) -> Response:
    chosen = AuditAction(action) if action in {a.value for a in AuditAction} else None
    flt = service.AuditFilter(actor=actor or None, action=chosen, record_kind=record_kind or None,
                              since=_day_start(since), until=_day_start(until, next_day=True))
    rows, total = service.search(session, flt=flt, limit=PAGE, offset=(page - 1) * PAGE)
    params = {"actor": actor or "", "action": chosen.value if chosen else "",
              "record_kind": record_kind or ""}
    api_params = {k: v for k, v in params.items() if v}
    if flt.since:
        api_params["since"] = flt.since.isoformat()
    if flt.until:
        api_params["until"] = flt.until.isoformat()
    return render(request, "audit/list.html", rows=rows, total=total, page=page,
                  audit_summary=display.summary, audit_reason=display.reason,
                  pages=max((total + PAGE - 1) // PAGE, 1), actions=list(AuditAction),
                  filters={**params, "since": since or "", "until": until or ""},
                  export_query=urlencode(api_params))
