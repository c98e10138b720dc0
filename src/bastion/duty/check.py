"""The independent checker: does a plan keep every rule of the roster problem?

Written apart from the solver on purpose (issue #13: "an independent checker, written apart
from the solver, that validates every rule"). It imports only the data classes of
``bastion.duty.solver.problem`` and checks each rule with plain loops over real dates and
times, so that a mistake in the solver's model is not repeated here.

    violations(problem, cells)                # the whole plan: every rule, demand included
    violations(problem, cells, partial=True)  # an edit in a half-filled roster: no demand rule

Rule codes: ``demand``, ``own_post``, ``role``, ``one_shift_a_day``, ``day_off``, ``pinned``,
``min_rest_hours``, ``max_consecutive_nights``, ``max_nights_per_week``,
``max_consecutive_days``, ``min_days_off_per_week``, and ``unknown`` for a cell naming a
person or shift the problem does not have, or a date outside the horizon.

A shift belongs to the date it starts; a shift whose end is not after its start ends the next
day and is a night shift. Weekly rules apply to each full 7-day block from ``start``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

from bastion.core.i18n import lazy
from bastion.duty.solver.problem import Cell, Person, Problem, Shift

RULES = ("demand", "own_post", "role", "one_shift_a_day", "day_off", "pinned",
         "min_rest_hours", "max_consecutive_nights", "max_nights_per_week",
         "max_consecutive_days", "min_days_off_per_week", "unknown")

# Rule names for people (a refusal says which rule an edit breaks).
RULE_NAMES = {
    "demand": lazy("staffing demand"),
    "own_post": lazy("own post only"),
    "role": lazy("role held"),
    "one_shift_a_day": lazy("one shift a day"),
    "day_off": lazy("requested day off"),
    "pinned": lazy("pinned cell"),
    "min_rest_hours": lazy("minimum rest hours"),
    "max_consecutive_nights": lazy("maximum consecutive nights"),
    "max_nights_per_week": lazy("maximum nights a week"),
    "max_consecutive_days": lazy("maximum consecutive working days"),
    "min_days_off_per_week": lazy("minimum days off a week"),
    "unknown": lazy("known person, shift and date"),
}


@dataclass(frozen=True)
class Violation:
    """One broken rule: ``message`` is an English msgid with ``%(name)s`` placeholders filled
    from ``params`` (plain JSON values: dates are ISO strings)."""

    rule: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, gettext: Callable[[str], str] | None = None) -> str:
        message = gettext(self.message) if gettext is not None else self.message
        return message % self.params

    def rule_name(self, gettext: Callable[[str], str] | None = None) -> str:
        name = RULE_NAMES.get(self.rule, self.rule)
        return gettext(name) if gettext is not None else name

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "message": self.message, "params": dict(self.params)}


def _shift_times(day: date, shift: Shift) -> tuple[datetime, datetime]:
    """The wall-clock start and end of a shift that starts on ``day``."""
    start = datetime.combine(day, shift.start)
    end = datetime.combine(day, shift.end)
    if end <= start:  # ends the next day: a night shift
        end += timedelta(days=1)
    return start, end


def _is_night(shift: Shift) -> bool:
    return shift.end <= shift.start


def _runs(days: Iterable[date]) -> list[tuple[date, int]]:
    """Runs of consecutive dates: (first date, length), in date order."""
    runs: list[tuple[date, int]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][0] + timedelta(days=runs[-1][1]) == day:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((day, 1))
    return runs


def _hours(value: float) -> str:
    return f"{value:g}"


def violations(problem: Problem, cells: Iterable[Cell], *,
               partial: bool = False) -> list[Violation]:
    """Every rule the plan breaks, in a stable order (rule by rule, then by date)."""
    cells = list(cells)
    people: dict[str, Person] = {p.id: p for p in problem.people}
    shifts: dict[str, Shift] = {s.code: s for s in problem.shifts}
    horizon = [problem.start + timedelta(days=i) for i in range(problem.days)]
    in_horizon = set(horizon)
    rules = problem.rules
    found: list[Violation] = []

    def add(rule: str, message: str, **params: Any) -> None:
        clean = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in params.items()}
        found.append(Violation(rule, message, clean))

    def name(person_id: str) -> str:
        person = people.get(person_id)
        return person.name if person is not None and person.name else person_id

    # --- cells that cannot be read against the problem at all -------------------------------
    known: list[Cell] = []
    for cell in cells:
        if cell.person not in people:
            add("unknown", lazy("Unknown person %(person)s on %(date)s (%(post)s, %(shift)s)."),
                person=cell.person, person_id=cell.person, date=cell.date, post=cell.post,
                shift=cell.shift, role=cell.role)
        elif cell.shift not in shifts:
            add("unknown", lazy("Unknown shift %(shift)s for %(person)s on %(date)s."),
                person=name(cell.person), person_id=cell.person, date=cell.date,
                post=cell.post, shift=cell.shift, role=cell.role)
        elif cell.date not in in_horizon:
            add("unknown", lazy("%(date)s is outside the roster's days (%(person)s, %(shift)s)."),
                person=name(cell.person), person_id=cell.person, date=cell.date,
                post=cell.post, shift=cell.shift, role=cell.role)
        else:
            known.append(cell)

    # --- demand: exactly `count` people per (date, post, shift, role) -----------------------
    if not partial:
        staffed: dict[tuple[date, str, str, str], int] = defaultdict(int)
        for cell in known:
            staffed[(cell.date, cell.post, cell.shift, cell.role)] += 1
        for day in horizon:
            wanted: dict[tuple[str, str, str], int] = {}
            for row in problem.demand_on(day):
                wanted[(row.post, row.shift, row.role)] = row.count
            keys = set(wanted) | {(p, s, r) for (d, p, s, r) in staffed if d == day}
            for post, shift, role in sorted(keys):
                want = wanted.get((post, shift, role), 0)
                have = staffed.get((day, post, shift, role), 0)
                if have != want:
                    add("demand", lazy("%(post)s needs %(limit)s %(role)s on the %(shift)s shift "
                                       "of %(date)s; the plan has %(count)s."),
                        date=day, post=post, shift=shift, role=role, limit=want, count=have)

    # --- each cell on its own --------------------------------------------------------------
    for cell in known:
        person = people[cell.person]
        if cell.post != person.post:
            add("own_post", lazy("%(person)s is on duty at %(post)s on %(date)s but belongs to "
                                 "%(own_post)s."),
                person=name(cell.person), person_id=cell.person, date=cell.date,
                post=cell.post, own_post=person.post, shift=cell.shift, role=cell.role)
        if cell.role not in person.roles:
            add("role", lazy("%(person)s does not hold the role %(role)s (%(date)s, "
                             "%(shift)s)."),
                person=name(cell.person), person_id=cell.person, date=cell.date,
                post=cell.post, shift=cell.shift, role=cell.role)
        if cell.date in person.off:
            add("day_off", lazy("%(person)s has %(date)s off but is on the %(shift)s shift."),
                person=name(cell.person), person_id=cell.person, date=cell.date,
                post=cell.post, shift=cell.shift, role=cell.role)

    # --- per person --------------------------------------------------------------------------
    by_person: dict[str, list[Cell]] = defaultdict(list)
    for cell in known:
        by_person[cell.person].append(cell)

    for person_id in sorted(by_person):
        mine = sorted(by_person[person_id],
                      key=lambda c: (_shift_times(c.date, shifts[c.shift])[0], c.shift))
        who = name(person_id)

        # one shift a day
        per_day: dict[date, list[Cell]] = defaultdict(list)
        for cell in mine:
            per_day[cell.date].append(cell)
        for day in sorted(per_day):
            if len(per_day[day]) > 1:
                add("one_shift_a_day", lazy("%(person)s has %(count)s shifts on %(date)s "
                                            "(%(shift)s); at most one a day."),
                    person=who, person_id=person_id, date=day, count=len(per_day[day]),
                    shift=", ".join(c.shift for c in per_day[day]), limit=1)

        # minimum rest between one shift's end and the next shift's start
        for before, after in pairwise(mine):
            _, ended = _shift_times(before.date, shifts[before.shift])
            begins, _ = _shift_times(after.date, shifts[after.shift])
            rest = (begins - ended).total_seconds() / 3600
            if rest < rules.min_rest_hours:
                add("min_rest_hours", lazy("%(person)s rests %(hours)s hours between the "
                                           "%(previous_shift)s shift of %(previous_date)s and "
                                           "the %(shift)s shift of %(date)s; at least "
                                           "%(limit)s hours."),
                    person=who, person_id=person_id, date=after.date, shift=after.shift,
                    previous_date=before.date, previous_shift=before.shift,
                    hours=_hours(round(rest, 2)), limit=_hours(rules.min_rest_hours))

        worked = sorted(per_day)
        nights = sorted({c.date for c in mine if _is_night(shifts[c.shift])})

        # maximum consecutive nights
        for first, length in _runs(nights):
            if length > rules.max_consecutive_nights:
                add("max_consecutive_nights", lazy("%(person)s works %(count)s nights in a row "
                                                   "from %(date)s; at most %(limit)s."),
                    person=who, person_id=person_id, date=first, count=length,
                    limit=rules.max_consecutive_nights)

        # maximum consecutive working days
        for first, length in _runs(worked):
            if length > rules.max_consecutive_days:
                add("max_consecutive_days", lazy("%(person)s works %(count)s days in a row "
                                                 "from %(date)s; at most %(limit)s."),
                    person=who, person_id=person_id, date=first, count=length,
                    limit=rules.max_consecutive_days)

        # maximum nights in each full 7-day block from the start
        for block in range(problem.days // 7):
            first = problem.start + timedelta(days=7 * block)
            last = first + timedelta(days=6)
            count = sum(1 for d in nights if first <= d <= last)
            if count > rules.max_nights_per_week:
                add("max_nights_per_week", lazy("%(person)s works %(count)s nights in the week "
                                                "%(date)s to %(end)s; at most %(limit)s."),
                    person=who, person_id=person_id, date=first, end=last, count=count,
                    limit=rules.max_nights_per_week)

    # minimum days off in each full 7-day block (for everyone, so a plan that
    # only names some people is read the same way)
    for person_id in sorted(by_person):
        worked_days = {c.date for c in by_person[person_id]}
        for block in range(problem.days // 7):
            first = problem.start + timedelta(days=7 * block)
            last = first + timedelta(days=6)
            off = sum(1 for i in range(7) if first + timedelta(days=i) not in worked_days)
            if off < rules.min_days_off_per_week:
                add("min_days_off_per_week", lazy("%(person)s has %(count)s days off in the "
                                                  "week %(date)s to %(end)s; at least "
                                                  "%(limit)s."),
                    person=name(person_id), person_id=person_id, date=first, end=last,
                    count=off, limit=rules.min_days_off_per_week)

    # --- pins: kept as they are ----------------------------------------------------------------
    present = set(cells)
    for pin in problem.pins:
        if pin not in present:
            add("pinned", lazy("The pinned cell %(person)s, %(role)s, %(shift)s shift of "
                               "%(date)s at %(post)s is missing."),
                person=name(pin.person), person_id=pin.person, date=pin.date, post=pin.post,
                shift=pin.shift, role=pin.role)

    order = {rule: i for i, rule in enumerate(RULES)}
    found.sort(key=lambda v: (order.get(v.rule, len(order)), str(v.params.get("date", "")),
                              str(v.params.get("person_id", ""))))
    return found
