"""The audit of reads (``/residents/reads``): who read whose record, when and why, newest
first, filtered by reader, person, purpose and days; for ``residents.audit`` (the command's
supervisors). Rows are those of persons the auditor sees (``residents.access``). Days are in
the unit's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bastion.core.bounds import MAX_ID
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.pagination import PageParams, fetch
from bastion.org import capabilities
from bastion.org.models import User
from bastion.residents import access
from bastion.residents.models import RecordRead, Resident
from bastion.residents.words import PURPOSES
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.templating import render

router = APIRouter(prefix="/residents", include_in_schema=False)
PAGE = 100


def reads_query(user: User, *, reader: str = "", resident_id: int | None = None,
                purpose: str = "", since: datetime | None = None,
                until: datetime | None = None) -> Select[tuple[RecordRead, Resident, User]]:
    capabilities.require(user, "residents.audit")
    seen = access.residents_query(user).subquery()
    query = (select(RecordRead, Resident, User)
             .join(Resident, Resident.id == RecordRead.resident_id)
             .join(User, User.id == RecordRead.user_id)
             .where(RecordRead.resident_id.in_(select(seen.c.id))))
    if reader:
        query = query.where(User.username == reader)
    if resident_id is not None:
        query = query.where(RecordRead.resident_id == resident_id)
    if purpose:
        query = query.where(RecordRead.purpose == purpose)
    if since is not None:
        query = query.where(RecordRead.at >= since)
    if until is not None:
        query = query.where(RecordRead.at < until)
    return query.order_by(RecordRead.at.desc(), RecordRead.id.desc())


def _day(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(_("Enter a date as YYYY-MM-DD."), field=field) from None


def _page(request: Request, session: Session, user: User, zone: str) -> Response:
    q = request.query_params
    reader = q.get("reader", "").strip()[:100]
    person = q.get("resident_id", "").strip()
    resident_id = int(person) if person.isdigit() and int(person) <= MAX_ID else None
    purpose = q.get("purpose", "").strip()[:200]
    tz = ZoneInfo(zone)
    since, until = _day(q.get("since", ""), "since"), _day(q.get("until", ""), "until")
    query = reads_query(
        user, reader=reader, resident_id=resident_id, purpose=purpose,
        since=datetime.combine(since, time(0), tz).astimezone(UTC) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(0), tz).astimezone(UTC)
        if until else None)
    offset = q.get("offset", "")
    start = int(offset) if offset.isdigit() and int(offset) < 10**9 else 0
    rows, total = fetch(session, query, PageParams(limit=PAGE, offset=start), scalars=False)
    filters = {k: v for k, v in (("reader", reader), ("resident_id", resident_id or ""),
                                 ("purpose", purpose), ("since", since or ""),
                                 ("until", until or "")) if v}
    return render(request, "residents/reads.html", rows=rows, total=total, offset=start,
                  page=PAGE, filters=filters, query_string=urlencode(filters),
                  purposes=PURPOSES)


@router.get("/reads", response_class=HTMLResponse)
def reads_page(request: Request, session: SessionDep, user: CurrentUser,
               settings: SettingsDep) -> Response:
    return _page(request, session, user, settings.timezone)
