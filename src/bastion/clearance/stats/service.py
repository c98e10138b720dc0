"""Statistics of the port calls a user may see, from the event log.

Only calls passing ``calls.service.visible`` are read, so an agent's figures are its own
agency's calls and a station's are its own (and those it takes part in).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.clearance.calls.models import PortCall
from bastion.clearance.calls.service import KIND, visible
from bastion.clearance.stats import measures
from bastion.core import context
from bastion.core.errors import Invalid
from bastion.core.events import EventRecord
from bastion.core.i18n import gettext as _
from bastion.org.models import User

EVENT_KINDS = tuple(f"portcall.{action}" for action in measures.ACTIONS)
MAX_DAYS = 3660  # ten years: a day-by-day table of more is no use to anyone


def today() -> date:
    return datetime.now(ZoneInfo(context.current().timezone)).date()


def default_range() -> tuple[date, date]:
    """This year so far, in the user's zone."""
    now = today()
    return date(now.year, 1, 1), now


def statistics(session: Session, *, user: User, start: date, end: date, period: str = "month",
               terminal: str | None = None, mode: str | None = None,
               by: Sequence[str] = measures.GROUPINGS) -> measures.Report:
    """The measures over ``start``..``end`` (dates in the user's zone, inclusive) and the same
    range a year earlier, optionally for one terminal or one service mode."""
    from bastion.org import capabilities

    capabilities.require(user, "clearance.statistics")
    if period not in measures.PERIODS:
        raise Invalid(_("Choose one of the listed values."), field="period")
    if start > end:
        raise Invalid(_("The start date is after the end date."), field="start")
    if (end - start).days > MAX_DAYS:
        raise Invalid(_("Choose a range of at most ten years."), field="end")
    timezone = context.current().timezone
    zone = ZoneInfo(timezone)
    since = datetime.combine(measures.one_year_earlier(start), time.min, zone)
    until = datetime.combine(end + timedelta(days=1), time.min, zone)
    in_range = select(EventRecord.record_id).where(
        EventRecord.record_kind == KIND, EventRecord.kind.in_(EVENT_KINDS),
        EventRecord.at >= since, EventRecord.at < until)
    where = [visible(user), PortCall.id.in_(in_range)]
    if terminal:
        where.append(PortCall.terminal == terminal)
    if mode:
        where.append(PortCall.service_mode == mode)
    calls = [measures.Call(id=r.id, terminal=r.terminal, mode=r.service_mode, eta=r.eta,
                           ata=r.ata, atd=r.atd, tide_wait_minutes=r.tide_wait_minutes)
             for r in session.execute(select(
                 PortCall.id, PortCall.terminal, PortCall.service_mode, PortCall.eta,
                 PortCall.ata, PortCall.atd, PortCall.tide_wait_minutes).where(*where))]
    # All of these calls' events, not only those in range: a clearance inside the range may
    # need the arrival before it.
    rows = session.execute(select(
        EventRecord.record_id, EventRecord.kind, EventRecord.at, EventRecord.payload).where(
        EventRecord.record_kind == KIND, EventRecord.kind.in_(EVENT_KINDS),
        EventRecord.record_id.in_(select(PortCall.id).where(*where))))
    events = [measures.Event(call_id=r.record_id, action=r.kind.removeprefix("portcall."),
                             at=r.at, payload=r.payload or {}) for r in rows]
    return measures.report(measures.facts(calls, events), start=start, end=end, period=period,
                           timezone=timezone, by=by)


def terminals(session: Session, *, user: User) -> list[str]:
    """The terminals of the calls the user may see, for the filter."""
    return list(session.scalars(select(PortCall.terminal).where(
        visible(user), PortCall.terminal.is_not(None)).distinct().order_by(PortCall.terminal)))
