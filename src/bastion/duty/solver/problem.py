"""A roster problem: who, where, which shifts, how many of each role, and the rules.

Pure data (no database, no OR-Tools): the data classes the solver, the independent checker
(``bastion.duty.check``) and the rosters room share. ``bastion.duty.solver.parse`` reads them
from a PROBLEM.json (see its docstring for the format and the decisions on what is malformed).

A shift whose end is not after its start ends the next day and is a *night* shift; one whose
end equals its start lasts 24 hours. A shift belongs to the date it starts; ``off`` dates are
dates on which no shift may start. Times are local wall-clock; daylight saving is ignored.
Weekly rules apply to each full 7-day block from ``start`` (``Problem.weeks``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bastion.core.errors import Invalid

DAY_KINDS = ("workday", "rest")


@dataclass(frozen=True)
class Shift:
    code: str
    start: time
    end: time

    @property
    def night(self) -> bool:
        """Ends the next day (end not after start)."""
        return self.end <= self.start

    @property
    def start_min(self) -> int:
        return self.start.hour * 60 + self.start.minute

    @property
    def minutes(self) -> int:
        length = self.end.hour * 60 + self.end.minute - self.start_min
        return length if length > 0 else length + 24 * 60

    @property
    def hours(self) -> float:
        return self.minutes / 60

    def starts_at(self, day: date) -> datetime:
        return datetime.combine(day, self.start)

    def ends_at(self, day: date) -> datetime:
        return self.starts_at(day) + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    post: str
    roles: tuple[str, ...]
    off: frozenset[date] = frozenset()         # hard: no shift starts on these dates
    prefer_off: frozenset[date] = frozenset()  # soft
    prefer_on: frozenset[date] = frozenset()   # soft


@dataclass(frozen=True)
class Demand:
    post: str
    shift: str
    role: str
    count: int
    weekdays: frozenset[int] | None = None  # 0 = Monday; None = every day
    day_kind: str | None = None             # "workday" | "rest" | None = both

    @property
    def specificity(self) -> int:
        return (2 if self.weekdays is not None else 0) + (1 if self.day_kind is not None else 0)

    def applies(self, day: date, kind: str) -> bool:
        return ((self.weekdays is None or day.weekday() in self.weekdays)
                and (self.day_kind is None or self.day_kind == kind))


@dataclass(frozen=True)
class Rules:
    min_rest_hours: float = 12
    max_consecutive_nights: int = 3
    max_nights_per_week: int = 4
    max_consecutive_days: int = 6
    min_days_off_per_week: int = 1
    preference_weight: int = 1


@dataclass(frozen=True, order=True)
class Cell:
    date: date
    shift: str
    post: str
    role: str
    person: str

    def to_json(self) -> dict[str, str]:
        return {"date": self.date.isoformat(), "shift": self.shift, "post": self.post,
                "role": self.role, "person": self.person}


@dataclass(frozen=True)
class Problem:
    start: date
    days: int
    shifts: tuple[Shift, ...]
    people: tuple[Person, ...]
    demand: tuple[Demand, ...]
    rules: Rules = field(default_factory=Rules)
    time_limit_s: float = 60
    workers: int = 2
    holidays: frozenset[date] = frozenset()  # rest days
    workdays: frozenset[date] = frozenset()  # adjusted working days (调休)
    pins: tuple[Cell, ...] = ()              # hard: kept as they are
    previous: tuple[Cell, ...] = ()          # re-solve: fewest changes from these
    # (field path, message): read, not refused, but likely a mistake (a role no demand row
    # names); the command line prints them as warnings, the solver ignores them
    warnings: tuple[tuple[str, str], ...] = ()

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    @property
    def end(self) -> date:
        """The first date after the horizon."""
        return self.start + timedelta(days=self.days)

    def day_kind(self, day: date) -> str:
        if day in self.holidays:
            return "rest"
        if day in self.workdays:
            return "workday"
        return "workday" if day.weekday() < 5 else "rest"

    def demand_on(self, day: date) -> list[Demand]:
        """The rows that apply on ``day``: for one (post, shift, role) the most specific row
        wins (weekday + day kind > weekday > day kind > plain)."""
        kind = self.day_kind(day)
        best: dict[tuple[str, str, str], Demand] = {}
        for row in self.demand:
            if not row.applies(day, kind):
                continue
            key = (row.post, row.shift, row.role)
            if key not in best or row.specificity > best[key].specificity:
                best[key] = row
        return list(best.values())

    def shift(self, code: str) -> Shift:
        for s in self.shifts:
            if s.code == code:
                return s
        raise KeyError(code)

    def person(self, person_id: str) -> Person:
        for p in self.people:
            if p.id == person_id:
                return p
        raise KeyError(person_id)

    def posts(self) -> list[str]:
        """Posts with people or demand, in order of first mention."""
        seen = dict.fromkeys([p.post for p in self.people] + [d.post for d in self.demand])
        return list(seen)

    def weeks(self) -> list[list[date]]:
        """The full 7-day blocks from ``start`` (the weekly rules apply to these only)."""
        days = self.dates()
        return [days[i:i + 7] for i in range(0, self.days - 6, 7)]


class ProblemErrors(Invalid):
    """A malformed problem: every problem found, as (field path, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        first_path, first_message = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first_message}{more}", field=first_path)

    def lines(self) -> list[str]:
        return [f"{path}: {message}" if path else message for path, message in self.problems]
