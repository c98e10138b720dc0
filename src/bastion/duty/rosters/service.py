"""Rosters: create, queue a solve (never solved inside a request: ``jobs.solve_queued`` does),
edit cells (pin, unpin, set a person, fill, clear — refused naming the hard rule an edit would
break, through the independent checker ``duty.check``), publish. Need-to-know starts from
``duty.access``; services never commit, and write the audit log and events themselves."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import label, register_labels
from bastion.core.marking import TLP, Distribution
from bastion.duty import access
from bastion.duty.rosters import problem_of as po
from bastion.duty.rosters import setup
from bastion.duty.rosters.models import (
    Assignment,
    CalendarDay,
    DayKind,
    DutyPerson,
    RequestKind,
    Roster,
    RosterStatus,
    ShiftTemplate,
    SwapStatus,
)
from bastion.duty.rosters.schemas import CellIn, RosterIn
from bastion.duty.rosters.words import Words
from bastion.duty.solver import Cell, Problem, ProblemErrors, parse_problem
from bastion.org import capabilities
from bastion.org.models import User
from bastion.org.sharing import MarkingIn, apply_marking

KIND = Roster.record_kind
BUSY = (RosterStatus.QUEUED, RosterStatus.SOLVING)

register_labels(RosterStatus, labels={
    "draft": lazy("Draft"), "queued": lazy("Queued for the solver"),
    "solving": lazy("Solving"), "solved": lazy("Solved"), "infeasible": lazy("Cannot be staffed"),
    "failed": lazy("Failed"), "published": lazy("Published")})
register_labels(namespace="record_kind", labels={
    "duty_roster": lazy("duty roster"), "duty_swap": lazy("duty swap"),
    "duty_role": lazy("duty role"), "duty_shift": lazy("duty shift"),
    "duty_person": lazy("person on duty"), "duty_demand": lazy("duty demand"),
    "duty_request": lazy("duty request"), "duty_calendar_day": lazy("holiday calendar")})
register_labels(DayKind, labels={"workday": lazy("Working day"), "rest": lazy("Rest day")})
register_labels(RequestKind, labels={"off": lazy("Day off"), "prefer_off": lazy("Rather off"),
                                     "prefer_on": lazy("Rather on duty")})
register_labels(SwapStatus, labels={
    "requested": lazy("Requested"), "approved": lazy("Approved"), "refused": lazy("Refused"),
    "cancelled": lazy("Cancelled")})


# --- reading --------------------------------------------------------------------------------

def list_query(user: User, *, status: RosterStatus | None = None) -> Select[tuple[Roster]]:
    capabilities.require(user, "duty.roster.read")
    query = access.rosters_query(user)
    if status is not None:
        query = query.where(Roster.status == status)
    return query.order_by(Roster.start.desc(), Roster.id.desc())


def get(session: Session, *, user: User, roster_id: int) -> Roster:
    capabilities.require(user, "duty.roster.read")
    return access.find_roster(session, user=user, roster_id=roster_id)


def planned(session: Session, *, user: User, roster_id: int) -> Roster:
    """A roster the user plans: 403 without the function, 404 when unseen or another
    organisation's."""
    capabilities.require(user, "duty.roster.plan")
    roster = access.find_roster(session, user=user, roster_id=roster_id)
    if not access.plans(user, roster):
        raise NotFound(_("No such roster."))
    return roster


def assignments(session: Session, roster: Roster) -> list[Assignment]:
    return list(session.scalars(select(Assignment).where(Assignment.roster_id == roster.id)
                                .order_by(Assignment.day, Assignment.shift_code,
                                          Assignment.unit_id, Assignment.id)))


def public(roster: Roster) -> dict[str, Any]:
    return {"id": roster.id, "name": roster.name, "start": roster.start.isoformat(),
            "days": roster.days, "unit_ids": list(roster.unit_ids or []),
            "rules": dict(roster.rules or {}), "status": roster.status.value,
            "solve_status": roster.solve_status, "progress": roster.progress,
            "progress_note": roster.progress_note, "fairness_spread": roster.fairness_spread,
            "changes": roster.changes, "version": roster.version,
            "explanation": list(roster.explanation or []),
            "queued_at": roster.queued_at, "solved_at": roster.solved_at,
            "published_at": roster.published_at, "owner_org_id": roster.owner_org_id,
            "tlp": roster.tlp.value, "distribution": roster.distribution.value}


