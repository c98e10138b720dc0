"""Set-up of duty for an organisation: duty roles, people (users, and named auxiliaries with no
login), shift templates, demand, requests, and the national calendar of holidays and adjusted
working days (调休). Planners (``duty.roster.plan``) of the organisation write it; a post's
planner only for their own post. Services never commit."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core.db import utcnow
from bastion.core.errors import Forbidden, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.duty.rosters.models import (
    CalendarDay,
    Demand,
    DutyPerson,
    DutyRequest,
    DutyRole,
    ShiftTemplate,
)
from bastion.duty.rosters.schemas import (
    CalendarDayIn,
    DemandIn,
    PersonIn,
    RequestIn,
    RoleIn,
    ShiftIn,
)
from bastion.org import capabilities
from bastion.org.models import Agency, Role, User

HOLIDAYS = Path(__file__).resolve().parent.parent / "data" / "holidays.json"


# --- who may set up what --------------------------------------------------------------------

def require_planner(user: User) -> None:
    capabilities.require(user, "duty.roster.plan")


def require_reader(user: User) -> None:
    capabilities.require(user, "duty.roster.read")


def units(session: Session, user: User) -> list[Agency]:
    """The units a planner staffs: every active unit of the organisation (its top one too),
    or only their own post when they sit at one."""
    org = user.organisation_id
    found = list(session.scalars(select(Agency).where(
        or_(Agency.id == org, Agency.root_id == org), Agency.active).order_by(Agency.code)))
    if user.agency_id != org:
        found = [a for a in found if a.id == user.agency_id]
    return found


def unit_of(session: Session, user: User, unit_id: int, field: str = "unit_id") -> Agency:
    for unit in units(session, user):
        if unit.id == unit_id:
            return unit
    raise Invalid(_("Unit %(id)s is not one you plan duty for.") % {"id": unit_id}, field=field)


def _record(session: Session, user: User, kind: str, record_id: int, summary: str,
            action: AuditAction = AuditAction.CREATE) -> None:
    audit.record(session, action=action, actor=user, record_kind=kind, record_id=record_id,
                 summary=summary)


# --- roles ----------------------------------------------------------------------------------

def roles(session: Session, org_id: int) -> list[DutyRole]:
    return list(session.scalars(select(DutyRole).where(DutyRole.org_id == org_id)
                                .order_by(DutyRole.code)))


def roles_query(user: User) -> Select[tuple[DutyRole]]:
    capabilities.require(user, "duty.roster.read")
    return select(DutyRole).where(DutyRole.org_id == user.organisation_id).order_by(DutyRole.code)


def save_role(session: Session, *, user: User, data: RoleIn) -> DutyRole:
    """Create a role, or change the one with the same code."""
    require_planner(user)
    role = session.scalar(select(DutyRole).where(DutyRole.org_id == user.organisation_id,
                                                 DutyRole.code == data.code))
    if role is None:
        role = DutyRole(org_id=user.organisation_id, code=data.code)
        session.add(role)
    for key in ("name_zh", "name_en", "leads", "checks_in", "active"):
        setattr(role, key, getattr(data, key))
    session.flush()
    _record(session, user, "duty_role", role.id, f"duty role {role.code}")
    return role


# --- shifts ---------------------------------------------------------------------------------

def shifts(session: Session, org_id: int, *, active: bool = False) -> list[ShiftTemplate]:
    query = select(ShiftTemplate).where(ShiftTemplate.org_id == org_id)
    if active:
        query = query.where(ShiftTemplate.active)
    return list(session.scalars(query.order_by(ShiftTemplate.start, ShiftTemplate.code)))


def shifts_query(user: User) -> Select[tuple[ShiftTemplate]]:
    capabilities.require(user, "duty.roster.read")
    return select(ShiftTemplate).where(ShiftTemplate.org_id == user.organisation_id).order_by(
        ShiftTemplate.start, ShiftTemplate.code)


def save_shift(session: Session, *, user: User, data: ShiftIn) -> ShiftTemplate:
    require_planner(user)
    if data.start == data.end:
        raise Invalid(_("A shift cannot end when it starts."), field="end")
    shift = session.scalar(select(ShiftTemplate).where(
        ShiftTemplate.org_id == user.organisation_id, ShiftTemplate.code == data.code))
    if shift is None:
        shift = ShiftTemplate(org_id=user.organisation_id, code=data.code)
        session.add(shift)
    for key in ("name", "start", "end", "active"):
        setattr(shift, key, getattr(data, key))
    session.flush()
    _record(session, user, "duty_shift", shift.id, f"duty shift {shift.code}")
    return shift


# --- people ---------------------------------------------------------------------------------

def people_query(session: Session, user: User) -> Select[tuple[DutyPerson]]:
    """The people a planner staffs with (their phone numbers are the planner's to see)."""
    require_planner(user)
    return select(DutyPerson).where(
        DutyPerson.org_id == user.organisation_id,
        DutyPerson.unit_id.in_([u.id for u in units(session, user)])).order_by(
        DutyPerson.unit_id, DutyPerson.name, DutyPerson.id)


def _check_roles(session: Session, org_id: int, codes: list[str], field: str) -> None:
    known = {r.code for r in roles(session, org_id) if r.active}
    for i, code in enumerate(codes):
        if code not in known:
            raise Invalid(_("There is no duty role %(code)s.") % {"code": code},
                          field=f"{field}[{i}]")


def save_person(session: Session, *, user: User, data: PersonIn,
                person_id: int | None = None, synthetic: bool = False) -> DutyPerson:
    require_planner(user)
    person = get_person(session, user=user, person_id=person_id) if person_id else None
    unit = unit_of(session, user, data.unit_id)
    _check_roles(session, user.organisation_id, data.roles, "roles")
    if data.user_id is not None:
        linked = session.get(User, data.user_id)
        if linked is None or not linked.active or linked.system:
            raise Invalid(_("There is no user %(id)s.") % {"id": data.user_id}, field="user_id")
        taken = session.scalar(select(DutyPerson).where(
            DutyPerson.org_id == user.organisation_id, DutyPerson.user_id == data.user_id,
            DutyPerson.id != (person_id or 0)))
        if taken is not None:
            raise Invalid(_("This user is already on the duty list as %(name)s.")
                          % {"name": taken.name}, field="user_id")
    if person is None:
        person = DutyPerson(org_id=user.organisation_id, synthetic=synthetic)
        session.add(person)
    person.unit_id, person.user_id, person.name = unit.id, data.user_id, data.name
    person.roles, person.phone, person.active = list(data.roles), data.phone, data.active
    session.flush()
    _record(session, user, "duty_person", person.id, f"duty person {person.id}",
            AuditAction.CREATE if person_id is None else AuditAction.UPDATE)
    return person


def get_person(session: Session, *, user: User, person_id: int) -> DutyPerson:
    person = session.scalar(people_query(session, user).where(DutyPerson.id == person_id))
    if person is None:
        raise NotFound(_("No such person on the duty list."))
    return person



def people_of(session: Session, *, org_id: int, unit_ids: list[int] | None = None,
              active_only: bool = True) -> list[DutyPerson]:
    """The people on an organisation's duty list (of some of its units), for other domains
    that keep records about them (evaluations): no capability check here, the caller narrows
    by its own need-to-know; no phone numbers leave through :func:`public_person_brief`."""
    query = select(DutyPerson).where(DutyPerson.org_id == org_id)
    if unit_ids is not None:
        query = query.where(DutyPerson.unit_id.in_(unit_ids))
    if active_only:
        query = query.where(DutyPerson.active.is_(True))
    return list(session.scalars(query.order_by(DutyPerson.unit_id, DutyPerson.name, DutyPerson.id)))


def person_by_id(session: Session, person_id: int) -> DutyPerson | None:
    """One person on any duty list (the caller checks that its user may see them)."""
    return session.get(DutyPerson, person_id)


def public_person_brief(p: DutyPerson) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "org_id": p.org_id, "unit_id": p.unit_id,
            "active": p.active, "synthetic": p.synthetic}

