"""A joint-defence command with two posts staffing a one-week roster, its partners and
outsiders, and the people of each kind the issue names: the planner (command supervisor), a
person on the roster (an auxiliary of post A), an auxiliary not on it (post B), a police
partner standing on it, a police officer of another station, the village committee and a
shipping agent.

Rosters and assignments are written straight as rows (the rosters room writes the services
in parallel): one published roster, one draft, each GREEN to the command's own organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bastion.core.marking import TLP, Distribution
from bastion.duty.rosters.models import (
    Assignment,
    DutyPerson,
    DutyRole,
    Roster,
    RosterStatus,
    ShiftTemplate,
)
from bastion.org.models import Agency, AgencyKind, Role, User
from bastion.org.sharing import MarkingIn, apply_marking
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

HOME = ZoneInfo("Asia/Shanghai")
SHIFTS = {"D": ("08:00", "20:00"), "N": ("20:00", "08:00")}


def first_monday_of_next_month(today: date | None = None) -> date:
    today = today or datetime.now(HOME).date()
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def times(day: date, shift: str) -> tuple[datetime, datetime]:
    start_s, end_s = SHIFTS[shift]
    start = datetime.combine(day, time.fromisoformat(start_s), tzinfo=HOME)
    end = datetime.combine(day, time.fromisoformat(end_s), tzinfo=HOME)
    if end <= start:
        end += timedelta(days=1)
    return start.astimezone(UTC), end.astimezone(UTC)


@dataclass
class DutyWorld:
    command: Agency
    post_a: Agency
    post_b: Agency
    police: Agency
    users: dict[str, User]
    people: dict[str, DutyPerson]
    published: Roster
    draft: Roster
    start: date
    assignments: dict[str, list[Assignment]] = field(default_factory=dict)
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, client, who: str) -> dict[str, str]:
        if who not in self.tokens:
            self.tokens[who] = api_token(client, self.users[who].username)
        return self.tokens[who]


def _roster(session: Session, *, name: str, command: Agency, author: User, start: date,
            status: RosterStatus, units: list[Agency]) -> Roster:
    roster = Roster(name=name, start=start, days=7, unit_ids=[u.id for u in units],
                    status=status, owner_org_id=command.id, created_by_id=author.id,
                    published_at=datetime.now(UTC) if status == RosterStatus.PUBLISHED
                    else None, published_by_id=author.id if status == RosterStatus.PUBLISHED
                    else None, version=1)
    session.add(roster)
    session.flush()
    apply_marking(session, roster, MarkingIn(tlp=TLP.GREEN, distribution=Distribution.OWN))
    return roster


def assign(session: Session, roster: Roster, person: DutyPerson, day: date, shift: str,
           role: str, *, pinned: bool = False) -> Assignment:
    starts, ends = times(day, shift)
    row = Assignment(roster_id=roster.id, day=day, shift_code=shift, unit_id=person.unit_id,
                     role_code=role, person_id=person.id, starts_at=starts, ends_at=ends,
                     pinned=pinned)
    session.add(row)
    session.flush()
    return row


def build(session: Session, *, start: date | None = None) -> DutyWorld:
    command = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND, name="东兴联防指挥部")
    command.name_en = "Dongxing Joint Defence Command"
    post_a = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=command,
                         name="竹山联防所")
    post_a.name_en = "Zhushan Post"
    post_b = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=command,
                         name="江平联防所")
    post_b.name_en = "Jiangping Post"
    police = make_agency(session, kind=AgencyKind.BORDER_POLICE, name="边境派出所")
    police_2 = make_agency(session, kind=AgencyKind.BORDER_POLICE, name="另一个派出所")
    village = make_agency(session, kind=AgencyKind.VILLAGE_COMMITTEE, name="竹山村委会")
    agent_org = make_agency(session, kind=AgencyKind.SHIPPING_AGENCY, name="船代公司")
    kinds = {
        "planner": (command, Role.SUPERVISOR), "cmd_viewer": (command, Role.VIEWER),
        "aux_on": (post_a, Role.VIEWER), "aux_off": (post_b, Role.VIEWER),
        "police": (police, Role.OFFICER), "police_2": (police_2, Role.OFFICER),
        "village": (village, Role.VIEWER), "agent": (agent_org, Role.OFFICER),
    }
    users = {k: make_user(session, agency=a, role=r, username=f"duty.{k}")
             for k, (a, r) in kinds.items()}
    users["aux_on"].language = "zh-CN"
    for code, zh, en, leads in (("leader", "值班领导", "Duty leader", True),
                                ("officer", "值班员", "Duty officer", False)):
        session.add(DutyRole(org_id=command.id, code=code, name_zh=zh, name_en=en, leads=leads))
    for code, (s, e) in SHIFTS.items():
        session.add(ShiftTemplate(org_id=command.id, code=code,
                                  name={"D": "白班", "N": "夜班"}[code], start=s, end=e))
    person = {
        "he": DutyPerson(org_id=command.id, unit_id=post_a.id, user_id=users["aux_on"].id,
                         name="何辅警", roles=["officer"]),
        "wei": DutyPerson(org_id=command.id, unit_id=post_a.id, user_id=users["police"].id,
                          name="韦警官", roles=["leader", "officer"]),
        "lu": DutyPerson(org_id=command.id, unit_id=post_a.id, name="陆辅警",
                         roles=["officer"]),
        "wang": DutyPerson(org_id=command.id, unit_id=post_b.id, name="=HYPERLINK(\"x\")",
                           roles=["officer", "leader"]),
    }
    session.add_all(person.values())
    session.flush()
    start = start or first_monday_of_next_month()
    published = _roster(session, name="竹山 2026 duty", command=command,
                        author=users["planner"], start=start,
                        status=RosterStatus.PUBLISHED, units=[post_a, post_b])
    draft = _roster(session, name="Next draft", command=command, author=users["planner"],
                    start=start + timedelta(days=7), status=RosterStatus.SOLVED,
                    units=[post_a, post_b])
    world = DutyWorld(command=command, post_a=post_a, post_b=post_b, police=police,
                      users=users, people=person, published=published, draft=draft,
                      start=start)
    mine = []
    for i in range(7):
        day = start + timedelta(days=i)
        # He (the auxiliary) on days 0, 2, 4 (day shift); Lu on the others; Wei leads nights
        he_on = i % 2 == 0 and i < 6
        row = assign(session, published, person["he"] if he_on else person["lu"], day, "D",
                     "officer", pinned=i == 0)
        if he_on:
            mine.append(row)
        assign(session, published, person["wei"], day, "N", "leader")
        assign(session, published, person["wang"], day, "D", "officer")
    world.assignments["he"] = mine
    world.assignments["draft_he"] = [
        assign(session, draft, person["he"], start + timedelta(days=7), "D", "officer")]
    session.commit()
    return world