def public_assignment(a: Assignment) -> dict[str, Any]:
    return {"id": a.id, "day": a.day.isoformat(), "shift_code": a.shift_code,
            "unit_id": a.unit_id, "role_code": a.role_code, "person_id": a.person_id,
            "starts_at": a.starts_at, "ends_at": a.ends_at, "pinned": a.pinned}


def detail(session: Session, *, user: User, roster: Roster) -> dict[str, Any]:
    rows = assignments(session, roster)
    if not access.plans(user, roster) and roster.status != RosterStatus.PUBLISHED:
        rows = []  # a person on a draft sees nothing of it (access shows drafts to planners)
    people = {p.id: p for p in session.scalars(select(DutyPerson).where(
        DutyPerson.id.in_({a.person_id for a in rows})))}
    from bastion.duty.rosters.holidays import years_without

    return {**public(roster), "may_plan": access.plans(user, roster),
            "holidays_missing": years_without(session, roster.start, roster.days),
            "assignments": [{**public_assignment(a), "person_name": people[a.person_id].name}
                            for a in rows]}


def emit(session: Session, roster: Roster, action: str, user: User | None,
         **payload: Any) -> None:
    events.emit(session, kind=f"duty.roster.{action}", actor_id=user.id if user else None,
                record_kind=KIND, record_id=roster.id,
                payload={"status": roster.status.value, "version": roster.version, **payload})


def record(session: Session, user: User, roster: Roster, what: str,
           action: AuditAction = AuditAction.UPDATE) -> None:
    """Audit summaries read in zh-CN through the patterns in ``audit/display.py``."""
    audit.record(session, action=action, actor=user, record_kind=KIND, record_id=roster.id,
                 summary=f"duty roster {roster.id} {what}")


# --- creating -------------------------------------------------------------------------------

def check_rules(rules: dict[str, Any]) -> dict[str, Any]:
    """The rules as the solver reads them (its ``Rules``), each bad one a 422 naming it."""
    doc = {"start": "2026-01-01", "days": 1, "shifts": [{"code": "D", "start": "08:00",
                                                          "end": "20:00"}],
           "people": [], "demand": [], "rules": rules}
    try:
        parse_problem(doc)
    except ProblemErrors as exc:
        path, problem = exc.problems[0]
        raise Invalid(_("This rule is not valid: %(problem)s.")
                      % {"problem": _rule_problem(problem)}, field=path) from exc
    return dict(rules)


_BETWEEN = re.compile(r"^must be between (\S+) and (\S+), not (\S+)$")


def _rule_problem(problem: str) -> str:
    """The solver's parser speaks English (it is the command line's); a planner reads the
    problem in the page's language."""
    between = _BETWEEN.match(problem)
    if between:
        low, high, value = between.groups()
        return _("it must be between %(low)s and %(high)s, not %(value)s") % {
            "low": low, "high": high, "value": value}
    words = {"unknown field": _("there is no such rule"),
             "must be a number": _("it must be a number"),
             "must be a whole number": _("it must be a whole number"),
             "must be an object": _("the rules must be an object of names and numbers")}
    return str(words.get(problem, problem))


def create(session: Session, *, user: User, data: RosterIn) -> Roster:
    setup.require_planner(user)
    for i, unit_id in enumerate(data.unit_ids):
        setup.unit_of(session, user, unit_id, field=f"unit_ids[{i}]")
    rules = check_rules(data.rules)
    # A fresh installation knows the shipped holidays from its first roster on (idempotent:
    # days already there, edited or not, are left as they are).
    if session.scalar(select(CalendarDay.id).limit(1)) is None:
        setup.load_holidays(session)
    roster = Roster(name=data.name, start=data.start, days=data.days,
                    unit_ids=list(dict.fromkeys(data.unit_ids)), rules=rules,
                    status=RosterStatus.DRAFT, owner_org_id=user.organisation_id,
                    created_by_id=user.id)
    session.add(roster)
    session.flush()
    partners = [a for a in data.partner_agency_ids]
    apply_marking(session, roster, MarkingIn(
        tlp=TLP.GREEN, distribution=Distribution.NAMED if partners else Distribution.OWN,
        agency_ids=partners))
    record(session, user, roster, "created", AuditAction.CREATE)
    emit(session, roster, "created", user)
    return roster


def queue_solve(session: Session, *, user: User, roster_id: int) -> Roster:
    """Queue the roster for the solver job (202): a re-solve keeps the pins and starts from
    the current plan (fewest changes)."""
    roster = planned(session, user=user, roster_id=roster_id)
    if roster.status in (*BUSY, RosterStatus.PUBLISHED):
        raise Conflict(_("The roster is %(status)s: it cannot be solved now.")
                       % {"status": label(roster.status)})
    po.problem_of(session, roster)  # refuse a set-up the solver cannot read, naming the field
    roster.status, roster.progress = RosterStatus.QUEUED, 0.0
    roster.progress_note, roster.queued_at = None, utcnow()
    session.flush()
    record(session, user, roster, "queued for solving")
    emit(session, roster, "queued", user)
    return roster