# --- demand ---------------------------------------------------------------------------------

def demand_query(session: Session, user: User) -> Select[tuple[Demand]]:
    require_planner(user)
    return select(Demand).where(
        Demand.org_id == user.organisation_id,
        Demand.unit_id.in_([u.id for u in units(session, user)])).order_by(
        Demand.unit_id, Demand.shift_code, Demand.role_code, Demand.id)


def add_demand(session: Session, *, user: User, data: DemandIn) -> Demand:
    require_planner(user)
    unit_of(session, user, data.unit_id)
    if data.shift_code not in {s.code for s in shifts(session, user.organisation_id)}:
        raise Invalid(_("There is no shift %(code)s.") % {"code": data.shift_code},
                      field="shift_code")
    if data.role_code not in {r.code for r in roles(session, user.organisation_id) if r.active}:
        raise Invalid(_("There is no duty role %(code)s.") % {"code": data.role_code},
                      field="role_code")
    row = Demand(org_id=user.organisation_id, unit_id=data.unit_id, shift_code=data.shift_code,
                 role_code=data.role_code, count=data.count,
                 weekdays=sorted(set(data.weekdays)), day_kind=data.day_kind)
    session.add(row)
    session.flush()
    _record(session, user, "duty_demand", row.id, f"duty demand {row.id}")
    return row


