"""SYNTHETIC duty rosters for the demo: roles, shifts, people and demand for the Napo command
(the command and its three posts, with the police and army partners on its rotation) and the
Yangjiang station (its two duty teams), the shipped holidays, and for each organisation one
published roster of the current month — a rotation checked by the independent checker
(``duty.check``), so loading takes no solver time — plus a swap waiting for a decision and
next month's draft for the planners to solve."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core.marking import TLP, Distribution
from bastion.duty import check
from bastion.duty.rosters import problem_of as po
from bastion.duty.rosters import setup
from bastion.duty.rosters.models import (
    Assignment,
    Demand,
    DutyPerson,
    DutyRequest,
    DutyRole,
    RequestKind,
    Roster,
    RosterStatus,
    ShiftTemplate,
    SwapRequest,
)
from bastion.org.models import Agency, User
from bastion.org.sharing import MarkingIn, apply_marking

ROLES = (("duty_leader", "值班领导", "Duty leader", True, False),
         ("duty_officer", "值班员", "Duty officer", False, True))
SHIFTS = (("D", "白班", "08:00", "20:00"), ("N", "夜班", "20:00", "08:00"))
RULES = {"min_rest_hours": 12, "max_consecutive_nights": 3, "max_nights_per_week": 4,
         "max_consecutive_days": 6, "min_days_off_per_week": 1}

# (organisation, unit, [(username or SYNTHETIC name, roles)], demand [(shift, role, count)])
NAPO = ("NP-JDC", [
    ("NP-JDC", [("huang.command", ["duty_leader"]), ("梁志华", ["duty_leader"]),
                ("蒙海军", ["duty_leader"])], [("D", "duty_leader", 1)]),
    ("NP-JDC", [("wei.police", ["duty_officer"]), ("liang.army", ["duty_officer"]),
                ("黄秀英", ["duty_officer"]), ("李国强", ["duty_officer"]),
                ("赵春燕", ["duty_officer"])], [("D", "duty_officer", 1), ("N", "duty_officer", 1)]),
    ("NP-JDC-PM", [("nong.post", ["duty_officer"]), ("he.auxiliary", ["duty_officer"]),
                   ("农振华", ["duty_officer"]), ("马文斌", ["duty_officer"]),
                   ("黄丽萍", ["duty_officer"])], [("D", "duty_officer", 1), ("N", "duty_officer", 1)]),
    ("NP-JDC-BN", [("lu.auxiliary", ["duty_officer"]), ("陆海峰", ["duty_officer"]),
                   ("罗建平", ["duty_officer"]), ("韦小燕", ["duty_officer"]),
                   ("覃永福", ["duty_officer"])], [("D", "duty_officer", 1), ("N", "duty_officer", 1)]),
    ("NP-JDC-BD", [("黄德明", ["duty_officer"]), ("农桂兰", ["duty_officer"]),
                   ("陈国文", ["duty_officer"]), ("苏建华", ["duty_officer"]),
                   ("岑玉梅", ["duty_officer"])], [("D", "duty_officer", 1), ("N", "duty_officer", 1)]),
])
YANGJIANG = ("YJ-BIS", [
    ("YJ-BIS", [("chen.supervisor", ["duty_leader"]), ("林志远", ["duty_leader"]),
                ("冯晓东", ["duty_leader"])], [("D", "duty_leader", 1)]),
    ("YJ-BIS-T1", [("li.officer", ["duty_officer"]), ("吴海波", ["duty_officer"]),
                   ("郑丽娟", ["duty_officer"]), ("梁伟明", ["duty_officer"]),
                   ("何志军", ["duty_officer"])], [("D", "duty_officer", 1), ("N", "duty_officer", 1)]),
    ("YJ-BIS-T2", [("wang.officer", ["duty_officer"]), ("许文杰", ["duty_officer"]),
                   ("杨秋菊", ["duty_officer"]), ("邓海涛", ["duty_officer"]),
                   ("谢春花", ["duty_officer"])], [("D", "duty_officer", 1), ("N", "duty_officer", 1)]),
])
PARTNERS = {"NP-JDC": ("NP-POL", "NP-ARMY"), "YJ-BIS": ()}


def _zone() -> str:
    from bastion.core.config import get_settings

    return get_settings().timezone


def load(session: Session, *, users: dict[str, User], now: datetime) -> None:
    setup.load_holidays(session)
    zone = _zone()
    today = now.astimezone(ZoneInfo(zone)).date()
    for spec in (NAPO, YANGJIANG):
        _organisation(session, spec, users, today, zone)
    session.flush()


def _organisation(session: Session, spec, users: dict[str, User], today: date,
                  zone: str) -> None:
    org_code, units = spec
    codes = {a.code: a for a in session.scalars(select(Agency))}
    org = codes.get(org_code)
    planner = next((users[u] for _unit, people, _d in units for u, _r in people
                    if u in users and users[u].organisation_id == (org.id if org else None)),
                   None)
    if org is None or planner is None:
        return
    for code, zh, en, leads, checks_in in ROLES:
        session.add(DutyRole(org_id=org.id, code=code, name_zh=zh, name_en=en, leads=leads,
                             checks_in=checks_in))
    for code, name, start, end in SHIFTS:
        session.add(ShiftTemplate(org_id=org.id, code=code, name=name, start=start, end=end))
    groups = []
    for unit_code, people, demand in units:
        unit = codes[unit_code]
        persons = []
        for who, roles in people:
            user = users.get(who)
            persons.append(DutyPerson(org_id=org.id, unit_id=unit.id,
                                      user_id=user.id if user else None,
                                      name=user.display_name if user else who, roles=roles,
                                      synthetic=True))
        session.add_all(persons)
        for shift, role, count in demand:
            session.add(Demand(org_id=org.id, unit_id=unit.id, shift_code=shift,
                               role_code=role, count=count))
        groups.append((unit, persons, demand))
    session.flush()
    first = today.replace(day=1)
    days = calendar.monthrange(first.year, first.month)[1]
    unit_ids = list(dict.fromkeys(u.id for u, _p, _d in groups))
    roster = _roster(session, org, planner, f"{first.year}年{first.month}月值班表（演示）",
                     first, days, unit_ids)
    rows = _rotation(roster, groups, zone)
    session.add_all(rows)
    session.flush()
    problem = po.problem_of(session, roster)
    broken = check.violations(problem, po.cells_of(po.unit_codes(session, unit_ids), rows))
    if broken:  # the rotation is made to keep every rule; say so loudly if it ever does not
        raise RuntimeError(f"demo roster {org_code}: {broken[0].text()}")
    roster.status, roster.solve_status, roster.progress = RosterStatus.PUBLISHED, "feasible", 1.0
    roster.version, roster.published_at, roster.published_by_id = 1, datetime.now(
        ZoneInfo("UTC")), planner.id
    roster.solved_at = roster.published_at
    _swap(session, roster, rows, users, today)
    nxt = first + timedelta(days=days)
    _roster(session, org, planner, f"{nxt.year}年{nxt.month}月值班表（草稿，演示）", nxt,
            calendar.monthrange(nxt.year, nxt.month)[1], unit_ids)
    # A requested day off for next month's draft (a hard rule for its solve).
    someone = groups[-1][1][1]
    session.add(DutyRequest(person_id=someone.id, day=nxt + timedelta(days=2),
                            kind=RequestKind.OFF, reason="SYNTHETIC 探亲", created_by_id=planner.id))


def _roster(session: Session, org: Agency, planner: User, name: str, start: date, days: int,
            unit_ids: list[int]) -> Roster:
    roster = Roster(name=name, start=start, days=days, unit_ids=unit_ids, rules=dict(RULES),
                    status=RosterStatus.DRAFT, owner_org_id=org.id, created_by_id=planner.id,
                    synthetic=True)
    session.add(roster)
    session.flush()
    partners = [a.id for a in session.scalars(select(Agency).where(
        Agency.code.in_(PARTNERS.get(org.code, ()))))]
    apply_marking(session, roster, MarkingIn(
        tlp=TLP.GREEN, distribution=Distribution.NAMED if partners else Distribution.OWN,
        agency_ids=partners))
    return roster


def _rotation(roster: Roster, groups, zone: str) -> list[Assignment]:
    """Each role's people in turn over the day's slots (shifts in order of start): with five
    people on a day and a night shift, nobody works a night and the next day, two nights in
    a row, or more than three days in seven."""
    times = {code: (start, end) for code, _n, start, end in SHIFTS}
    order = {code: i for i, (code, *_rest) in enumerate(SHIFTS)}
    rows = []
    for unit, persons, demand in groups:
        by_role: dict[str, list[tuple[str, int]]] = {}
        for shift, role, count in sorted(demand, key=lambda d: order[d[0]]):
            by_role.setdefault(role, []).extend([(shift, count)])
        for role, slots in by_role.items():
            holders = [p for p in persons if role in p.roles]
            turn = 0
            for i in range(roster.days):
                day = roster.start + timedelta(days=i)
                for shift, count in slots:
                    for _n in range(count):
                        person = holders[turn % len(holders)]
                        turn += 1
                        starts, ends = po.shift_times(day, *times[shift], zone)
                        rows.append(Assignment(
                            roster_id=roster.id, day=day, shift_code=shift, unit_id=unit.id,
                            role_code=role, person_id=person.id, starts_at=starts,
                            ends_at=ends))
    return rows


def _swap(session: Session, roster: Roster, rows: list[Assignment], users: dict[str, User],
          today: date) -> None:
    """he.auxiliary asks to hand a coming duty to a colleague of the same post who may take
    it (the swap keeps every rule, so the planner can approve it)."""
    asker = users.get("he.auxiliary")
    mine = session.scalar(select(DutyPerson).where(
        DutyPerson.user_id == asker.id, DutyPerson.org_id == roster.owner_org_id)) \
        if asker else None
    if mine is None:
        return
    problem = po.problem_of(session, roster)
    codes = po.unit_codes(session, roster.unit_ids)
    cells = po.cells_of(codes, rows)
    colleagues = session.scalars(select(DutyPerson).where(
        DutyPerson.unit_id == mine.unit_id, DutyPerson.user_id.is_(None),
        DutyPerson.org_id == roster.owner_org_id).order_by(DutyPerson.id)).all()
    for k, duty in enumerate(rows):
        if duty.person_id != mine.id or duty.day <= today:
            continue
        for other in colleagues:
            after = [c if j != k else replace(c, person=str(other.id))
                     for j, c in enumerate(cells)]
            if not check.violations(problem, after):
                session.add(SwapRequest(roster_id=roster.id, assignment_id=duty.id,
                                        to_person_id=other.id, reason="SYNTHETIC 家中有事",
                                        requested_by_id=asker.id))
                return
