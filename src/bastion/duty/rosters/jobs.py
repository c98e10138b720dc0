"""The solver job (``duty-solve`` in the manifest, every ``duty.solve_poll_s``): takes each
queued roster (``core.deadlines.claim``: several workers never take the same one), solves it
with CP-SAT outside any transaction, writes its progress to the row in short transactions of
their own (at most once a second) so the page shows it, then stores the plan (assignments
with UTC times from the local shift times) or why it cannot be staffed.

A roster left ``solving`` by a worker that died is taken again once it is well past the time
limit. A roster over a year the calendar of holidays does not cover is solved all the same
(every day a plain weekday or weekend), and the job says so: a warning in the log, the
progress note and the solved event name the years (``rosters.holidays``)."""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import deadlines
from bastion.core.db import transaction, utcnow
from bastion.duty import solver
from bastion.duty.rosters import holidays, service
from bastion.duty.rosters import problem_of as po
from bastion.duty.rosters.models import Assignment, Roster, RosterStatus, ShiftTemplate
from bastion.duty.solver import Plan, Problem, ProblemErrors

log = logging.getLogger(__name__)
ACTOR = "duty_solver"  # an identifier, not words: the audit page shows it as is
WRITE_EVERY_S = 1.0


def solve_queued(sessions: Any, settings: Any) -> int:
    """Solve every queued roster, one after the other; the number solved (or failed)."""
    done = 0
    while True:
        claimed = _claim(sessions, settings)
        if claimed is None:
            return done
        roster_id, problem, missing = claimed
        done += 1
        if problem is None:
            continue
        try:
            plan = _solve(sessions, roster_id, problem)
        except Exception as exc:  # the roster says it failed; the job goes on with the next
            log.exception("roster %s: the solver failed", roster_id)
            _fail(sessions, roster_id, f"{type(exc).__name__}: {exc}")
            continue
        with transaction(sessions) as session:
            _store(session, roster_id, problem, plan, settings.timezone, missing)


def _no_holidays(missing: list[int]) -> str:
    """The note for years the calendar does not cover (an identifier-like English note, as
    the other progress notes; the page words it from the calendar itself)."""
    return "no holiday calendar for " + ", ".join(str(y) for y in missing) if missing else ""


def _claim(sessions: Any, settings: Any
           ) -> tuple[int, Problem | None, list[int]] | None:
    limit = settings.duty.solve_time_limit_s
    stale = utcnow() - timedelta(seconds=2 * limit + 120)
    with transaction(sessions) as session:
        roster = session.scalar(deadlines.claim(select(Roster).where(or_(
            Roster.status == RosterStatus.QUEUED,
            and_(Roster.status == RosterStatus.SOLVING, Roster.queued_at < stale)))
            .order_by(Roster.queued_at, Roster.id).limit(1)))
        if roster is None:
            return None
        roster.status, roster.progress = RosterStatus.SOLVING, 0.0
        roster.progress_note = "starting"
        roster.queued_at = utcnow()  # the stale clock restarts with this attempt
        has_plan = session.scalar(select(Assignment.id).where(
            Assignment.roster_id == roster.id).limit(1)) is not None
        try:
            problem = po.problem_of(session, roster, time_limit_s=limit,
                                    workers=settings.duty.solve_workers, previous=has_plan)
        except ProblemErrors as exc:
            _failed(session, roster, "; ".join(exc.lines())[:200])
            return roster.id, None, []
        missing = holidays.years_without(session, roster.start, roster.days)
        if missing:
            log.warning("roster %s: %s; every day is taken as a plain weekday or weekend",
                        roster.id, _no_holidays(missing))
            roster.progress_note = _no_holidays(missing)
        session.flush()
        service.emit(session, roster, "solving", None, holidays_missing=missing)
        return roster.id, problem, missing


def _solve(sessions: Any, roster_id: int, problem: Problem) -> Plan:
    """Solve in a thread; this one writes the latest progress at most once a second."""
    latest: list[tuple[float, str]] = []
    lock = threading.Lock()

    def progress(fraction: float, note: str) -> None:
        with lock:
            latest[:] = [(fraction, note)]

    written = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="duty-solve") as pool:
        future = pool.submit(solver.solve, problem, progress=progress)
        while True:
            try:
                return future.result(timeout=WRITE_EVERY_S)
            except FutureTimeout:
                pass
            with lock:
                now = latest[0] if latest else None
            if now is not None and now != written:
                _progress(sessions, roster_id, *now)
                written = now


