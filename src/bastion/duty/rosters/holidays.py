"""Which years the calendar of holidays and adjusted working days (调休) covers, and loading a
year's days from a file.

The State Council publishes each year's notice late in the year before (国务院办公厅关于
YYYY年部分节假日安排的通知). Bastion ships the years it could check (``duty/data/holidays.json``);
a year with no day in the calendar is not a year without holidays, it is a year nobody has
entered yet. A roster over such a year would take every day as a plain weekday or weekend —
the Spring Festival as ordinary working days, its adjusted Saturdays as rest — so the roster
page and the solver job say so, and an administrator enters the year: on the set-up page (a
day at a time), ``POST /api/v1/duty/calendar-days`` or ``bastion duty holidays load FILE``
(the shape of ``holidays.json``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core.errors import Invalid
from bastion.duty.rosters import setup
from bastion.duty.rosters.models import CalendarDay
from bastion.duty.rosters.schemas import CalendarDaysIn


def years_without(session: Session, start: date, days: int) -> list[int]:
    """The years of ``start`` .. ``start + days - 1`` for which the calendar holds no day."""
    last = start + timedelta(days=max(days, 1) - 1)
    missing = []
    for year in range(start.year, last.year + 1):
        held = session.scalar(select(CalendarDay.id).where(
            CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)).limit(1))
        if held is None:
            missing.append(year)
    return missing


def years_held(session: Session) -> dict[int, dict[str, int]]:
    """For each year in the calendar: how many rest days and adjusted working days."""
    found: dict[int, dict[str, int]] = {}
    for row in session.scalars(select(CalendarDay).order_by(CalendarDay.day)):
        counts = found.setdefault(row.day.year, {"rest": 0, "workday": 0})
        counts[row.kind.value] += 1
    return found


def parse_days(document: Any) -> CalendarDaysIn:
    """A holidays file (``{"days": [...]}``, other top-level keys such as ``source`` kept as
    notes) read as ``CalendarDaysIn``, or a 422 naming the first bad field
    (``days[3].kind``)."""
    if not isinstance(document, dict) or "days" not in document:
        raise Invalid("the file must be a JSON object with a \"days\" list", field="days")
    try:
        return CalendarDaysIn.model_validate({"days": document["days"]})
    except ValidationError as exc:
        first = exc.errors()[0]
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
        raise Invalid(first["msg"], field=path.lstrip(".")) from None


def load_file_days(session: Session, document: Any, *, source: str) -> int:
    """Insert or change the file's days by date (the command line: no user; audited as the
    file loaded). The number of days written or changed."""
    data = parse_days(document)
    changed = setup.load_days(session, data.days)
    audit.record(session, action=AuditAction.UPDATE, actor=None, actor_name="cli",
                 record_kind="duty_calendar_day", record_id=0,
                 summary=f"duty calendar {changed} days", detail={"file": source})
    return changed