def delete_demand(session: Session, *, user: User, demand_id: int) -> None:
    row = session.scalar(demand_query(session, user).where(Demand.id == demand_id))
    if row is None:
        raise NotFound(_("No such demand."))
    _record(session, user, "duty_demand", row.id, f"duty demand {row.id}", AuditAction.DELETE)
    session.delete(row)
    session.flush()


# --- requests -------------------------------------------------------------------------------

def requests_query(session: Session, user: User) -> Select[tuple[DutyRequest]]:
    mine = select(DutyPerson.id).where(DutyPerson.user_id == user.id)
    if capabilities.can(user, "duty.roster.plan"):
        staffed = people_query(session, user).with_only_columns(DutyPerson.id).order_by(None)
        return select(DutyRequest).where(or_(DutyRequest.person_id.in_(staffed),
                                             DutyRequest.person_id.in_(mine))).order_by(
            DutyRequest.day, DutyRequest.id)
    capabilities.require(user, "duty.roster.read")
    return select(DutyRequest).where(DutyRequest.person_id.in_(mine)).order_by(
        DutyRequest.day, DutyRequest.id)


def local_today(zone: str) -> date:
    """Today in the deployment's zone (``settings.timezone``), where rosters' days are."""
    return utcnow().astimezone(ZoneInfo(zone)).date()


def add_request(session: Session, *, user: User, data: RequestIn, today: date) -> DutyRequest:
    """A day off granted (hard) or a preference (soft), entered by a planner, for today or a
    day to come (``today`` in the deployment's zone): a request for a day gone by changes no
    roster still to be solved and only muddles the record of who asked for what."""
    require_planner(user)
    if data.day < today:
        raise Invalid(_("%(day)s is past: a request is for today or a day to come.")
                      % {"day": data.day.isoformat()}, field="day")
    person = session.scalar(people_query(session, user).where(DutyPerson.id == data.person_id))
    if person is None:
        raise Invalid(_("There is no person %(id)s on your duty list.") % {"id": data.person_id},
                      field="person_id")
    if data.shift_code is not None and data.shift_code not in {
            s.code for s in shifts(session, user.organisation_id)}:
        raise Invalid(_("There is no shift %(code)s.") % {"code": data.shift_code},
                      field="shift_code")
    same = session.scalar(select(DutyRequest).where(
        DutyRequest.person_id == person.id, DutyRequest.day == data.day,
        DutyRequest.kind == data.kind,
        DutyRequest.shift_code.is_(None) if data.shift_code is None
        else DutyRequest.shift_code == data.shift_code))
    if same is not None:
        raise Invalid(_("This request is already there."), field="day")
    row = DutyRequest(person_id=person.id, day=data.day, kind=data.kind,
                      shift_code=data.shift_code, reason=data.reason, created_by_id=user.id)
    session.add(row)
    session.flush()
    _record(session, user, "duty_request", row.id, f"duty request {row.id}")
    return row


def delete_request(session: Session, *, user: User, request_id: int) -> None:
    require_planner(user)
    row = session.scalar(requests_query(session, user).where(DutyRequest.id == request_id))
    if row is None:
        raise NotFound(_("No such request."))
    _record(session, user, "duty_request", row.id, f"duty request {row.id}", AuditAction.DELETE)
    session.delete(row)
    session.flush()


