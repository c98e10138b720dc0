"""Why a month cannot be staffed, in words: which post, day, role or rule.

Two steps. ``precheck`` counts before any search: demand at a post nobody works at or for a role
nobody there holds; a day whose demand for a set of roles exceeds the people holding them who
are not off (Hall's condition over role sets, so leaders standing in as officers count); a week
needing more nights or shifts than the people may work under the weekly and consecutive caps;
pins that break a rule on their own. When counting finds nothing, ``core`` asks CP-SAT: each
rule and each (post, day) demand is guarded by an assumption literal, and the sufficient set of
assumptions for infeasibility, shrunk by deletion, names the days and rules that cannot hold
together.

Messages are English msgids (``lazy`` marks them for ``scripts/i18n.py extract``) with
``%(name)s`` parameters; ``Reason.text(gettext)`` translates them.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from itertools import combinations

from bastion.core.i18n import lazy
from bastion.duty.solver.plan import Reason
from bastion.duty.solver.problem import Problem

NO_PEOPLE = lazy("Post %(post)s needs %(count)s %(role)s on shift %(shift)s but no one works "
                 "at that post.")
NO_ROLE = lazy("Post %(post)s needs %(count)s %(role)s on shift %(shift)s but no one there "
               "holds that role.")
DAY_SHORT = lazy("On %(date)s post %(post)s needs %(needed)s people as %(roles)s but only "
                 "%(available)s who hold those roles are not off that day.")
NIGHTS_SHORT = lazy("In the 7 days from %(start)s post %(post)s needs %(needed)s night shifts "
                    "as %(roles)s but the %(people)s people who hold those roles may work at "
                    "most %(available)s nights in all under the rules.")
WEEK_SHORT = lazy("In the 7 days from %(start)s post %(post)s needs %(needed)s shifts as "
                  "%(roles)s but the %(people)s people who hold those roles may work at most "
                  "%(available)s shifts in all (days off, days off a week, days in a row).")
PIN_POST = lazy("%(person)s is pinned at post %(post)s on %(date)s but works at post "
                "%(own_post)s.")
PIN_ROLE = lazy("%(person)s is pinned as %(role)s on %(date)s but does not hold that role.")
PIN_OFF = lazy("%(person)s is pinned on %(date)s, a requested day off.")
PIN_DEMAND = lazy("%(pinned)s people are pinned as %(role)s on shift %(shift)s at post "
                  "%(post)s on %(date)s but %(count)s are needed.")
PIN_UNKNOWN = lazy("A duty of %(person)s on %(date)s (%(shift)s) is pinned but that person, "
                   "shift or day is not in this roster.")
PIN_TWICE = lazy("%(person)s is pinned to more than one shift on %(date)s.")
CORE = lazy("Post %(post)s cannot be staffed on %(dates)s: the demand of those days and the "
            "rules below cannot all be met together.")
CORE_DEMAND = lazy("Post %(post)s cannot meet its demand on %(dates)s with its people.")
UNKNOWN_CAUSE = lazy("Post %(post)s cannot be staffed under the rules; no single cause was "
                     "found in the time given.")
NO_PLAN_IN_TIME = lazy("No plan for post %(post)s was found within %(seconds)s seconds.")
RULE_TEXT = {
    "one_shift_a_day": lazy("Rule: at most one shift a day."),
    "day_off": lazy("Rule: no shift on a requested day off."),
    "pinned": lazy("Rule: the pinned duties stay as they are."),
    "min_rest_hours": lazy("Rule: at least %(n)s hours of rest between the end of one shift "
                           "and the start of the next."),
    "max_consecutive_nights": lazy("Rule: at most %(n)s nights in a row."),
    "max_nights_per_week": lazy("Rule: at most %(n)s nights in each 7-day block."),
    "max_consecutive_days": lazy("Rule: at most %(n)s working days in a row."),
    "min_days_off_per_week": lazy("Rule: at least %(n)s days off in each 7-day block."),
}
RULE_PARAMS = {"min_rest_hours": "min_rest_hours", "max_consecutive_nights":
               "max_consecutive_nights", "max_nights_per_week": "max_nights_per_week",
               "max_consecutive_days": "max_consecutive_days",
               "min_days_off_per_week": "min_days_off_per_week"}
MAX_ROLE_SETS = 10  # Hall's condition over at most 2**10 role subsets per post


def rule_reason(problem: Problem, rule: str) -> Reason:
    params = {}
    if rule in RULE_PARAMS:
        value = getattr(problem.rules, RULE_PARAMS[rule])
        params["n"] = int(value) if float(value).is_integer() else value
    return Reason(RULE_TEXT[rule], params)


def _roles(roles) -> str:
    return " / ".join(sorted(roles))


def precheck(problem: Problem) -> list[Reason]:
    """Reasons found by counting, in the order of the horizon; empty when none is found."""
    reasons: list[Reason] = []
    by_post = defaultdict(list)
    for p in problem.people:
        by_post[p.post].append(p)
    named = {p.id: p.name for p in problem.people}
    said = set()
    for row in problem.demand:
        if not row.count or (row.post, row.shift, row.role) in said:
            continue
        said.add((row.post, row.shift, row.role))
        params = {"post": row.post, "count": row.count, "role": row.role, "shift": row.shift}
        if not by_post[row.post]:
            reasons.append(Reason(NO_PEOPLE, params))
        elif not any(row.role in p.roles for p in by_post[row.post]):
            reasons.append(Reason(NO_ROLE, params))
    if reasons:
        return reasons
    reasons += _pins(problem, named)
    if reasons:
        return reasons
    nights = {s.code for s in problem.shifts if s.night}
    rules = problem.rules
    on_day = {day: problem.demand_on(day) for day in problem.dates()}
    for post, people in by_post.items():
        roles = sorted({r for d in problem.demand if d.post == post for r in [d.role]})
        if len(roles) > MAX_ROLE_SETS:
            continue
        subsets = [set(c) for k in range(1, len(roles) + 1) for c in combinations(roles, k)]
        for subset in subsets:
            holders = [p for p in people if subset & set(p.roles)]
            for day in problem.dates():
                needed = sum(d.count for d in on_day[day]
                             if d.post == post and d.role in subset)
                available = sum(1 for p in holders if day not in p.off)
                if needed > available:
                    reasons.append(Reason(DAY_SHORT, {
                        "date": day.isoformat(), "post": post, "needed": needed,
                        "roles": _roles(subset), "available": available}))
            for week in problem.weeks():
                need_w = need_n = cap_w = cap_n = 0
                for day in week:
                    for d in on_day[day]:
                        if d.post == post and d.role in subset:
                            need_w += d.count
                            need_n += d.count if d.shift in nights else 0
                for p in holders:
                    free = sum(1 for day in week if day not in p.off)
                    work = min(free, 7 - rules.min_days_off_per_week,
                               7 - 7 // (rules.max_consecutive_days + 1))
                    cap_w += work
                    cap_n += min(work, rules.max_nights_per_week,
                                 7 - 7 // (rules.max_consecutive_nights + 1))
                params = {"start": week[0].isoformat(), "post": post, "roles": _roles(subset),
                          "people": len(holders)}
                if need_n > cap_n:
                    reasons.append(Reason(NIGHTS_SHORT, params | {"needed": need_n,
                                                                  "available": cap_n}))
                elif need_w > cap_w:
                    reasons.append(Reason(WEEK_SHORT, params | {"needed": need_w,
                                                                "available": cap_w}))
    return _dedupe(reasons)


def _dedupe(reasons: list[Reason], limit: int = 30) -> list[Reason]:
    """One reason per (post, day or week), the smallest role set first; at most ``limit``."""
    seen, out = set(), []
    for r in sorted(reasons, key=lambda r: (r.params.get("date") or r.params.get("start") or "",
                                           r.params.get("post", ""), len(r.params.get("roles", "")))):
        key = (r.message, r.params.get("post"), r.params.get("date"), r.params.get("start"))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out[:limit]


def _pins(problem: Problem, named: dict[str, str]) -> list[Reason]:
    reasons = []
    people = {p.id: p for p in problem.people}
    per_day = Counter((c.person, c.date) for c in problem.pins)
    per_cell = Counter((c.date, c.post, c.shift, c.role) for c in problem.pins)
    shifts = {s.code for s in problem.shifts}
    for c in problem.pins:
        p = people.get(c.person)
        params = {"person": named.get(c.person, c.person), "date": c.date.isoformat(),
                  "post": c.post, "own_post": p.post if p else "-", "role": c.role,
                  "shift": c.shift}
        if p is None or c.shift not in shifts or not problem.start <= c.date < problem.end:
            reasons.append(Reason(PIN_UNKNOWN, params))
        elif c.post != p.post:
            reasons.append(Reason(PIN_POST, params))
        elif c.role not in p.roles:
            reasons.append(Reason(PIN_ROLE, params))
        elif c.date in p.off:
            reasons.append(Reason(PIN_OFF, params))
        elif per_day[c.person, c.date] > 1:
            reasons.append(Reason(PIN_TWICE, params))
            per_day[c.person, c.date] = 1
    for (day, post, shift, role), pinned in per_cell.items():
        count = next((d.count for d in problem.demand_on(day)
                      if (d.post, d.shift, d.role) == (post, shift, role)), 0)
        if pinned > count:
            reasons.append(Reason(PIN_DEMAND, {"pinned": pinned, "role": role, "shift": shift,
                                               "post": post, "date": day.isoformat(),
                                               "count": count}))
    return reasons


def core(problem: Problem, post: str, budget_s: float) -> list[Reason]:
    """Name the days and rules of ``post`` that cannot hold together (CP-SAT assumptions)."""
    from ortools.sat.python import cp_model

    from bastion.duty.solver.build import Built

    deadline = time.monotonic() + max(1.0, budget_s)
    built = Built(problem, [post], assume=True, objective=False)
    keys = list(built.lits)

    def infeasible(subset: list[tuple]) -> list[tuple] | None:
        """The sufficient subset when ``subset`` cannot hold, None when it can or time ran out."""
        left = deadline - time.monotonic()
        if left <= 0.05:
            return None
        built.model.ClearAssumptions()
        built.model.AddAssumptions([built.lits[k] for k in subset])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = left
        if solver.Solve(built.model) != cp_model.INFEASIBLE:
            return None
        found = set(solver.SufficientAssumptionsForInfeasibility())
        return [k for k in subset if built.lits[k].Index() in found] or subset

    current = infeasible(keys)
    if current is None:
        return [Reason(UNKNOWN_CAUSE, {"post": post})]
    # shrink by deletion: rules first (fewer rules named reads better), then days
    for key in sorted(current, key=lambda k: (k[0] == "demand", k)):
        if key not in current or time.monotonic() > deadline:
            continue
        smaller = infeasible([k for k in current if k != key])
        if smaller is not None:
            current = smaller
    days = sorted(built.day(k[2]) for k in current if k[0] == "demand")
    dates = ", ".join(d.isoformat() for d in days) or "-"
    rules = [k[0] for k in current if k[0] != "demand"]
    if not rules:
        return [Reason(CORE_DEMAND, {"post": post, "dates": dates})]
    return [Reason(CORE, {"post": post, "dates": dates}),
            *(rule_reason(problem, rule) for rule in sorted(rules, key=list(RULE_TEXT).index))]
