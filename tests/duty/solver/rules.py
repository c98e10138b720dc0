"""The tests' own small check of a plan against every hard rule (apart from the solver's model
and from ``bastion.duty.check``, which one test uses as well)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from itertools import pairwise

from bastion.duty.solver import Cell, Problem


def broken(problem: Problem, cells: list[Cell]) -> list[str]:
    out: list[str] = []
    rules = problem.rules
    people = {p.id: p for p in problem.people}
    shifts = {s.code: s for s in problem.shifts}
    have = Counter((c.date, c.post, c.shift, c.role) for c in cells)
    for day in problem.dates():
        for row in problem.demand_on(day):
            got = have.pop((day, row.post, row.shift, row.role), 0)
            if got != row.count:
                out.append(f"demand {day} {row.post} {row.shift} {row.role}: {got}/{row.count}")
    out += [f"no demand for {key}" for key, n in have.items() if n]
    work = defaultdict(list)
    for c in cells:
        p = people[c.person]
        if c.post != p.post or c.role not in p.roles or c.date in p.off:
            out.append(f"post, role or day off: {c}")
        work[c.person].append(c)
    for c in problem.pins:
        if c not in cells:
            out.append(f"pin lost: {c}")
    for pid, mine in work.items():
        days = Counter(c.date for c in mine)
        out += [f"two shifts {pid} {d}" for d, n in days.items() if n > 1]
        spans = sorted((datetime.combine(c.date, shifts[c.shift].start),
                        datetime.combine(c.date, shifts[c.shift].start)
                        + timedelta(hours=shifts[c.shift].hours)) for c in mine)
        for (_, end), (start, _) in pairwise(spans):
            if start - end < timedelta(hours=rules.min_rest_hours):
                out.append(f"rest {pid} {end} -> {start}")
        worked = {c.date for c in mine}
        nights = {c.date for c in mine if shifts[c.shift].night}
        dates = problem.dates()
        for limit, which, name in ((rules.max_consecutive_days, worked, "days"),
                                   (rules.max_consecutive_nights, nights, "nights")):
            for i in range(len(dates) - limit):
                if all(d in which for d in dates[i:i + limit + 1]):
                    out.append(f"{limit + 1} {name} in a row {pid} from {dates[i]}")
        for week in problem.weeks():
            if sum(d in nights for d in week) > rules.max_nights_per_week:
                out.append(f"nights in week {pid} {week[0]}")
            if 7 - sum(d in worked for d in week) < rules.min_days_off_per_week:
                out.append(f"days off in week {pid} {week[0]}")
    return out


def spread(problem: Problem, cells: list[Cell]) -> int:
    counts = Counter(c.person for c in cells)
    groups = defaultdict(list)
    for p in problem.people:
        groups[p.post, tuple(sorted(p.roles))].append(counts[p.id])
    return sum(max(g) - min(g) for g in groups.values())
