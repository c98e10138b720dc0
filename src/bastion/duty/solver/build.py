"""The CP-SAT model of a roster, for one post, several, or all of them at once.

One Boolean ``x[person, day, shift, role]`` exists only where it can be 1: the person's own
post, a role they hold, a (shift, role) the post needs that day (and, outside ``assume`` mode,
not on their days off). Hard rules (the same as ``bastion.duty.check``):

- demand: exactly ``count`` people for each (day, post, shift, role) of ``demand_on(day)``;
- one_shift_a_day; day_off; pinned;
- min_rest_hours: two shifts whose gap (start of the later minus end of the earlier, across
  midnight and days, wall-clock) is shorter than the rule are never both worked;
- max_consecutive_nights / max_consecutive_days: every window of n + 1 days holds at most n;
- max_nights_per_week / min_days_off_per_week: each full 7-day block from ``start``.
A day is worked when a shift *starts* on it; a night is a shift ending the next day.

Objective (minimised), lexicographic through weights: cells of ``previous`` changed, then
fairness (the spread max - min of shift counts in each group of people of one post with the
same roles, summed), then preferences (``preference_weight`` per preferred day off worked or
preferred day on not worked).

``assume=True`` guards each rule (and each post's demand on each day) with its own literal, so
that ``explain`` can ask CP-SAT which of them cannot hold together. ``tricks`` adds what the
plain model lacks: symmetry breaking between interchangeable people (same roles, days off and
preferences, nothing pinned or previous: their counts are ordered) and redundant bounds tying
each group's max and min to its total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from itertools import pairwise

from ortools.sat.python import cp_model

from bastion.duty.solver.problem import Problem

RULES = ("one_shift_a_day", "day_off", "pinned", "min_rest_hours", "max_consecutive_nights",
         "max_nights_per_week", "max_consecutive_days", "min_days_off_per_week")


def rest_pairs(problem: Problem) -> list[tuple[str, int, str]]:
    """(earlier shift, days later, later shift) that leave less than the minimum rest."""
    rest_min = problem.rules.min_rest_hours * 60
    longest = max(s.minutes for s in problem.shifts)
    pairs = []
    for k in range(1, int((longest + rest_min) // 1440) + 2):
        for a in problem.shifts:
            for b in problem.shifts:
                gap = k * 1440 + b.start_min - (a.start_min + a.minutes)
                if gap < rest_min:
                    pairs.append((a.code, k, b.code))
    return pairs


class Built:
    def __init__(self, problem: Problem, posts: Iterable[str], *, tricks: bool = True,
                 assume: bool = False, objective: bool = True) -> None:
        self.problem = problem
        self.posts = set(posts)
        self.assume = assume
        self.model = m = cp_model.CpModel()
        self.lits: dict[tuple, cp_model.IntVar] = {}
        self.people = [p for p in problem.people if p.post in self.posts]
        self.days = problem.dates()
        index = {d: i for i, d in enumerate(self.days)}
        self.index = index
        nights = {s.code for s in problem.shifts if s.night}
        pinned = {(c.person, index[c.date], c.shift, c.role) for c in problem.pins
                  if c.post in self.posts and c.date in index}
        demand = [[row for row in problem.demand_on(d) if row.post in self.posts and row.count]
                  for d in self.days]
        self.x: dict[tuple[str, int, str, str], cp_model.IntVar] = {}
        by_day: dict[tuple[str, int], list] = defaultdict(list)      # work that day
        by_shift: dict[tuple[str, int, str], list] = defaultdict(list)
        by_night: dict[tuple[str, int], list] = defaultdict(list)
        for p in self.people:
            roles = set(p.roles)
            for di, day in enumerate(self.days):
                off = day in p.off
                for row in demand[di]:
                    key = (p.id, di, row.shift, row.role)
                    if row.post != p.post or row.role not in roles:
                        continue
                    if off and not assume and key not in pinned:
                        continue
                    var = m.NewBoolVar(f"x_{p.id}_{di}_{row.shift}_{row.role}")
                    self.x[key] = var
                    by_day[p.id, di].append(var)
                    by_shift[p.id, di, row.shift].append(var)
                    if row.shift in nights:
                        by_night[p.id, di].append(var)
                    if off:
                        self._add(m.Add(var == 0), ("day_off",))

        # demand: exactly count, per day and post (one literal per post and day in assume mode)
        for di, rows in enumerate(demand):
            for row in rows:
                cell = [self.x[k] for k in ((p.id, di, row.shift, row.role)
                                            for p in self.people if p.post == row.post)
                        if k in self.x]
                self._add(m.Add(sum(cell, m.NewConstant(0)) == row.count),
                          ("demand", row.post, di))
        for key in pinned:
            var = self.x.get(key)
            if var is None:  # explain.precheck names it; here it simply cannot hold
                self._add(m.AddBoolOr([]), ("pinned",))
            else:
                self._add(m.Add(var == 1), ("pinned",))

        rules = problem.rules
        n_days = len(self.days)
        pairs = rest_pairs(problem)
        for p in self.people:
            pid = p.id
            for di in range(n_days):
                if len(by_day[pid, di]) > 1:
                    self._add(m.Add(sum(by_day[pid, di]) <= 1), ("one_shift_a_day",))
                for a, k, b in pairs:
                    first, later = by_shift.get((pid, di, a)), by_shift.get((pid, di + k, b))
                    if first and later:
                        self._add(m.Add(sum(first) + sum(later) <= 1), ("min_rest_hours",))
            self._windows(by_night, pid, rules.max_consecutive_nights, "max_consecutive_nights")
            self._windows(by_day, pid, rules.max_consecutive_days, "max_consecutive_days")
            for week in problem.weeks():
                dis = [index[d] for d in week]
                nights_w = [v for di in dis for v in by_night[pid, di]]
                if len(nights_w) > rules.max_nights_per_week:
                    self._add(m.Add(sum(nights_w) <= rules.max_nights_per_week),
                              ("max_nights_per_week",))
                work_w = [v for di in dis for v in by_day[pid, di]]
                if len(work_w) > 7 - rules.min_days_off_per_week:
                    self._add(m.Add(sum(work_w) <= 7 - rules.min_days_off_per_week),
                              ("min_days_off_per_week",))
        self.by_day = by_day
        if objective:
            self._objective(tricks)

    def _add(self, ct: cp_model.Constraint, key: tuple) -> None:
        if not self.assume:
            return
        if key[0] != "demand":
            key = (key[0],)
        lit = self.lits.get(key)
        if lit is None:
            lit = self.lits[key] = self.model.NewBoolVar("_".join(map(str, key)))
        ct.OnlyEnforceIf(lit)

    def _windows(self, by: dict, pid: str, limit: int, rule: str) -> None:
        span = limit + 1
        for start in range(len(self.days) - span + 1):
            window = [v for di in range(start, start + span) for v in by[pid, di]]
            if len(window) > limit:
                self._add(self.model.Add(sum(window) <= limit), (rule,))

    def _objective(self, tricks: bool) -> None:
        m, problem = self.model, self.problem
        n_days = len(self.days)
        self.total = {}
        for p in self.people:
            self.total[p.id] = t = m.NewIntVar(0, n_days, f"total_{p.id}")
            m.Add(t == sum((v for di in range(n_days) for v in self.by_day[p.id, di]),
                           m.NewConstant(0)))
        groups: dict[tuple, list] = defaultdict(list)
        for p in self.people:
            groups[p.post, tuple(sorted(p.roles))].append(p)
        self.spreads = []
        fixed = {c.person for c in problem.pins} | {c.person for c in problem.previous}
        for members in groups.values():
            if len(members) < 2:
                continue
            totals = [self.total[p.id] for p in members]
            hi, lo = m.NewIntVar(0, n_days, ""), m.NewIntVar(0, n_days, "")
            m.AddMaxEquality(hi, totals)
            m.AddMinEquality(lo, totals)
            self.spreads.append((hi, lo))
            if tricks:
                n = len(members)
                m.Add(n * hi >= sum(totals))
                m.Add(n * lo <= sum(totals))
                alike: dict[tuple, list] = defaultdict(list)
                for p in members:
                    if p.id not in fixed:
                        alike[p.off, p.prefer_off, p.prefer_on].append(self.total[p.id])
                for same in alike.values():
                    for a, b in pairwise(same):
                        m.Add(a >= b)
        pref = []
        for p in self.people:
            for day in p.prefer_off:
                pref.extend(self.by_day[p.id, self.index[day]])
            for day in p.prefer_on:
                work = self.by_day[p.id, self.index[day]]
                if work:
                    pref.append(1 - sum(work))
                else:
                    pref.append(1)
        weight = problem.rules.preference_weight
        self.pref_max = weight * len(pref)
        self.pref_expr = sum(pref, m.NewConstant(0))
        prev = [c for c in problem.previous if c.post in self.posts and c.date in self.index]
        kept = [self.x[k] for k in ((c.person, self.index[c.date], c.shift, c.role) for c in prev)
                if k in self.x]
        self.changes_expr = len(prev) - sum(kept, m.NewConstant(0))
        self.spread_expr = sum((hi - lo for hi, lo in self.spreads), m.NewConstant(0))
        self.scale = self.pref_max + 1                              # spread over preferences
        self.change_weight = self.scale * n_days * max(1, len(self.spreads)) + self.pref_max + 1
        self.has_previous = bool(prev)
        objective = self.scale * self.spread_expr + weight * self.pref_expr
        if prev:
            objective = self.change_weight * self.changes_expr + objective
            keep = {(c.person, self.index[c.date], c.shift, c.role) for c in prev}
            for key, var in self.x.items():
                m.AddHint(var, key in keep)
        m.Minimize(objective)

    def spread_bound(self, bound: float) -> float | None:
        """A lower bound on the spread from the solver's objective bound (None when the
        changes term comes first)."""
        if self.has_previous:
            return None
        return max(0.0, float(-(-(bound - (self.scale - 1)) // self.scale)))

    def cells_of(self, solver: cp_model.CpSolver) -> list[tuple[str, int, str, str]]:
        return [k for k, v in self.x.items() if solver.BooleanValue(v)]

    def post_of(self, person_id: str) -> str:
        return next(p.post for p in self.people if p.id == person_id)

    def day(self, di: int) -> date:
        return self.days[di]