# --- editing cells --------------------------------------------------------------------------

def _editable(session: Session, user: User, roster_id: int) -> Roster:
    roster = planned(session, user=user, roster_id=roster_id)
    if roster.status in BUSY:
        raise Conflict(_("The roster is %(status)s: wait for the solver.")
                       % {"status": label(roster.status)})
    return roster


def _assignment(session: Session, roster: Roster, assignment_id: int) -> Assignment:
    row = session.scalar(select(Assignment).where(Assignment.id == assignment_id,
                                                  Assignment.roster_id == roster.id))
    if row is None:
        raise NotFound(_("No such duty on this roster."))
    return row


def _key(v: Any) -> tuple[str, str]:
    return v.rule, json.dumps(v.params, sort_keys=True, default=str)


def refuse_new_violations(problem: Problem, before: Iterable[Cell], after: Iterable[Cell], *,
                          partial: bool = True, field: str = "person_id",
                          words: Words | None = None) -> None:
    """422 naming the first hard rule the change breaks that the plan did not break before."""
    from bastion.duty import check

    was = {_key(v) for v in check.violations(problem, list(before), partial=partial)}
    for v in check.violations(problem, list(after), partial=partial):
        if _key(v) not in was:
            raise rule_error(v, field, words)


def rule_error(v: Any, field: str, words: Words | None = None) -> Invalid:
    """A refusal naming the broken rule (in words, and its code as the error's type)."""
    text = words.text(v) if words is not None else v.text(_)
    error = Invalid(_("Refused: %(rule)s — %(text)s") % {"rule": v.rule_name(_),
                                                           "text": text}, field=field)
    error.code = v.rule
    return error


def _person(session: Session, roster: Roster, person_id: int) -> DutyPerson:
    person = session.scalar(select(DutyPerson).where(
        DutyPerson.id == person_id, DutyPerson.org_id == roster.owner_org_id))
    if person is None:
        raise Invalid(_("There is no person %(id)s on your duty list.") % {"id": person_id},
                      field="person_id")
    return person


def _times(session: Session, roster: Roster, day: Any, shift_code: str, zone: str):
    shift = session.scalar(select(ShiftTemplate).where(
        ShiftTemplate.org_id == roster.owner_org_id, ShiftTemplate.code == shift_code))
    if shift is None:
        raise Invalid(_("There is no shift %(code)s.") % {"code": shift_code},
                      field="shift_code")
    return po.shift_times(day, shift.start, shift.end, zone)


def _bump(session: Session, user: User, roster: Roster, what: str, **payload: Any) -> None:
    roster.version += 1
    session.flush()
    record(session, user, roster, what)
    emit(session, roster, "edited", user, **payload)


def pin(session: Session, *, user: User, roster_id: int, assignment_id: int,
        pinned: bool) -> Assignment:
    roster = _editable(session, user, roster_id)
    row = _assignment(session, roster, assignment_id)
    row.pinned = pinned
    _bump(session, user, roster, "pinned" if pinned else "unpinned", assignment_id=row.id)
    return row


def set_person(session: Session, *, user: User, roster_id: int, assignment_id: int,
               person_id: int, pinned: bool | None, zone: str) -> Assignment:
    """Give a cell to another person; refused (422) naming the hard rule it would break."""
    roster = _editable(session, user, roster_id)
    row = _assignment(session, roster, assignment_id)
    _person(session, roster, person_id)
    problem = po.problem_of(session, roster)
    codes = po.unit_codes(session, roster.unit_ids or [])
    rows = assignments(session, roster)
    before = po.cells_of(codes, rows)
    moved = Cell(row.day, row.shift_code, codes.get(row.unit_id, ""), row.role_code,
                 str(person_id))
    after = [*po.cells_of(codes, [r for r in rows if r.id != row.id]), moved]
    if str(person_id) not in {p.id for p in problem.people}:
        raise Invalid(_("This person is not on the roster's units or is inactive."),
                      field="person_id")
    refuse_new_violations(_unpinned(problem, row, codes), before, after,
                          words=Words.of(session, roster))
    row.person_id = person_id
    if pinned is not None:
        row.pinned = pinned
    _bump(session, user, roster, "cell changed", assignment_id=row.id)
    return row


