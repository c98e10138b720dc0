"""Statistics of port calls, pure: calls and their workflow events in, a table of measures out.

Every measure belongs to one event of the call and counts in the period in which that event
happened, in the user's time zone:

- vessels and persons cleared in (out): 1 and the event's ``persons``, at the clear_in
  (clear_out) event that moved the call to ``cleared_in`` (``cleared_out``); persons out are
  those of the departure lists, and the clear_out event also counts who signed off, signed on,
  stayed ashore in hospital, deserted or was found a stowaway;
- pre-check lead time: the ETA declared at the first submit minus that submit, at the submit;
- clearance time: that clear_in event minus the ATA, at the clear_in event;
- time in port: ATD minus ATA, at the depart event;
- waiting for tide: ``tide_wait_minutes`` of the last arrival approval, at that approval.

A time comes from the event's payload when present, else the call's column, else the time of
the event itself (ATA from the arrive event, ATD from the depart event). Durations are hours;
a late declaration (submitted after its ETA) has a negative lead time and is kept as such.
Tide waits count for tide-window calls and for any call with a positive wait; a tide-window
call whose wait was never recorded is left out rather than counted as no wait.

The comparison range is the same dates one year earlier (29 February becomes the 28th);
periods are compared with the same period of that year (weeks by ISO week number).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bastion.core.i18n import lazy

PERIODS = ("day", "week", "month", "quarter", "year")
GROUPINGS = ("period", "terminal", "mode")
MODES = ("normal", "24h", "tide_window", "green_channel")
# Event actions a measure is read from (kind "portcall.<action>").
ACTIONS = ("submit", "arrive", "approve_arrival", "clear_in", "clear_out", "depart")

PERIOD_LABELS = {"day": lazy("Day"), "week": lazy("Week"), "month": lazy("Month"),
                 "quarter": lazy("Quarter"), "year": lazy("Year")}
MODE_LABELS = {"normal": lazy("Normal clearance"), "24h": lazy("24-hour clearance"),
               "tide_window": lazy("Tide-window clearance"),
               "green_channel": lazy("Green channel")}


@dataclass(frozen=True)
class Measure:
    key: str
    label: str      # an English message id; translate with gettext when shown
    unit: str       # "count" or "hours"


MEASURES = (
    Measure("vessels_in", lazy("Vessels cleared in"), "count"),
    Measure("persons_in", lazy("Persons cleared in"), "count"),
    Measure("vessels_out", lazy("Vessels cleared out"), "count"),
    Measure("persons_out", lazy("Persons cleared out"), "count"),
    Measure("signed_off", lazy("Persons signed off"), "count"),
    Measure("signed_on", lazy("Persons signed on"), "count"),
    Measure("hospital", lazy("Persons left ashore in hospital"), "count"),
    Measure("deserted", lazy("Deserters"), "count"),
    Measure("stowaway", lazy("Stowaways"), "count"),
    Measure("lead_time_mean", lazy("Pre-check lead time, average (h)"), "hours"),
    Measure("lead_time_median", lazy("Pre-check lead time, median (h)"), "hours"),
    Measure("clearance_mean", lazy("Clearance time, average (h)"), "hours"),
    Measure("clearance_median", lazy("Clearance time, median (h)"), "hours"),
    Measure("in_port_mean", lazy("Time in port, average (h)"), "hours"),
    Measure("in_port_median", lazy("Time in port, median (h)"), "hours"),
    Measure("tide_wait_mean", lazy("Waiting for tide, average (h)"), "hours"),
    Measure("tide_wait_median", lazy("Waiting for tide, median (h)"), "hours"),
)
# Departure changes against arrival, from the clear-out event (departure.people.outbound_facts).
DEPARTURE_CHANGES = ("signed_off", "signed_on", "hospital", "deserted", "stowaway")
COUNTS = ("vessels_in", "persons_in", "vessels_out", "persons_out", *DEPARTURE_CHANGES)
DURATIONS = ("lead_time", "clearance", "in_port", "tide_wait")


# --- input ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Call:
    id: int
    terminal: str | None = None
    mode: str = "normal"
    eta: datetime | None = None
    ata: datetime | None = None
    atd: datetime | None = None
    tide_wait_minutes: int | None = None


@dataclass(frozen=True)
class Event:
    call_id: int
    action: str                     # "submit", "clear_in", ... (the kind without "portcall.")
    at: datetime
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Fact:
    """One thing to count: ``what`` (a count or a duration) of a call, at its event's time."""

    call: Call
    what: str
    at: datetime
    value: float


