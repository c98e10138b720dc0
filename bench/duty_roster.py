"""Benchmark: a month of duty for 40 people at 4 posts (issue 13 item 9).

SYNTHETIC data (seeded, ``month()`` below; written to bench/data/duty_roster.json by
``--write``): 28 days from Monday 2026-04-27, so the May Day holidays (1-5 May, rest days) and
an adjusted working day (Saturday 9 May) fall in it — dates chosen for the benchmark, not
quoted from the State Council notice. Four posts of 9, 10, 10 and 11 people (40); the first
3 or 4 of each post hold duty_leader and duty_officer, the rest duty_officer. Day shift
08:00-20:00, night shift 20:00-08:00. Demand per post: day shift 1 leader + 3 officers on
working days, 1 + 2 on rest days; night shift 1 leader + 1 officer. Rules: at least 12 h rest,
at most 3 nights in a row, 3 nights per 7-day block, 5 working days in a row, 2 days off per
7-day block. About one person in three has 1-3 requested days off, one in four a preferred day
off.

Measured in the same run, same time limit, same workers:
- ours: ``bastion.duty.solver.solve`` — counting prechecks, one CP-SAT model per post (posts
  share no person), symmetry breaking between interchangeable people, redundant group bounds;
- plain: the same rules as one CP-SAT model for all posts, no decomposition, no tricks
  (``solve(problem, decompose=False, tricks=False)``: the same constraint builder).
For each: time to the first valid plan, time to the final one, the spread achieved (sum over
groups of max - min shift count), the best bound on it, and every rule of the final plan
validated by the independent checker ``bastion.duty.check.violations`` (written apart from the
solver). Target: a valid plan in under 60 s.

Numbers on this machine (2 cores shared with four other sessions' work, workers=2, 60 s):
  seed 13 (the default):
    ours   optimal   first plan 1.4 s, optimal (spread 1, bound 1) proven at 19.0 s
    plain  optimal   first plan 1.4 s, optimal (spread 1, bound 1) proven at 38.4 s   (2.0x)
  seed 7:
    ours   optimal   first plan 1.3 s, optimal (spread 1, bound 1) proven at 17.3 s
    plain  feasible  first plan 1.4 s, spread 2 at 10.0 s, bound 0 at the 60 s limit (>3.5x)
  Both plans of both runs: 0 violations from the checker (632 duties). Earlier runs, before
  the descent (plain per-post optimisation), varied from optimal in 28 s to spread 2 after
  60 s on the same month: the gain is the proof, not the first plan, which both models find
  in about a second (this month is easy to staff, hard to make perfectly fair).

Run: .venv/bin/python bench/duty_roster.py [--limit SECONDS] [--workers N] [--seed N] [--write]
(exit 1 when the target is not met). The same month through the command line:
    bastion duty solve bench/data/duty_roster.json --out /tmp/PLAN.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bastion.duty.check import violations
from bastion.duty.solver import parse_problem, solve

TARGET_S = 60.0
START = date(2026, 4, 27)
DATA = ROOT / "bench" / "data" / "duty_roster.json"


def month(seed: int = 13, limit: float = 60.0, workers: int = 2) -> dict:
    """The benchmark's PROBLEM.json (SYNTHETIC)."""
    rnd = random.Random(seed)
    days = 28
    people = []
    for k, (size, leaders) in enumerate(((9, 3), (10, 4), (10, 3), (11, 4))):
        post = f"POST{k + 1}"
        for i in range(size):
            roles = ["duty_leader", "duty_officer"] if i < leaders else ["duty_officer"]
            person = {"id": f"{post}-{i + 1:02d}", "name": f"Person {k + 1}.{i + 1} (SYNTHETIC)",
                      "post": post, "roles": roles}
            if rnd.random() < 0.35:
                person["off"] = sorted({(START + timedelta(days=rnd.randrange(days))).isoformat()
                                        for _ in range(rnd.randint(1, 3))})
            if rnd.random() < 0.25:
                wish = (START + timedelta(days=rnd.randrange(days))).isoformat()
                if wish not in person.get("off", []):
                    person["prefer_off"] = [wish]
            people.append(person)
    demand = []
    for k in range(4):
        post = f"POST{k + 1}"
        demand += [
            {"post": post, "shift": "D", "role": "duty_leader", "count": 1},
            {"post": post, "shift": "D", "role": "duty_officer", "count": 3,
             "day_kind": "workday"},
            {"post": post, "shift": "D", "role": "duty_officer", "count": 2, "day_kind": "rest"},
            {"post": post, "shift": "N", "role": "duty_leader", "count": 1},
            {"post": post, "shift": "N", "role": "duty_officer", "count": 1},
        ]
    return {
        "start": START.isoformat(), "days": days,
        "shifts": [{"code": "D", "start": "08:00", "end": "20:00"},
                   {"code": "N", "start": "20:00", "end": "08:00"}],
        "people": people, "demand": demand,
        "rules": {"min_rest_hours": 12, "max_consecutive_nights": 3, "max_nights_per_week": 3,
                  "max_consecutive_days": 5, "min_days_off_per_week": 2,
                  "preference_weight": 1},
        "holidays": [(date(2026, 5, 1) + timedelta(days=i)).isoformat() for i in range(5)],
        "workdays": ["2026-05-09"],
        "time_limit_s": limit, "workers": workers,
    }