# --- the calendar of holidays and adjusted working days ---------------------------------------

def calendar_query(*, start: date | None = None, end: date | None = None
                   ) -> Select[tuple[CalendarDay]]:
    query = select(CalendarDay).order_by(CalendarDay.day)
    if start is not None:
        query = query.where(CalendarDay.day >= start)
    if end is not None:
        query = query.where(CalendarDay.day <= end)
    return query


def _put_days(session: Session, days: list[CalendarDayIn]) -> int:
    """Insert or change days by date; the number of rows written or changed."""
    existing = {d.day: d for d in session.scalars(select(CalendarDay).where(
        CalendarDay.day.in_([d.day for d in days])))}
    changed = 0
    for item in days:
        row = existing.get(item.day)
        if row is None:
            row = CalendarDay(day=item.day)
            session.add(row)
            existing[item.day] = row
        elif (row.kind, row.name_zh, row.name_en) == (item.kind, item.name_zh, item.name_en):
            continue
        row.kind, row.name_zh, row.name_en = item.kind, item.name_zh, item.name_en
        changed += 1
    session.flush()
    return changed


def shipped_days(path: Path = HOLIDAYS) -> list[CalendarDayIn]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [CalendarDayIn.model_validate(d) for d in doc["days"]]


def load_holidays(session: Session, path: Path = HOLIDAYS) -> int:
    """Load the shipped holidays and adjusted working days (idempotent: a second load writes
    nothing); no user, no audit (installation data, like the demo)."""
    return _put_days(session, shipped_days(path))


def load_days(session: Session, days: list[CalendarDayIn]) -> int:
    """Days from a file on the command line (the caller audits): insert or change by date."""
    return _put_days(session, days)


def require_calendar_editor(user: User) -> None:
    """The calendar is national data shared by every organisation: an administrator who
    plans duty edits it."""
    require_planner(user)
    if not user.has_role(Role.ADMIN):
        raise Forbidden(_("Only an administrator edits the calendar of holidays."))


def put_days(session: Session, *, user: User, days: list[CalendarDayIn]) -> int:
    require_calendar_editor(user)
    changed = _put_days(session, days)
    _record(session, user, "duty_calendar_day", 0, f"duty calendar {changed} days",
            AuditAction.UPDATE)
    return changed


def delete_day(session: Session, *, user: User, day: date) -> None:
    require_calendar_editor(user)
    row = session.scalar(select(CalendarDay).where(CalendarDay.day == day))
    if row is None:
        raise NotFound(_("No such day in the calendar."))
    _record(session, user, "duty_calendar_day", row.id, f"duty calendar {day.isoformat()}",
            AuditAction.DELETE)
    session.delete(row)
    session.flush()


def public_role(r: DutyRole) -> dict[str, Any]:
    return {"id": r.id, "code": r.code, "name_zh": r.name_zh, "name_en": r.name_en,
            "leads": r.leads, "checks_in": r.checks_in, "active": r.active}


def public_person(p: DutyPerson) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "unit_id": p.unit_id, "user_id": p.user_id,
            "roles": list(p.roles or []), "phone": p.phone, "active": p.active}


def public_shift(s: ShiftTemplate) -> dict[str, Any]:
    return {"id": s.id, "code": s.code, "name": s.name, "start": s.start, "end": s.end,
            "active": s.active, "night": s.end <= s.start}


def public_demand(d: Demand) -> dict[str, Any]:
    return {"id": d.id, "unit_id": d.unit_id, "shift_code": d.shift_code,
            "role_code": d.role_code, "count": d.count, "weekdays": list(d.weekdays or []),
            "day_kind": d.day_kind.value if d.day_kind else None}


def public_day(d: CalendarDay) -> dict[str, Any]:
    return {"day": d.day.isoformat(), "kind": d.kind.value, "name_zh": d.name_zh,
            "name_en": d.name_en}


def public_request(r: DutyRequest) -> dict[str, Any]:
    return {"id": r.id, "person_id": r.person_id, "day": r.day.isoformat(),
            "kind": r.kind.value, "shift_code": r.shift_code, "reason": r.reason}