def _instant(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def _moved_to(event: Event, state: str) -> bool:
    # One clear_in/clear_out event per agency; only the last agency's moves the call.
    return event.payload.get("to") == state and event.payload.get("from") != state


def call_facts(call: Call, events: Sequence[Event]) -> list[Fact]:
    """The facts of one call from its events (any order)."""
    ordered = sorted(events, key=lambda e: e.at)
    by_action: dict[str, list[Event]] = defaultdict(list)
    for event in ordered:
        by_action[event.action].append(event)
    facts: list[Fact] = []

    submits = by_action["submit"]
    if submits:
        first = submits[0]
        eta = _instant(first.payload.get("eta")) or call.eta
        if eta is not None:
            facts.append(Fact(call, "lead_time", first.at, _hours(eta - first.at)))

    arrivals = by_action["arrive"]
    ata = call.ata
    if arrivals:
        ata = _instant(arrivals[-1].payload.get("ata")) or call.ata or arrivals[-1].at

    for action, state, suffix in (("clear_in", "cleared_in", "in"),
                                  ("clear_out", "cleared_out", "out")):
        for event in by_action[action]:
            if not _moved_to(event, state):
                continue
            facts.append(Fact(call, f"vessels_{suffix}", event.at, 1))
            facts.append(Fact(call, f"persons_{suffix}", event.at,
                              max(_int(event.payload.get("persons")) or 0, 0)))
            if suffix == "out":
                facts += [Fact(call, key, event.at, max(_int(event.payload.get(key)) or 0, 0))
                          for key in DEPARTURE_CHANGES if key in event.payload]
            if suffix == "in" and ata is not None:
                facts.append(Fact(call, "clearance", event.at, _hours(event.at - ata)))

    departures = by_action["depart"]
    if departures and ata is not None:
        last = departures[-1]
        atd = _instant(last.payload.get("atd")) or call.atd or last.at
        facts.append(Fact(call, "in_port", last.at, _hours(atd - ata)))

    approvals = by_action["approve_arrival"]
    if approvals:
        last = approvals[-1]
        minutes = _int(last.payload.get("tide_wait_minutes"))
        if minutes is None:
            minutes = call.tide_wait_minutes
        if minutes is not None and (call.mode == "tide_window" or minutes > 0):
            facts.append(Fact(call, "tide_wait", last.at, max(minutes, 0) / 60))
    return facts


def facts(calls: Iterable[Call], events: Iterable[Event]) -> list[Fact]:
    by_call: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        by_call[event.call_id].append(event)
    return [f for call in calls for f in call_facts(call, by_call.get(call.id, []))]


# --- periods ----------------------------------------------------------------------------------

def one_year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def one_year_later(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def bucket(day: date, period: str) -> str:
    """The period a local date falls in: 2026-04-01, 2026-W14, 2026-04, 2026-Q2, 2026."""
    if period == "day":
        return day.isoformat()
    if period == "week":
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if period == "year":
        return str(day.year)
    raise ValueError(f"unknown period {period!r}")


def _shift(key: str, period: str, years: int) -> str:
    """The same period ``years`` later (or earlier): 2025-04 → 2026-04."""
    if period == "day":
        day = date.fromisoformat(key)
        return (one_year_later(day) if years > 0 else one_year_earlier(day)).isoformat()
    return f"{int(key[:4]) + years}{key[4:]}"


def buckets(start: date, end: date, period: str) -> list[str]:
    keys: dict[str, None] = {}
    day = start
    while day <= end:
        keys[bucket(day, period)] = None
        day += timedelta(days=1)
    return list(keys)


# --- the table --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    value: float | None
    last_year: float | None
    change: float | None
    change_pct: float | None    # None ("n/a") when last year is 0 or unknown


@dataclass(frozen=True)
class Row:
    key: str | None
    last_year_key: str | None
    cells: dict[str, Cell]


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    last_year_start: date
    last_year_end: date
    period: str
    timezone: str
    total: Row
    groups: dict[str, list[Row]]     # "period", "terminal", "mode" → rows


def _aggregate(items: Sequence[Fact]) -> dict[str, float | None]:
    values: dict[str, list[float]] = defaultdict(list)
    for item in items:
        values[item.what].append(item.value)
    out: dict[str, float | None] = {}
    for key in COUNTS:
        out[key] = int(sum(values[key]))
    for key in DURATIONS:
        data = values[key]
        out[f"{key}_mean"] = statistics.fmean(data) if data else None
        out[f"{key}_median"] = statistics.median(data) if data else None
    return out


def _round(value: float | None, unit: str) -> float | None:
    if value is None or unit == "count":
        return value
    return round(value, 2)


def _cells(now: Sequence[Fact], then: Sequence[Fact]) -> dict[str, Cell]:
    current, previous = _aggregate(now), _aggregate(then)
    cells = {}
    for measure in MEASURES:
        value, last = current[measure.key], previous[measure.key]
        change = value - last if value is not None and last is not None else None
        pct = round(change / last * 100, 1) if change is not None and last else None
        cells[measure.key] = Cell(_round(value, measure.unit), _round(last, measure.unit),
                                  _round(change, measure.unit), pct)
    return cells


def _ordered(keys: Iterable[str | None], first: Sequence[str] = ()) -> list[str | None]:
    present = set(keys)
    known = [k for k in first if k in present]
    rest = sorted(k for k in present if k is not None and k not in first)
    return known + rest + ([None] if None in present else [])


def report(items: Iterable[Fact], *, start: date, end: date, period: str = "month",
           timezone: str = "UTC", by: Sequence[str] = GROUPINGS) -> Report:
    """The measures over ``start``..``end`` (local dates, inclusive) and the same range one
    year earlier, in total and for each grouping in ``by``."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    zone = ZoneInfo(timezone)
    last_start, last_end = one_year_earlier(start), one_year_earlier(end)
    now: list[tuple[date, Fact]] = []
    then: list[tuple[date, Fact]] = []
    for item in items:
        day = item.at.astimezone(zone).date()
        # A range longer than a year overlaps its comparison: a fact may then be in both.
        if start <= day <= end:
            now.append((day, item))
        if last_start <= day <= last_end:
            then.append((day, item))

    def grouped(key_now: Callable[[date, Fact], str | None],
                key_then: Callable[[date, Fact], str | None],
                keys: list[str | None], last_key: Callable[[str | None], str | None]
                ) -> list[Row]:
        a: dict[str | None, list[Fact]] = defaultdict(list)
        b: dict[str | None, list[Fact]] = defaultdict(list)
        for day, item in now:
            a[key_now(day, item)].append(item)
        for day, item in then:
            b[key_then(day, item)].append(item)
        return [Row(k, last_key(k), _cells(a.get(k, []), b.get(k, []))) for k in keys]

    groups: dict[str, list[Row]] = {}
    if "period" in by:
        groups["period"] = grouped(
            lambda day, _f: bucket(day, period),
            lambda day, _f: _shift(bucket(day, period), period, 1),
            list(buckets(start, end, period)),
            lambda k: _shift(k, period, -1) if k else None)
    if "terminal" in by:
        groups["terminal"] = grouped(
            lambda _d, f: f.call.terminal, lambda _d, f: f.call.terminal,
            _ordered(f.call.terminal for _d, f in [*now, *then]), lambda k: k)
    if "mode" in by:
        groups["mode"] = grouped(
            lambda _d, f: f.call.mode, lambda _d, f: f.call.mode,
            _ordered((f.call.mode for _d, f in [*now, *then]), MODES), lambda k: k)
    total = Row(None, None, _cells([f for _d, f in now], [f for _d, f in then]))
    return Report(start=start, end=end, last_year_start=last_start, last_year_end=last_end,
                  period=period, timezone=timezone, total=total, groups=groups)
