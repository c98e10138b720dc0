"""A small world for the hotline and statistics tests: a port station with two duty teams, a
land-border command with two posts, and the partners and outsiders, with people of each.

Kinds of user (as the demo's): ``station_off`` a team officer (li.officer), ``t2_off`` an
officer of the other team, ``station_sup`` the station's supervisor (chen.supervisor),
``cmd_off``/``cmd_sup`` the command's officer and supervisor (huang.command), ``post_a``/
``post_b`` post officers, ``aux`` a post's auxiliary (viewer), ``police``, ``village``,
``agent`` (a shipping agency).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bastion.org.models import Agency, AgencyKind, Role, User
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

API = "/api/v1/duty/hotline"


@dataclass
class World:
    station: Agency
    team1: Agency
    team2: Agency
    command: Agency
    post_a: Agency
    post_b: Agency
    police: Agency
    village: Agency
    agent_org: Agency
    users: dict[str, User]
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, client, who: str) -> dict[str, str]:
        if who not in self.tokens:
            self.tokens[who] = api_token(client, self.users[who].username)
        return self.tokens[who]


def build(session: Session) -> World:
    station = make_agency(session, kind=AgencyKind.BORDER_INSPECTION, name="阳江边检站")
    team1 = make_agency(session, kind=AgencyKind.BORDER_INSPECTION_TEAM, parent=station,
                        name="执勤一队")
    team2 = make_agency(session, kind=AgencyKind.BORDER_INSPECTION_TEAM, parent=station,
                        name="执勤二队")
    command = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND, name="联防指挥部")
    post_a = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=command,
                         name="平孟联防所")
    post_b = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=command,
                         name="百南联防所")
    police = make_agency(session, kind=AgencyKind.BORDER_POLICE, name="边境管理大队")
    village = make_agency(session, kind=AgencyKind.VILLAGE_COMMITTEE, name="念井村委会")
    agent_org = make_agency(session, kind=AgencyKind.SHIPPING_AGENCY, name="外轮代理")
    people = {
        "station_sup": (station, Role.SUPERVISOR), "station_off": (team1, Role.OFFICER),
        "t1_viewer": (team1, Role.VIEWER), "t2_off": (team2, Role.OFFICER),
        "cmd_off": (command, Role.OFFICER), "cmd_sup": (command, Role.SUPERVISOR),
        "post_a": (post_a, Role.OFFICER), "post_b": (post_b, Role.OFFICER),
        "aux": (post_a, Role.VIEWER), "police": (police, Role.OFFICER),
        "village": (village, Role.VIEWER), "agent": (agent_org, Role.OFFICER),
    }
    users = {k: make_user(session, agency=a, role=r) for k, (a, r) in people.items()}
    session.commit()
    return World(station=station, team1=team1, team2=team2, command=command, post_a=post_a,
                 post_b=post_b, police=police, village=village, agent_org=agent_org,
                 users=users)


def new_id() -> str:
    return str(uuid.uuid4())


def ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


def call_body(**extra) -> dict:
    return {"received_at": ago(minutes=5), "language": "vi", "kind": "emergency",
            "caller_name": "NGUYEN VAN A", "caller_number": "+84 912 345 678",
            "summary": "Thuyền viên bị thương trên tàu ở neo đậu số 3", **extra}
