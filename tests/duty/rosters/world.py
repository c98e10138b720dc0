"""A small duty world: a joint-defence command with two posts, its partners (border police,
army), a village committee, a port station (another organisation that plans its own duty)
and a shipping agent; duty roles, shifts, people and demand at post A; and a quick valid plan
(a rotation checked by ``duty.check``) for the tests that need a solved roster without running
the solver."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from bastion.duty.rosters import problem_of as po
from bastion.duty.rosters import setup
from bastion.duty.rosters.models import Assignment, DutyPerson, Roster, RosterStatus
from bastion.duty.rosters.schemas import DemandIn, PersonIn, RoleIn, RosterIn, ShiftIn
from bastion.org.models import Agency, AgencyKind, Role, User
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

START = date(2026, 12, 7)  # a Monday
ZONE = "Asia/Shanghai"


@dataclass
class DutyWorld:
    command: Agency
    post_a: Agency
    post_b: Agency
    police: Agency
    army: Agency
    village: Agency
    port: Agency
    agent_org: Agency
    users: dict[str, User]
    people: list[DutyPerson]
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, client, who: str) -> dict[str, str]:
        if who not in self.tokens:
            self.tokens[who] = api_token(client, self.users[who].username)
        return self.tokens[who]


def build(session: Session) -> DutyWorld:
    command = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND, name="那坡联防指挥部")
    post_a = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=command,
                         name="平孟联防所")
    post_b = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=command,
                         name="百南联防所")
    police = make_agency(session, kind=AgencyKind.BORDER_POLICE, name="边境派出所")
    army = make_agency(session, kind=AgencyKind.ARMY, name="边防连")
    village = make_agency(session, kind=AgencyKind.VILLAGE_COMMITTEE, name="念井村委会")
    port = make_agency(session, kind=AgencyKind.BORDER_INSPECTION, name="港口边检站")
    agent_org = make_agency(session, kind=AgencyKind.SHIPPING_AGENCY, name="船代公司")
    spec = {"cmd": (command, Role.SUPERVISOR), "a_sup": (post_a, Role.SUPERVISOR),
            "b_sup": (post_b, Role.SUPERVISOR), "a_officer": (post_a, Role.OFFICER),
            "a_aux": (post_a, Role.VIEWER), "a_aux2": (post_a, Role.VIEWER),
            "b_aux": (post_b, Role.VIEWER), "police": (police, Role.OFFICER),
            "army": (army, Role.OFFICER), "village": (village, Role.VIEWER),
            "port_sup": (port, Role.SUPERVISOR), "port_admin": (port, Role.ADMIN),
            "agent": (agent_org, Role.OFFICER)}
    users = {k: make_user(session, agency=a, role=r) for k, (a, r) in spec.items()}
    cmd = users["cmd"]
    setup.save_role(session, user=cmd, data=RoleIn(code="duty_leader", name_zh="值班领导",
                                                   name_en="Duty leader", leads=True))
    setup.save_role(session, user=cmd, data=RoleIn(code="duty_officer", name_zh="值班员",
                                                   name_en="Duty officer", checks_in=True))
    setup.save_shift(session, user=cmd, data=ShiftIn(code="D", name="白班", start="08:00",
                                                     end="20:00"))
    setup.save_shift(session, user=cmd, data=ShiftIn(code="N", name="夜班", start="20:00",
                                                     end="08:00"))
    linked = [users["a_aux"], users["police"], users["a_officer"], users["a_aux2"], None]
    people = [setup.save_person(session, user=cmd, data=PersonIn(
        name=f"值班员{i + 1}", unit_id=post_a.id, user_id=u.id if u else None,
        roles=["duty_officer"])) for i, u in enumerate(linked)]
    for shift in ("D", "N"):
        setup.add_demand(session, user=cmd, data=DemandIn(unit_id=post_a.id, shift_code=shift,
                                                          role_code="duty_officer", count=1))
    session.commit()
    return DutyWorld(command=command, post_a=post_a, post_b=post_b, police=police, army=army,
                     village=village, port=port, agent_org=agent_org, users=users,
                     people=people)


def roster(session: Session, w: DutyWorld, *, days: int = 7, partners=(), **rules) -> Roster:
    from bastion.duty.rosters import service

    made = service.create(session, user=w.users["cmd"], data=RosterIn(
        name="十二月第一周", start=START, days=days, unit_ids=[w.post_a.id], rules=rules,
        partner_agency_ids=[a.id for a in partners]))
    session.commit()
    return made


def rotation(session: Session, w: DutyWorld, r: Roster, *, status=RosterStatus.SOLVED
             ) -> list[Assignment]:
    """A valid plan without the solver: day i, D to person 2i mod 5, N to person 2i+1 mod 5."""
    rows = []
    for i in range(r.days):
        day = START + timedelta(days=i)
        for k, (code, begin, end) in enumerate((("D", "08:00", "20:00"),
                                                 ("N", "20:00", "08:00"))):
            starts, ends = po.shift_times(day, begin, end, ZONE)
            rows.append(Assignment(roster_id=r.id, day=day, shift_code=code,
                                   unit_id=w.post_a.id, role_code="duty_officer",
                                   person_id=w.people[(2 * i + k) % 5].id,
                                   starts_at=starts, ends_at=ends))
    session.add_all(rows)
    r.status, r.version = status, r.version + 1
    session.commit()
    return rows
