"""The period a report covers: a calendar year in the deployment's zone, or ``from``..``to``
(both days included), at most five years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _

MAX_DAYS = 5 * 366


@dataclass(frozen=True)
class Period:
    start: date  # included
    end: date  # excluded

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(_("Enter a date as YYYY-MM-DD."),
                      field=field) from None


def parse(*, year: int | None, start: str | None, end: str | None, zone: ZoneInfo) -> Period:
    """``year`` wins; else ``from``/``to``; else the current year in ``zone``."""
    if year is not None:
        if not 2000 <= year <= 2100:
            raise Invalid(_("The year must be between 2000 and 2100."), field="year")
        return Period(date(year, 1, 1), date(year + 1, 1, 1))
    if start or end:
        if not (start and end):
            raise Invalid(_("Give both a start and an end date."), field="from" if not start else "to")
        first, last = _day(start, "from"), _day(end, "to")
        if last < first:
            raise Invalid(_("The first day comes after the last."), field="from")
        if (last - first).days > MAX_DAYS:
            raise Invalid(_("A report covers at most five years."), field="to")
        return Period(first, last + timedelta(days=1))
    this_year = datetime.now(zone).year
    return Period(date(this_year, 1, 1), date(this_year + 1, 1, 1))
