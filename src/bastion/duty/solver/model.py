"""``solve``: count first, then CP-SAT post by post.

A person works only at their own post, so the posts share no variable and no rule: the roster
is one small model per post (``build.Built``), solved one after another, each given its share
of the time left (what an early post does not use passes to the next). The objective is a sum
over groups inside one post, so the sum of the posts' optima is the optimum of the whole.
``decompose=False, tricks=False`` gives the plain model (one model for every post, no symmetry
breaking, no redundant bounds) that ``bench/duty_roster.py`` compares with.

Infeasible: ``explain.precheck`` (counting) before any search; a post CP-SAT proves infeasible
is explained by ``explain.core`` (assumptions). Out of time with no plan for a post: status
``unknown``. Progress is reported from a solution callback: the fraction of the time limit used
and a note ``post P1 (1/4): solution 3, spread 2``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from bastion.duty.solver import explain
from bastion.duty.solver.build import Built
from bastion.duty.solver.plan import Plan, Reason
from bastion.duty.solver.problem import Cell, Problem

Progress = Callable[[float, str], None]
EXPLAIN_SHARE = 0.5  # of the time left, at most, to name the rules of an infeasible post


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, built: Built, progress: Progress | None, label: str,
                 started: float, limit: float) -> None:
        super().__init__()
        self.built, self.progress, self.label = built, progress, label
        self.started, self.limit = started, limit
        self.solutions = 0
        self.first_s: float | None = None

    def on_solution_callback(self) -> None:
        self.solutions += 1
        now = time.monotonic() - self.started
        if self.first_s is None:
            self.first_s = now
        if self.progress is not None:
            spread = sum(self.Value(hi) - self.Value(lo) for hi, lo in self.built.spreads)
            note = f"{self.label}: solution {self.solutions}, spread {spread}"
            self.progress(min(0.99, now / self.limit), note)


def solve(problem: Problem, *, progress: Progress | None = None, decompose: bool = True,
          tricks: bool = True, stats: dict | None = None) -> Plan:
    """A plan for ``problem`` within ``problem.time_limit_s`` on ``problem.workers`` workers.

    ``stats`` (optional) receives ``first_s`` (seconds to the first complete plan, when each
    post has one) and per-post details, for the benchmark.
    """
    started = time.monotonic()
    limit = float(problem.time_limit_s)
    stats = stats if stats is not None else {}
    reasons = explain.precheck(problem)
    if reasons:
        _tell(progress, 1.0, "infeasible (counting)")
        return Plan("infeasible", explanation=reasons, wall_s=time.monotonic() - started)

    posts = problem.posts()
    groups = [[post] for post in posts] if decompose else [posts]
    cells: list[Cell] = []
    statuses: list[str] = []
    explanation: list[Reason] = []
    spread = changes = 0
    bound: float | None = 0.0
    first_s = 0.0
    stats["posts"] = []
    for i, group in enumerate(groups):
        left = limit - (time.monotonic() - started)
        budget = max(0.05, left / (len(groups) - i))
        label = f"post {', '.join(group)} ({i + 1}/{len(groups)})" if decompose else "all posts"
        built = Built(problem, group, tricks=tricks)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = budget
        solver.parameters.num_workers = max(1, problem.workers)
        if "infeasible" in statuses:  # only whether this post can be staffed at all
            solver.parameters.stop_after_first_solution = True
        callback = _Callback(built, progress, label, started, limit)
        t0 = time.monotonic()
        code = solver.Solve(built.model, callback)
        status = _STATUS.get(code, "unknown")
        if code == cp_model.MODEL_INVALID:  # a bug, not the user's problem
            raise RuntimeError(f"CP-SAT model invalid: {built.model.Validate()}")
        statuses.append(status)
        stats["posts"].append({"posts": group, "status": status, "wall_s": time.monotonic() - t0,
                               "first_s": callback.first_s, "solutions": callback.solutions,
                               "variables": len(built.x)})
        if callback.first_s is not None:
            first_s = callback.first_s
        if status in ("optimal", "feasible"):
            cells += [Cell(built.day(di), code_, built.post_of(pid), role, pid)
                      for pid, di, code_, role in built.cells_of(solver)]
            spread += int(solver.Value(built.spread_expr))
            changes += int(solver.Value(built.changes_expr))
            post_bound = built.spread_bound(solver.BestObjectiveBound())
            bound = None if bound is None or post_bound is None else bound + post_bound
        elif status == "infeasible":
            share = EXPLAIN_SHARE * (limit - (time.monotonic() - started))
            explanation += explain.core(problem, group[0], share) if decompose else \
                _explain_all(problem, share)
        else:
            explanation.append(Reason(explain.NO_PLAN_IN_TIME,
                                      {"post": ", ".join(group), "seconds": round(budget, 1)}))
    wall = time.monotonic() - started
    stats["first_s"] = first_s if all(s in ("optimal", "feasible") for s in statuses) else None
    if "infeasible" in statuses:
        _tell(progress, 1.0, "infeasible")
        return Plan("infeasible", explanation=explanation, wall_s=wall)
    if "unknown" in statuses:
        _tell(progress, 1.0, "no plan in time")
        return Plan("unknown", explanation=explanation, wall_s=wall)
    status = "optimal" if all(s == "optimal" for s in statuses) else "feasible"
    _tell(progress, 1.0, f"{status}, spread {spread}")
    return Plan(status, assignments=sorted(cells), spread=spread, bound=bound,
                changes=changes if problem.previous else None, wall_s=wall)


def _explain_all(problem: Problem, budget_s: float) -> list[Reason]:
    out: list[Reason] = []
    posts = problem.posts()
    for i, post in enumerate(posts):
        out += [r for r in explain.core(problem, post, budget_s / len(posts))
                if r.message != explain.UNKNOWN_CAUSE or i == len(posts) - 1 and not out]
    return out


def _tell(progress: Progress | None, fraction: float, note: str) -> None:
    if progress is not None:
        progress(fraction, note)


_STATUS = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
           cp_model.INFEASIBLE: "infeasible", cp_model.UNKNOWN: "unknown"}