def _unpinned(problem: Problem, row: Assignment, codes: dict[int, str]) -> Problem:
    """The problem without the pin of the cell being changed (a planner may move a pinned
    cell; the pin is theirs)."""
    from dataclasses import replace

    mine = Cell(row.day, row.shift_code, codes.get(row.unit_id, ""), row.role_code,
                str(row.person_id))
    return replace(problem, pins=tuple(c for c in problem.pins if c != mine))


def add_cell(session: Session, *, user: User, roster_id: int, data: CellIn,
             zone: str) -> Assignment:
    roster = _editable(session, user, roster_id)
    if data.unit_id not in (roster.unit_ids or []):
        raise Invalid(_("Unit %(id)s is not on this roster.") % {"id": data.unit_id},
                      field="unit_id")
    if not roster.start <= data.day < roster.start + timedelta(days=roster.days):
        raise Invalid(_("The day is outside the roster."), field="day")
    if data.role_code not in {r.code for r in setup.roles(session, roster.owner_org_id)}:
        # else "<person> does not hold the role x", on person_id: the person was not wrong
        raise Invalid(_("There is no duty role %(code)s.") % {"code": data.role_code},
                      field="role_code")
    _person(session, roster, data.person_id)
    starts_at, ends_at = _times(session, roster, data.day, data.shift_code, zone)
    problem = po.problem_of(session, roster)
    if str(data.person_id) not in {p.id for p in problem.people}:
        raise Invalid(_("This person is not on the roster's units or is inactive."),
                      field="person_id")
    codes = po.unit_codes(session, roster.unit_ids or [])
    before = po.cells_of(codes, assignments(session, roster))
    new = Cell(data.day, data.shift_code, codes[data.unit_id], data.role_code,
               str(data.person_id))
    refuse_new_violations(problem, before, [*before, new], words=Words.of(session, roster))
    row = Assignment(roster_id=roster.id, day=data.day, shift_code=data.shift_code,
                     unit_id=data.unit_id, role_code=data.role_code, person_id=data.person_id,
                     starts_at=starts_at, ends_at=ends_at, pinned=data.pinned)
    session.add(row)
    session.flush()
    _bump(session, user, roster, "cell added", assignment_id=row.id)
    return row


def delete_cell(session: Session, *, user: User, roster_id: int, assignment_id: int) -> None:
    roster = _editable(session, user, roster_id)
    row = _assignment(session, roster, assignment_id)
    session.delete(row)
    session.flush()
    _bump(session, user, roster, "cell cleared", assignment_id=assignment_id)


# --- publishing -----------------------------------------------------------------------------

def publish(session: Session, *, user: User, roster_id: int) -> Roster:
    """Only a solved roster, or one edited by hand into a plan that keeps every hard rule and
    the demand, is published (409 naming the state otherwise); the people on it who have a
    login are told."""
    from bastion.duty import check
    from bastion.notifications.service import notify

    roster = planned(session, user=user, roster_id=roster_id)
    rows = assignments(session, roster)
    if roster.status == RosterStatus.PUBLISHED or roster.status in BUSY or not rows:
        raise Conflict(_("The roster is %(status)s: only a solved roster can be published.")
                       % {"status": label(roster.status)})
    codes = po.unit_codes(session, roster.unit_ids or [])
    broken = check.violations(po.problem_of(session, roster), po.cells_of(codes, rows))
    if broken and roster.status != RosterStatus.SOLVED:
        raise Conflict(_("The roster is %(status)s: only a solved roster can be published.")
                       % {"status": label(roster.status)})
    if broken:
        raise rule_error(broken[0], "assignments", Words.of(session, roster))
    roster.status, roster.published_at, roster.published_by_id = (
        RosterStatus.PUBLISHED, utcnow(), user.id)
    session.flush()
    record(session, user, roster, "published")
    emit(session, roster, "published", user)
    users = session.scalars(select(DutyPerson.user_id).where(
        DutyPerson.id.in_({a.person_id for a in rows}), DutyPerson.user_id.is_not(None))
        .distinct()).all()
    notify(session, recipients=list(users), sender=user,
           title=lazy("Duty roster published: {name}"),
           body=lazy("Your duties from {start} to {end} are on the roster."),
           params={"name": roster.name, "start": roster.start.isoformat(),
                   "end": (roster.start + timedelta(days=roster.days - 1)).isoformat()},
           link=f"/duty/rosters/{roster.id}", record_kind=KIND, record_id=roster.id)
    return roster

