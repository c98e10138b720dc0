"""A small duty world for the duty-log tests: the Napo-like command with two posts, partners
(police, army), a village committee, a shipping agent, and a port station, with the people of
each; and a published roster written straight as rows (the roster room builds them through
its services, tested on their own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from bastion.duty.rosters.models import (
    Assignment,
    DutyPerson,
    DutyRole,
    Roster,
    RosterStatus,
)
from bastion.org.models import Agency, AgencyKind, Role, User
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token


@dataclass
class DutyWorld:
    command: Agency
    post_a: Agency
    post_b: Agency
    police: Agency
    village: Agency
    agent_org: Agency
    station: Agency
    users: dict[str, User]
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
    police = make_agency(session, kind=AgencyKind.BORDER_POLICE, name="边境管理大队")
    village = make_agency(session, kind=AgencyKind.VILLAGE_COMMITTEE, name="念井村委会")
    agent_org = make_agency(session, kind=AgencyKind.SHIPPING_AGENCY, name="船代公司")
    station = make_agency(session, kind=AgencyKind.BORDER_INSPECTION, name="边检站")
    people = {
        "cmd": (command, Role.SUPERVISOR),  # huang.command
        "cmd_officer": (command, Role.OFFICER),
        "a_officer": (post_a, Role.OFFICER), "a_officer2": (post_a, Role.OFFICER),
        "a_aux": (post_a, Role.VIEWER), "a_super": (post_a, Role.SUPERVISOR),
        "b_officer": (post_b, Role.OFFICER), "b_aux": (post_b, Role.VIEWER),
        "police": (police, Role.OFFICER), "village": (village, Role.VIEWER),
        "agent": (agent_org, Role.OFFICER), "station": (station, Role.OFFICER),
    }
    users = {k: make_user(session, agency=a, role=r) for k, (a, r) in people.items()}
    session.commit()
    return DutyWorld(command=command, post_a=post_a, post_b=post_b, police=police,
                     village=village, agent_org=agent_org, station=station, users=users)


@dataclass
class Published:
    roster: Roster
    leader: Assignment
    officer: Assignment
    leader_person: DutyPerson
    officer_person: DutyPerson


def publish_now(session: Session, w: DutyWorld, *, start: datetime, hours: int = 12,
                leader_user: User | None = None, officer_user: User | None = None,
                status: RosterStatus = RosterStatus.PUBLISHED) -> Published:
    """A roster of the command, published, with a duty leader and an online duty officer (who
    checks in) at post A on one shift starting at ``start``."""
    org = w.command
    for code, zh, en, leads, checks in (("leader", "值班领导", "Duty leader", True, False),
                                        ("online", "线上值守员", "Online duty officer", False,
                                         True)):
        if session.query(DutyRole).filter_by(org_id=org.id, code=code).first() is None:
            session.add(DutyRole(org_id=org.id, code=code, name_zh=zh, name_en=en, leads=leads,
                                 checks_in=checks))
    leader_user = leader_user or w.users["a_super"]
    officer_user = officer_user or w.users["a_officer"]
    lp = DutyPerson(org_id=org.id, unit_id=w.post_a.id, user_id=leader_user.id,
                    name=leader_user.display_name, roles=["leader"])
    op = DutyPerson(org_id=org.id, unit_id=w.post_a.id, user_id=officer_user.id,
                    name=officer_user.display_name, roles=["online"])
    roster = Roster(name="测试排班", start=start.date(), days=1, unit_ids=[w.post_a.id],
                    status=status, owner_org_id=org.id, created_by_id=w.users["cmd"].id,
                    published_at=start if status == RosterStatus.PUBLISHED else None)
    session.add_all([lp, op, roster])
    session.flush()
    end = start + timedelta(hours=hours)
    day: date = start.date()
    leader = Assignment(roster_id=roster.id, day=day, shift_code="D", unit_id=w.post_a.id,
                        role_code="leader", person_id=lp.id, starts_at=start, ends_at=end)
    officer = Assignment(roster_id=roster.id, day=day, shift_code="D", unit_id=w.post_a.id,
                         role_code="online", person_id=op.id, starts_at=start, ends_at=end)
    session.add_all([leader, officer])
    session.commit()
    return Published(roster, leader, officer, lp, op)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