def run(name: str, problem, **options) -> dict:
    stats: dict = {}
    trace: list[tuple[float, str]] = []
    started = time.monotonic()
    plan = solve(problem, progress=lambda f, note: trace.append((time.monotonic() - started,
                                                                 note)), stats=stats, **options)
    broken = violations(problem, plan.assignments) if plan.ok else None
    first = stats.get("first_s")
    print(f"{name:6s} status={plan.status:10s} first plan={_s(first)} "
          f"best plan={_s(stats.get('best_s'))} final={plan.wall_s:6.1f} s"
          f"  spread={plan.spread}  bound={plan.bound}  duties={len(plan.assignments)}"
          f"  checker violations={'-' if broken is None else len(broken)}")
    for post in stats.get("posts", []):
        print(f"         {','.join(post['posts']):24s} {post['status']:9s} "
              f"first={_s(post['first_s'])} wall={post['wall_s']:5.1f} s "
              f"solutions={post['solutions']} variables={post['variables']}")
    for violation in (broken or [])[:5]:
        print(f"         violation: {violation.text()}")
    return {"plan": plan, "first_s": first, "best_s": stats.get("best_s"), "violations": broken}


def _s(seconds: float | None) -> str:
    return "   none" if seconds is None else f"{seconds:6.1f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=TARGET_S, help="seconds per solver")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13, help="of the SYNTHETIC month")
    parser.add_argument("--write", action="store_true", help=f"write {DATA.relative_to(ROOT)}")
    args = parser.parse_args()
    document = month(seed=args.seed, limit=args.limit, workers=args.workers)
    if args.write:
        DATA.parent.mkdir(exist_ok=True)
        DATA.write_text(json.dumps(document, indent=1) + "\n", "utf-8")
    problem = parse_problem(document)
    print(f"{len(problem.people)} people, {len({p.post for p in problem.people})} posts, "
          f"{problem.days} days, limit {args.limit:g} s, workers {args.workers}")
    ours = run("ours", problem)
    plain = run("plain", problem, decompose=False, tricks=False)
    if ours["first_s"] and plain["first_s"]:
        print(f"first valid plan: ours {ours['first_s']:.1f} s, plain {plain['first_s']:.1f} s "
              f"(plain/ours = {plain['first_s'] / ours['first_s']:.1f}x)")
    if ours["best_s"] and plain["best_s"]:
        print(f"time to its best plan: ours {ours['best_s']:.1f} s, plain {plain['best_s']:.1f} s;"
              f" time to final (optimal proven or limit): ours {ours['plan'].wall_s:.1f} s, "
              f"plain {plain['plan'].wall_s:.1f} s (plain/ours = "
              f"{plain['plan'].wall_s / ours['plan'].wall_s:.1f}x)")
    best = min(p["plan"].spread for p in (ours, plain) if p["plan"].spread is not None)
    bound = max((p["plan"].bound or 0.0) for p in (ours, plain))
    for name, result in (("ours", ours), ("plain", plain)):
        spread = result["plan"].spread
        if spread is not None:
            print(f"{name}: spread {spread}, {spread - best} above the best found ({best}), "
                  f"{spread - bound:g} above the best bound ({bound:g})")
    ok = (ours["plan"].ok and ours["violations"] == [] and ours["first_s"] is not None
          and ours["first_s"] < TARGET_S)
    print("target (valid plan under 60 s):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
