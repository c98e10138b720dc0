"""A roster in the database as the solver's ``Problem`` (and its assignments as ``Cell``s).

The person id is ``str(DutyPerson.id)``, the post is the unit's agency code. The problem is
built as the PROBLEM.json document and read by ``solver.parse_problem``, so whatever the
set-up holds is checked by the same rules as a file on the command line."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.duty.rosters.models import (
    Assignment,
    CalendarDay,
    DayKind,
    Demand,
    DutyPerson,
    DutyRequest,
    DutyRole,
    RequestKind,
    Roster,
    ShiftTemplate,
)
from bastion.duty.solver import Cell, Problem, parse_problem
from bastion.org.models import Agency


def unit_codes(session: Session, unit_ids: Iterable[int]) -> dict[int, str]:
    ids = list(unit_ids)
    return {a.id: a.code for a in session.scalars(select(Agency).where(Agency.id.in_(ids)))}


def problem_json(session: Session, roster: Roster, *, time_limit_s: float = 60,
                 workers: int = 2, previous: bool = False) -> dict[str, Any]:
    codes = unit_codes(session, roster.unit_ids or [])
    end = roster.start + timedelta(days=roster.days)
    shifts = list(session.scalars(select(ShiftTemplate).where(
        ShiftTemplate.org_id == roster.owner_org_id, ShiftTemplate.active).order_by(
        ShiftTemplate.start, ShiftTemplate.code)))
    assignments = list(session.scalars(select(Assignment).where(
        Assignment.roster_id == roster.id).order_by(Assignment.day, Assignment.id)))
    pinned_people = {a.person_id for a in assignments if a.pinned}
    people = list(session.scalars(select(DutyPerson).where(
        DutyPerson.org_id == roster.owner_org_id, DutyPerson.unit_id.in_(list(codes)),
        DutyPerson.active | DutyPerson.id.in_(pinned_people)).order_by(DutyPerson.id)))
    requests: dict[int, dict[str, set[str]]] = {}
    for r in session.scalars(select(DutyRequest).where(
            DutyRequest.person_id.in_([p.id for p in people]), DutyRequest.day >= roster.start,
            DutyRequest.day < end)):
        requests.setdefault(r.person_id, {k.value: set() for k in RequestKind})[
            r.kind.value].add(r.day.isoformat())
    for found in requests.values():  # a day off outweighs a preference for the same day
        found["prefer_off"] -= found["off"]
        found["prefer_on"] -= found["off"] | found["prefer_off"]
    demand = list(session.scalars(select(Demand).where(
        Demand.org_id == roster.owner_org_id, Demand.unit_id.in_(list(codes))).order_by(
        Demand.id)))
    calendar = list(session.scalars(select(CalendarDay).where(
        CalendarDay.day >= roster.start, CalendarDay.day < end)))
    known = {str(p.id) for p in people}

    def cell(a: Assignment) -> dict[str, str]:
        return {"date": a.day.isoformat(), "shift": a.shift_code, "post": codes[a.unit_id],
                "role": a.role_code, "person": str(a.person_id)}

    usable = [a for a in assignments if a.unit_id in codes and str(a.person_id) in known]
    return {
        "start": roster.start.isoformat(), "days": roster.days,
        "shifts": [{"code": s.code, "start": s.start, "end": s.end} for s in shifts],
        "people": [{"id": str(p.id), "name": p.name, "post": codes[p.unit_id],
                    "roles": list(p.roles or []),
                    **{k: sorted(v) for k, v in requests.get(p.id, {}).items()}}
                   for p in people],
        "demand": [{"post": codes[d.unit_id], "shift": d.shift_code, "role": d.role_code,
                    "count": d.count, "weekdays": sorted(d.weekdays) if d.weekdays else None,
                    "day_kind": d.day_kind.value if d.day_kind else None} for d in demand],
        "rules": dict(roster.rules or {}),
        "holidays": sorted(d.day.isoformat() for d in calendar if d.kind == DayKind.REST),
        "workdays": sorted(d.day.isoformat() for d in calendar if d.kind == DayKind.WORKDAY),
        # declared: a unit or role of the set-up that nobody staffs is "cannot be staffed"
        # (explained), not an unknown name in the file
        "posts": sorted(set(codes.values()) | {codes[p.unit_id] for p in people}),
        "roles": sorted({r for p in people for r in p.roles or []}
                        | {d.role_code for d in demand} | set(session.scalars(
                            select(DutyRole.code).where(DutyRole.org_id == roster.owner_org_id)))),
        "pins": [cell(a) for a in usable if a.pinned],
        "previous": [cell(a) for a in usable] if previous else [],
        "time_limit_s": time_limit_s, "workers": workers,
    }


def problem_of(session: Session, roster: Roster, *, time_limit_s: float = 60,
               workers: int = 2, previous: bool = False) -> Problem:
    """Raises ``ProblemErrors`` (a 422 naming the field) when the set-up cannot be read."""
    return parse_problem(problem_json(session, roster, time_limit_s=time_limit_s,
                                      workers=workers, previous=previous))


def cells_of(codes: dict[int, str], assignments: Iterable[Assignment]) -> list[Cell]:
    return [Cell(a.day, a.shift_code, codes[a.unit_id], a.role_code, str(a.person_id))
            for a in assignments if a.unit_id in codes]


def shift_times(day: date, start: str, end: str, zone: str) -> tuple[datetime, datetime]:
    """UTC start and end of a shift on ``day`` from its local "HH:MM" times (a shift whose end
    is not after its start ends the next day)."""
    tz = ZoneInfo(zone)
    begin, finish = time.fromisoformat(start), time.fromisoformat(end)
    starts = datetime.combine(day, begin, tz)
    ends = datetime.combine(day + timedelta(days=1 if finish <= begin else 0), finish, tz)
    return starts.astimezone(UTC), ends.astimezone(UTC)