def _progress(sessions: Any, roster_id: int, fraction: float, note: str) -> None:
    with transaction(sessions) as session:
        session.execute(update(Roster).where(
            Roster.id == roster_id, Roster.status == RosterStatus.SOLVING).values(
            progress=max(0.0, min(1.0, float(fraction))), progress_note=str(note)[:200]))


def _failed(session: Session, roster: Roster, note: str) -> None:
    roster.status, roster.progress_note = RosterStatus.FAILED, note[:200]
    roster.solved_at = utcnow()
    session.flush()
    _audit(session, roster, "solve failed")
    service.emit(session, roster, "failed", None)


def _fail(sessions: Any, roster_id: int, note: str) -> None:
    with transaction(sessions) as session:
        roster = session.get(Roster, roster_id)
        if roster is not None and roster.status == RosterStatus.SOLVING:
            _failed(session, roster, note)


def _audit(session: Session, roster: Roster, what: str) -> None:
    audit.record(session, action=AuditAction.UPDATE, actor=None, actor_name=ACTOR,
                 record_kind=service.KIND, record_id=roster.id,
                 summary=f"duty roster {roster.id} {what}")


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _store(session: Session, roster_id: int, problem: Problem, plan: Plan, zone: str,
           missing: list[int] | None = None) -> None:
    roster = session.get(Roster, roster_id)
    if roster is None or roster.status != RosterStatus.SOLVING:
        return  # changed under us (deleted, or queued again): this answer is stale
    roster.version += 1
    roster.solved_at, roster.solve_status = utcnow(), plan.status
    roster.progress = 1.0
    if plan.ok:
        moved = _replace(session, roster, plan, zone)
        roster.status, roster.explanation = RosterStatus.SOLVED, []
        roster.fairness_spread = plan.spread
        roster.changes = (plan.changes if plan.changes is not None else moved) \
            if problem.previous else None
        roster.progress_note = plan.status
        what, action = "solved", "solved"
    elif plan.status == "infeasible":
        roster.status = RosterStatus.INFEASIBLE
        roster.explanation = _json(solver.reasons_to_json(plan.explanation))
        roster.progress_note = plan.status
        what, action = "cannot be staffed", "infeasible"
    else:
        roster.status, roster.progress_note = RosterStatus.FAILED, "time ran out without a plan"
        what, action = "solve failed", "failed"
    if missing:
        roster.progress_note = f"{roster.progress_note}; {_no_holidays(missing)}"[:200]
    session.flush()
    _audit(session, roster, what)
    service.emit(session, roster, action, None, solve_status=plan.status,
                 changes=roster.changes, holidays_missing=list(missing or []))


def _replace(session: Session, roster: Roster, plan: Plan, zone: str) -> int:
    """Make the roster's rows the plan's cells: rows the plan keeps stay (with their pins and
    ids, so swaps and feeds still point at them), the others go, new ones come. Returns how
    many of the rows before are gone (cells moved)."""
    codes = po.unit_codes(session, roster.unit_ids or [])
    unit_of = {code: unit_id for unit_id, code in codes.items()}
    shifts = {s.code: s for s in session.scalars(select(ShiftTemplate).where(
        ShiftTemplate.org_id == roster.owner_org_id))}
    rows = service.assignments(session, roster)
    wanted = {(c.date, c.shift, c.post, c.role, c.person) for c in plan.assignments}
    kept = set()
    gone = 0
    for row in rows:
        key = (row.day, row.shift_code, codes.get(row.unit_id), row.role_code,
               str(row.person_id))
        if key in wanted and key not in kept:
            kept.add(key)
        else:
            session.delete(row)
            gone += 1
    session.flush()
    for day, shift, post, role, person in sorted(wanted - kept):
        template = shifts[shift]
        starts_at, ends_at = po.shift_times(day, template.start, template.end, zone)
        session.add(Assignment(roster_id=roster.id, day=day, shift_code=shift,
                               unit_id=unit_of[post], role_code=role, person_id=int(person),
                               starts_at=starts_at, ends_at=ends_at, pinned=False))
    session.flush()
    return gone
