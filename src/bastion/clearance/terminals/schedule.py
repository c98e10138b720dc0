"""The inspection scheduler: when a terminal is served, when a ship can pass, where a slot fits.

Pure (no database): the service layer passes the terminal's profile, the other bookings and
the tide windows. A slot must lie wholly inside an interval that is both *served* (24 hours,
or office hours on working days in the terminal's own time zone — a slot never straddles
closing time) and *passable* (inside a tide window at a tide-window terminal, as 潮汐验放
requires), and at most ``teams`` inspections may overlap. An emergency or an expedited call
may be booked outside office hours (the station calls its duty team in), never outside a tide
window: the water does not care about the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Profile:
    service_hours: str = "office"            # "24h" or "office"
    timezone: str = "Asia/Shanghai"
    opens: time = time(8, 30)
    closes: time = time(17, 30)
    working_days: frozenset[int] = frozenset({1, 2, 3, 4, 5})  # ISO weekdays
    teams: int = 1

    @property
    def round_the_clock(self) -> bool:
        return self.service_hours == "24h"


def served(profile: Profile, start: datetime, end: datetime) -> list[Interval]:
    """The intervals within [start, end) when the terminal is served, in UTC."""
    if profile.round_the_clock:
        return [(start, end)]
    zone = ZoneInfo(profile.timezone)
    day = start.astimezone(zone).date() - timedelta(days=1)
    out: list[Interval] = []
    while True:
        opening = datetime.combine(day, profile.opens, zone).astimezone(UTC)
        if opening >= end:
            return out
        closing = datetime.combine(day, profile.closes, zone).astimezone(UTC)
        if day.isoweekday() in profile.working_days and closing > start:
            out.append((max(opening, start), min(closing, end)))
        day += timedelta(days=1)


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Overlaps of two sorted lists of disjoint intervals."""
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _busiest(slot: Interval, booked: Iterable[Interval]) -> int:
    """The most bookings running at one moment within the slot (teams busy at once)."""
    edges = sorted([(max(s, slot[0]), 1) for s, e in booked if s < slot[1] and slot[0] < e] +
                   [(min(e, slot[1]), -1) for s, e in booked if s < slot[1] and slot[0] < e],
                   key=lambda edge: (edge[0], edge[1]))  # an end before a start at one time
    busy = peak = 0
    for _when, step in edges:
        busy += step
        peak = max(peak, busy)
    return peak


def first_slot(profile: Profile, *, earliest: datetime, duration: timedelta,
               booked: Sequence[Interval], passable: Sequence[Interval] | None = None,
               outside_hours: bool = False, horizon: timedelta = timedelta(days=7),
               step: timedelta = timedelta(minutes=15)) -> Interval | None:
    """The earliest slot of ``duration`` from ``earliest`` that fits, or None within the horizon.

    Candidate starts are each open interval's start and the ends of bookings inside it, then
    every ``step`` — enough to find the first gap when teams are busy.
    """
    end = earliest + horizon
    open_ = [(earliest, end)] if outside_hours else served(profile, earliest, end)
    if passable is not None:
        open_ = intersect(open_, sorted(passable))
    for lo, hi in open_:
        candidates = {lo, *(e for _s, e in booked if lo < e < hi)}
        t = lo
        while t + duration <= hi:
            candidates.add(t)
            t += step
        for start in sorted(candidates):
            slot = (start, start + duration)
            if slot[1] <= hi and _busiest(slot, booked) < profile.teams:
                return slot
    return None


def arrival_window(passable: Sequence[Interval], eta: datetime) -> Interval | None:
    """The first tide window the ship can use on arriving at its ETA: the one open at the
    ETA, or the next to open. The wait for the tide is its start minus the ETA."""
    for start, end in sorted(passable):
        if end > eta:
            return (max(start, eta), end)
    return None
