"""Reading a PROBLEM.json: ``parse_problem`` reads the PROBLEM.json of issue 13 and refuses a
malformed one with *every* problem found, each named by its field path (``people[3].off[0]``).

PROBLEM.json::

    {"start": "2026-03-01", "days": 28,
     "shifts": [{"code": "D", "start": "08:00", "end": "20:00"},
                {"code": "N", "start": "20:00", "end": "08:00"}],
     "people": [{"id": "p1", "name": "Chen", "post": "P1", "roles": ["duty_officer"],
                 "off": ["2026-03-08"], "prefer_off": [], "prefer_on": []}],
     "demand": [{"post": "P1", "shift": "D", "role": "duty_officer", "count": 2,
                 "weekdays": [0, 1, 2, 3, 4], "day_kind": "workday"}],
     "rules": {"min_rest_hours": 12, "max_consecutive_nights": 3, "max_nights_per_week": 4,
               "max_consecutive_days": 6, "min_days_off_per_week": 1, "preference_weight": 1},
     "holidays": ["2026-04-05"], "workdays": ["2026-04-26"],
     "pins": [{"date": ..., "shift": ..., "post": ..., "role": ..., "person": ...}],
     "previous": [...cells of the plan being re-solved...],
     "posts": ["P1"], "roles": ["duty_leader", "duty_officer"],
     "time_limit_s": 60, "workers": 2}

Only ``start``, ``days``, ``shifts``, ``people`` and ``demand`` are required.

Decisions:
- A shift whose end is not after its start ends the next day and is a *night* shift; one whose
  end equals its start lasts 24 hours (the 24-hour duty of a command post), it is not empty.
  A shift belongs to the date it starts; ``off`` dates are dates on which no shift may start.
  Times are local wall-clock; daylight saving is ignored.
- ``posts`` and ``roles`` are optional declarations. When given, a person or demand row naming a
  post or role outside them is an error; a declared post or role that nobody holds is not
  malformed: demand for it cannot be staffed, and the solver says so (status infeasible,
  explained). Without them, the posts and roles a file knows are those its people name: a
  demand row for a post no person works at or a role no person holds is an error naming the
  field and the value (a typo such as ``duty_leadr`` was read as a role nobody holds, and the
  month was then "infeasible: no one holds that role": true of the typo, not of the people);
  a person's post or role that no demand row names is a *warning* (``Problem.warnings``, on
  stderr from the command line): it changes nothing, is often a typo, and is not wrong.
- An unknown shift code, person id, a duplicate id or shift code, a bad date or time, a date
  outside the horizon (off, prefer_off, prefer_on, pins, previous), a negative count, a day in
  both ``holidays`` and ``workdays``, two demand rows for the same post, shift and role that
  apply on the same day with the same specificity, an unknown field: errors.
- Holidays and adjusted working days (调休) outside the horizon are allowed: a calendar may
  cover the whole year.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import fields
from datetime import date, time, timedelta
from typing import Any

from bastion.duty.solver.names import undeclared
from bastion.duty.solver.problem import (
    DAY_KINDS,
    Cell,
    Demand,
    Person,
    Problem,
    ProblemErrors,
    Rules,
    Shift,
)

MAX_DAYS = 366
MAX_PEOPLE = 2000
MAX_SHIFTS = 24
MAX_DEMAND = 5000
MAX_CELLS = 200_000
MAX_TIME_LIMIT_S = 3600.0
MAX_WORKERS = 16
_TIME = re.compile(r"^(\d{2}):(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Reader:
    """Collects problems while reading; each value read is checked where it stands."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []

    def err(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def obj(self, value: Any, path: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()
            ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.err(path or "(file)", "must be an object")
            return None
        for key in value:
            if key not in allowed:
                self.err(_join(path, str(key)), "unknown field")
        for key in required:
            if key not in value:
                self.err(_join(path, key), "is required")
        return value

    def lst(self, value: Any, path: str, limit: int) -> list[Any]:
        if not isinstance(value, list):
            self.err(path, "must be a list")
            return []
        if len(value) > limit:
            self.err(path, f"has {len(value)} items, at most {limit} allowed")
            return []
        return value

    def text(self, value: Any, path: str, *, ids: bool = False) -> str | None:
        if ids and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.err(path, "must be a non-empty string")
            return None
        if len(value) > 200:
            self.err(path, "is longer than 200 characters")
            return None
        return value.strip()

    def integer(self, value: Any, path: str, low: int, high: int) -> int | None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            self.err(path, "must be a whole number")
            return None
        if not low <= value <= high:
            self.err(path, f"must be between {low} and {high}, not {value}")
            return None
        return value

    def number(self, value: Any, path: str, low: float, high: float) -> float | None:
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            self.err(path, "must be a number")
            return None
        if not low <= value <= high:
            self.err(path, f"must be between {low:g} and {high:g}, not {value:g}")
            return None
        return float(value)

    def day(self, value: Any, path: str) -> date | None:
        if not isinstance(value, str) or not _DATE.match(value):
            self.err(path, "must be a date YYYY-MM-DD")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.err(path, f"{value!r} is not a date")
            return None

    def clock(self, value: Any, path: str) -> time | None:
        match = _TIME.match(value) if isinstance(value, str) else None
        if match is None:
            self.err(path, "must be a time HH:MM")
            return None
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            self.err(path, f"{value!r} is not a time of day (00:00 to 23:59)")
            return None
        return time(hour, minute)

    def days_in(self, value: Any, path: str, first: date | None, end: date | None
                ) -> frozenset[date]:
        found: set[date] = set()
        for i, item in enumerate(self.lst(value, path, MAX_DAYS * 4)):
            day = self.day(item, f"{path}[{i}]")
            if day is None:
                continue
            if first is not None and end is not None and not first <= day < end:
                self.err(f"{path}[{i}]", f"{day.isoformat()} is outside the horizon "
                         f"{first.isoformat()} to {(end - timedelta(days=1)).isoformat()}")
                continue
            found.add(day)
        return frozenset(found)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_TOP = ("start", "days", "shifts", "people", "demand", "rules", "time_limit_s", "workers",
        "holidays", "workdays", "pins", "previous", "posts", "roles", "preference_weight")
_RULES = tuple(f.name for f in fields(Rules))


def parse_problem(data: Any) -> Problem:
    """The ``Problem`` in a PROBLEM.json document (already decoded), or ``ProblemErrors``
    listing every problem found by field path."""
    r = _Reader()
    top = r.obj(data, "", _TOP, ("start", "days", "shifts", "people", "demand"))
    if top is None:
        raise ProblemErrors(r.problems)
    start = r.day(top.get("start"), "start") if "start" in top else None
    days = r.integer(top.get("days"), "days", 1, MAX_DAYS) if "days" in top else None
    end = start + timedelta(days=days) if start and days else None

    declared_posts = _declared(r, top, "posts")
    declared_roles = _declared(r, top, "roles")

    shifts: list[Shift] = []
    codes: set[str] = set()  # every code named, even of a shift whose times are wrong
    for i, item in enumerate(r.lst(top.get("shifts", []), "shifts", MAX_SHIFTS)):
        path = f"shifts[{i}]"
        if r.obj(item, path, ("code", "start", "end"), ("code", "start", "end")) is None:
            continue
        code = r.text(item.get("code"), f"{path}.code") if "code" in item else None
        begin = r.clock(item.get("start"), f"{path}.start") if "start" in item else None
        finish = r.clock(item.get("end"), f"{path}.end") if "end" in item else None
        if code is not None and code in codes:
            r.err(f"{path}.code", f"duplicate shift code {code!r}")
        elif code is not None:
            codes.add(code)
            if begin is not None and finish is not None:
                shifts.append(Shift(code, begin, finish))
    if "shifts" in top and isinstance(top["shifts"], list) and not top["shifts"]:
        r.err("shifts", "needs at least one shift")

    people: list[Person] = []
    ids: set[str] = set()
    for i, item in enumerate(r.lst(top.get("people", []), "people", MAX_PEOPLE)):
        path = f"people[{i}]"
        if r.obj(item, path, ("id", "name", "post", "roles", "off", "prefer_off", "prefer_on"),
                 ("id", "post", "roles")) is None:
            continue
        pid = r.text(item.get("id"), f"{path}.id", ids=True) if "id" in item else None
        if pid is not None and pid in ids:
            r.err(f"{path}.id", f"duplicate person id {pid!r}")
            pid = None
        name = r.text(item["name"], f"{path}.name") if "name" in item else pid
        post = r.text(item.get("post"), f"{path}.post") if "post" in item else None
        if post is not None and declared_posts is not None and post not in declared_posts:
            r.err(f"{path}.post", f"unknown post {post!r}")
        roles: list[str] = []
        for j, role in enumerate(r.lst(item.get("roles", []), f"{path}.roles", 50)):
            role = r.text(role, f"{path}.roles[{j}]")
            if role is None:
                continue
            if declared_roles is not None and role not in declared_roles:
                r.err(f"{path}.roles[{j}]", f"unknown role {role!r}")
            elif role not in roles:
                roles.append(role)
        off = r.days_in(item.get("off", []), f"{path}.off", start, end)
        prefer_off = r.days_in(item.get("prefer_off", []), f"{path}.prefer_off", start, end)
        prefer_on = r.days_in(item.get("prefer_on", []), f"{path}.prefer_on", start, end)
        for day in sorted(prefer_on & (off | prefer_off)):
            r.err(f"{path}.prefer_on", f"{day.isoformat()} is also a day off or preferred off")
        if pid is not None:
            ids.add(pid)
            if post is not None:
                people.append(Person(pid, name or pid, post, tuple(roles), off, prefer_off,
                                     prefer_on))

    demand: list[Demand] = []
    seen_rows: dict[tuple, int] = {}
    for i, item in enumerate(r.lst(top.get("demand", []), "demand", MAX_DEMAND)):
        path = f"demand[{i}]"
        if r.obj(item, path, ("post", "shift", "role", "count", "weekdays", "day_kind"),
                 ("post", "shift", "role", "count")) is None:
            continue
        post = r.text(item.get("post"), f"{path}.post") if "post" in item else None
        if post is not None and declared_posts is not None and post not in declared_posts:
            r.err(f"{path}.post", f"unknown post {post!r}")
        code = r.text(item.get("shift"), f"{path}.shift") if "shift" in item else None
        if code is not None and code not in codes:
            r.err(f"{path}.shift", f"unknown shift {code!r}")
        role = r.text(item.get("role"), f"{path}.role") if "role" in item else None
        if role is not None and declared_roles is not None and role not in declared_roles:
            r.err(f"{path}.role", f"unknown role {role!r}")
        count = r.integer(item.get("count"), f"{path}.count", 0, 1000) if "count" in item else None
        weekdays = None
        if item.get("weekdays") is not None:
            wds = [r.integer(w, f"{path}.weekdays[{j}]", 0, 6)
                   for j, w in enumerate(r.lst(item["weekdays"], f"{path}.weekdays", 7))]
            weekdays = frozenset(w for w in wds if w is not None)
            if not wds:
                r.err(f"{path}.weekdays", "must name at least one weekday (0 = Monday)")
        kind = item.get("day_kind")
        if kind is not None and kind not in DAY_KINDS:
            r.err(f"{path}.day_kind", "must be \"workday\" or \"rest\"")
            kind = None
        if None in (post, code, role, count) or code not in codes:
            continue
        row = Demand(post, code, role, count, weekdays, kind)
        key = (post, code, role, weekdays, kind)
        if key in seen_rows:
            r.err(path, f"repeats demand[{seen_rows[key]}]")
            continue
        seen_rows[key] = i
        demand.append(row)

    if declared_posts is None or declared_roles is None:
        undeclared(r, top, declared_posts is None, declared_roles is None)

    rules = Rules()
    if "rules" in top:
        rules = _rules(r, top["rules"], top.get("preference_weight"))
    elif "preference_weight" in top:
        rules = _rules(r, {}, top["preference_weight"])

    time_limit = 60.0
    if "time_limit_s" in top:
        time_limit = r.number(top["time_limit_s"], "time_limit_s", 0.1, MAX_TIME_LIMIT_S) or 60.0
    workers = 2
    if "workers" in top:
        workers = r.integer(top["workers"], "workers", 1, MAX_WORKERS) or 2

    holidays = r.days_in(top.get("holidays", []), "holidays", None, None)
    workdays = r.days_in(top.get("workdays", []), "workdays", None, None)
    for day in sorted(holidays & workdays):
        r.err("workdays", f"{day.isoformat()} is also a holiday")

    by_id = {p.id: p for p in people}
    pins = _cells(r, top.get("pins", []), "pins", start, end, codes, by_id)
    previous = _cells(r, top.get("previous", []), "previous", start, end, codes, by_id)

    if r.problems:
        raise ProblemErrors(r.problems)
    assert start is not None and days is not None
    problem = Problem(start=start, days=days, shifts=tuple(shifts), people=tuple(people),
                      demand=tuple(demand), rules=rules, time_limit_s=time_limit,
                      workers=workers, holidays=holidays, workdays=workdays,
                      pins=tuple(pins), previous=tuple(previous),
                      warnings=tuple(r.warnings))
    _ambiguous_demand(r, problem, seen_rows)
    size = _model_size(problem)
    if size > MAX_CELLS * 10:
        r.err("people", f"the roster would need {size} choices (people x days x shifts and "
                        f"roles they could fill), more than the {MAX_CELLS * 10} allowed")
    if r.problems:
        raise ProblemErrors(r.problems)
    return problem


def _declared(r: _Reader, top: dict[str, Any], key: str) -> set[str] | None:
    if key not in top:
        return None
    names = [r.text(v, f"{key}[{i}]") for i, v in enumerate(r.lst(top[key], key, 1000))]
    return {n for n in names if n is not None}


def _rules(r: _Reader, value: Any, weight: Any) -> Rules:
    if r.obj(value, "rules", _RULES) is None:
        return Rules()
    checks: dict[str, Callable[[Any, str], Any]] = {
        "min_rest_hours": lambda v, p: r.number(v, p, 0, 48),
        "max_consecutive_nights": lambda v, p: r.integer(v, p, 0, MAX_DAYS),
        "max_nights_per_week": lambda v, p: r.integer(v, p, 0, 7),
        "max_consecutive_days": lambda v, p: r.integer(v, p, 1, MAX_DAYS),
        "min_days_off_per_week": lambda v, p: r.integer(v, p, 0, 7),
        "preference_weight": lambda v, p: r.integer(v, p, 0, 1000),
    }
    values: dict[str, Any] = {}
    for name, check in checks.items():
        if name in value:
            got = check(value[name], f"rules.{name}")
            if got is not None:
                values[name] = got
    if weight is not None and "preference_weight" not in value:
        got = checks["preference_weight"](weight, "preference_weight")
        if got is not None:
            values["preference_weight"] = got
    return Rules(**values)


def _cells(r: _Reader, value: Any, key: str, start: date | None, end: date | None,
           codes: set[str], by_id: dict[str, Person]) -> list[Cell]:
    cells: list[Cell] = []
    for i, item in enumerate(r.lst(value, key, MAX_CELLS)):
        path = f"{key}[{i}]"
        names = ("date", "shift", "post", "role", "person")
        if r.obj(item, path, names, names) is None or any(n not in item for n in names):
            continue
        day = r.day(item["date"], f"{path}.date")
        if day is not None and start is not None and end is not None and not start <= day < end:
            r.err(f"{path}.date", f"{day.isoformat()} is outside the horizon")
            day = None
        code = r.text(item["shift"], f"{path}.shift")
        if code is not None and code not in codes:
            r.err(f"{path}.shift", f"unknown shift {code!r}")
            code = None
        post = r.text(item["post"], f"{path}.post")
        role = r.text(item["role"], f"{path}.role")
        person = r.text(item["person"], f"{path}.person", ids=True)
        if person is not None and person not in by_id:
            r.err(f"{path}.person", f"unknown person {person!r}")
            person = None
        if None not in (day, code, post, role, person):
            cells.append(Cell(day, code, post, role, person))  # type: ignore[arg-type]
    return cells


def _ambiguous_demand(r: _Reader, problem: Problem, rows: dict[tuple, int]) -> None:
    """Two rows for one (post, shift, role) that both apply on a day with the same
    specificity: which count holds is not said."""
    index = {d: rows[(d.post, d.shift, d.role, d.weekdays, d.day_kind)] for d in problem.demand}
    reported: set[tuple[int, ...]] = set()
    for day in problem.dates():
        kind = problem.day_kind(day)
        applying: dict[tuple[str, str, str], list[Demand]] = {}
        for row in problem.demand:
            if row.applies(day, kind):
                applying.setdefault((row.post, row.shift, row.role), []).append(row)
        for found in applying.values():
            top = max(row.specificity for row in found)
            tied = sorted(index[row] for row in found if row.specificity == top)
            if len(tied) > 1 and tuple(tied) not in reported:
                reported.add(tuple(tied))
                r.err(f"demand[{tied[1]}]", f"applies on {day.isoformat()} together with "
                      f"demand[{tied[0]}] (same post, shift and role, equally specific)")


def _model_size(problem: Problem) -> int:
    """How many (person, day, shift, role) the solver would have to decide."""
    per_post: dict[str, set[tuple[str, str]]] = {}
    for row in problem.demand:
        per_post.setdefault(row.post, set()).add((row.shift, row.role))
    return problem.days * sum(
        sum(1 for _, role in per_post.get(p.post, ()) if role in p.roles) for p in problem.people)
