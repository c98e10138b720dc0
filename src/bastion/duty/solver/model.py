"""``solve``: count first, then CP-SAT post by post.

A person works only at their own post, so the posts share no variable and no rule: the roster
is one small model per post (``build.Built``), solved one after another, each given its share
of the time left (what an early post does not use passes to the next). The objective is a sum
over groups inside one post, so the sum of the posts' optima is the optimum of the whole.
``decompose=False, tricks=False`` gives the plain model (one model for every post, no symmetry
breaking, no redundant bounds) that ``bench/duty_roster.py`` compares with.

Infeasible: ``explain.precheck`` (counting) before any search; a post CP-SAT proves infeasible
is explained by ``explain.core`` (assumptions). Out of time with no plan for a post: status
``unknown``. Naming the rules of an infeasible post takes at most half the time left, and at
least a second, so an infeasible answer may come a little after the limit. Progress is reported from a solution callback: the fraction of the time limit used
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
        self.last_s: float | None = None

    def on_solution_callback(self) -> None:
        self.solutions += 1
        now = time.monotonic() - self.started
        if self.first_s is None:
            self.first_s = now
        self.last_s = now
        if self.progress is not None:
            spread = sum(self.Value(hi) - self.Value(lo) for hi, lo in self.built.spreads)
            note = f"{self.label}: solution {self.solutions}, spread {spread}"
            self.progress(min(0.99, now / self.limit), note)


def solve(problem: Problem, *, progress: Progress | None = None, decompose: bool = True,
          tricks: bool = True, staged: bool | None = None, stats: dict | None = None) -> Plan:
    """A plan for ``problem`` within ``problem.time_limit_s`` on ``problem.workers`` workers.

    ``staged`` (default: as ``tricks``): first a plan for every post, each search stopping at
    its first solution, then the time left to improve each post from there (hinted with it).
    ``stats`` (optional) receives ``first_s`` (seconds to the first complete plan) and per-post
    details, for the benchmark.
    """
    started = time.monotonic()
    limit = float(problem.time_limit_s)
    staged = tricks if staged is None else staged
    stats = stats if stats is not None else {}
    stats["posts"], stats["first_s"] = [], None
    reasons = explain.precheck(problem)
    if reasons:
        _tell(progress, 1.0, "infeasible (counting)")
        return Plan("infeasible", explanation=reasons, wall_s=time.monotonic() - started)

    posts = problem.posts()
    groups = [[post] for post in posts] if decompose else [posts]
    runs = [_Run(problem, group, tricks, f"post {', '.join(group)} ({i + 1}/{len(groups)})"
                 if decompose else "all posts") for i, group in enumerate(groups)]
    stats["posts"] = [r.stats for r in runs]

    def left() -> float:
        return limit - (time.monotonic() - started)

    stages = (True, False) if staged else (False,)
    for stage, first_only in enumerate(stages):
        if stage and any(r.cells is None for r in runs):
            break  # a post without a plan: nothing to improve
        todo = [r for r in runs if r.status not in ("optimal", "infeasible")]
        passes = 0
        while todo and (passes == 0 or (not first_only and left() > 0.25 * len(todo))):
            passes += 1  # time a post leaves unused goes to those still open, pass by pass
            for i, run in enumerate(todo):
                if any(r.status == "infeasible" for r in runs):
                    first_only = True  # only whether the others can be staffed at all
                run.solve(max(0.05, left() / (len(todo) - i)), first_only, progress, started,
                          limit)
            todo = [r for r in todo if r.status == "feasible" and r.tricks]
        if all(r.cells is not None for r in runs) and stats["first_s"] is None:
            stats["first_s"] = (time.monotonic() - started if first_only
                                else max(r.first_s or 0.0 for r in runs))
    explanation: list[Reason] = []
    for run in runs:
        if run.status == "infeasible":
            share = EXPLAIN_SHARE * max(1.0, left())
            explanation += explain.core(problem, run.group[0], share) if decompose else \
                _explain_all(problem, share)
        elif run.status == "unknown" and run.cells is None:
            explanation.append(Reason(explain.NO_PLAN_IN_TIME,
                                      {"post": ", ".join(run.group), "seconds": round(limit, 1)}))
    wall = time.monotonic() - started
    if any(r.status == "infeasible" for r in runs):
        _tell(progress, 1.0, "infeasible")
        return Plan("infeasible", explanation=explanation, wall_s=wall)
    if any(r.cells is None for r in runs):
        _tell(progress, 1.0, "no plan in time")
        return Plan("unknown", explanation=explanation, wall_s=wall)
    status = "optimal" if all(r.status == "optimal" for r in runs) else "feasible"
    stats["best_s"] = max(r.stats.get("best_s") or 0.0 for r in runs)
    spread = sum(r.spread for r in runs)
    bounds = [r.bound for r in runs]
    bound = None if None in bounds else float(sum(bounds))
    _tell(progress, 1.0, f"{status}, spread {spread}")
    return Plan(status, assignments=sorted(c for r in runs for c in r.cells), spread=spread,
                bound=bound, changes=sum(r.changes for r in runs) if problem.previous else None,
                wall_s=wall)


class _Run:
    """One model (a post, or all of them) and the best plan found for it so far."""

    def __init__(self, problem: Problem, group: list[str], tricks: bool, label: str) -> None:
        self.problem, self.group, self.label, self.tricks = problem, group, label, tricks
        self.built = Built(problem, group, tricks=tricks)
        self.status = "unknown"
        self.cells: list[Cell] | None = None
        self.values: dict = {}
        self.spread = self.changes = 0
        self.bound: float | None = 0.0
        self.first_s: float | None = None
        self.lower = 0  # proven lower bound on the spread (descent)
        self.stats = {"posts": group, "status": "unknown", "wall_s": 0.0, "first_s": None,
                      "solutions": 0, "variables": len(self.built.x)}

    def solve(self, budget: float, first_only: bool, progress: Progress | None,
              started: float, limit: float) -> None:
        self.clock = (progress, started, limit)
        built = self.built
        if self.values and self.tricks and not built.has_previous:
            self._descend(budget)
            return
        if self.values:  # improve from the plan found in the first stage
            built.model.ClearHints()
            for key, var in built.x.items():
                built.model.AddHint(var, self.values[key])
        code, solver = self._run(built, budget, first_only)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self._take(built, solver)
            optimal = code == cp_model.OPTIMAL and not first_only
            self.status = "optimal" if optimal else "feasible"
            if optimal:
                self.bound = float(self.spread)
            elif first_only:
                self.bound = None if built.has_previous else 0.0
            else:
                self.bound = built.spread_bound(solver.BestObjectiveBound())
        elif code == cp_model.INFEASIBLE:
            self.status = "infeasible"
        self.stats["status"] = self.status

    def _descend(self, budget: float) -> None:
        """Fairness by descent: ask for a plan of spread at most (best - 1), a feasibility
        question CP-SAT answers far faster than it closes the optimisation gap, until it is
        proven impossible (the best is optimal) or time runs out; then the preferences,
        keeping that spread."""
        end = time.monotonic() + budget
        lower = self.lower
        while self.spread > lower and end - time.monotonic() > 0.05:
            trial = Built(self.problem, self.group, tricks=True, objective=True)
            trial.model.Add(trial.spread_expr <= self.spread - 1)
            trial.model.ClearObjective()
            code, solver = self._run(trial, end - time.monotonic(), False)
            if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                self._take(trial, solver)
            elif code == cp_model.INFEASIBLE:
                lower = self.lower = self.spread
            else:
                break
        self.bound = float(lower)
        self.status = "feasible"
        if self.spread == lower:
            if self.built.pref_max == 0:
                self.status = "optimal"
            elif end - time.monotonic() > 0.05:
                trial = Built(self.problem, self.group, tricks=True, objective=True)
                trial.model.Add(trial.spread_expr <= self.spread)
                trial.model.Minimize(trial.pref_expr)
                for key, var in trial.x.items():
                    trial.model.AddHint(var, self.values[key])
                code, solver = self._run(trial, end - time.monotonic(), False)
                if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    self._take(trial, solver)
                    self.status = "optimal" if code == cp_model.OPTIMAL else "feasible"
        self.stats["status"] = self.status

    def _run(self, built: Built, budget: float, first_only: bool):
        progress, started, limit = self.clock
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, budget)
        solver.parameters.num_workers = max(1, built.problem.workers)
        solver.parameters.stop_after_first_solution = first_only
        callback = _Callback(built, progress, self.label, started, limit)
        t0 = time.monotonic()
        code = solver.Solve(built.model, callback)
        if code == cp_model.MODEL_INVALID:  # a bug, not the user's problem
            raise RuntimeError(f"CP-SAT model invalid: {built.model.Validate()}")
        self.stats["wall_s"] += time.monotonic() - t0
        self.stats["solutions"] += callback.solutions
        if self.first_s is None and callback.first_s is not None:
            self.first_s = self.stats["first_s"] = callback.first_s
        if callback.last_s is not None:
            self.stats["best_s"] = callback.last_s
        return code, solver

    def _take(self, built: Built, solver: cp_model.CpSolver) -> None:
        self.values = {k: solver.BooleanValue(v) for k, v in built.x.items()}
        self.cells = [Cell(built.day(di), shift, built.post_of(pid), role, pid)
                      for (pid, di, shift, role), on in self.values.items() if on]
        self.spread = int(solver.Value(built.spread_expr))
        self.changes = int(solver.Value(built.changes_expr))


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

