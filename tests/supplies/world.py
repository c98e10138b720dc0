"""A small world for supplies: a land-border command with two posts, and the partners and
outsiders, with people of each kind (as the demo's: ``cmd_off`` huang.command, ``post_a``
nong.post, ``aux`` an auxiliary of post A who is a viewer), and a catalogue with stock."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bastion.org.models import Agency, AgencyKind, Role, User
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

API = "/api/v1/supplies"


@dataclass
class World:
    command: Agency
    post_a: Agency
    post_b: Agency
    station: Agency
    users: dict[str, User]
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, client, who: str) -> dict[str, str]:
        if who not in self.tokens:
            self.tokens[who] = api_token(client, self.users[who].username)
        return self.tokens[who]


def build(session: Session) -> World:
    command = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND, name="联防指挥部")
    post_a = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=command,
                         name="平孟联防所")
    post_b = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=command,
                         name="百南联防所")
    other_command = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND, name="另一指挥部")
    station = make_agency(session, kind=AgencyKind.BORDER_INSPECTION, name="边检站")
    police = make_agency(session, kind=AgencyKind.BORDER_POLICE, name="边境管理大队")
    army = make_agency(session, kind=AgencyKind.ARMY, name="边防连")
    village = make_agency(session, kind=AgencyKind.VILLAGE_COMMITTEE, name="念井村委会")
    agent_org = make_agency(session, kind=AgencyKind.SHIPPING_AGENCY, name="外轮代理")
    people = {
        "cmd_off": (command, Role.OFFICER), "cmd_viewer": (command, Role.VIEWER),
        "post_a": (post_a, Role.OFFICER), "post_b": (post_b, Role.OFFICER),
        "aux": (post_a, Role.VIEWER), "aux2": (post_a, Role.VIEWER),
        "other_cmd": (other_command, Role.SUPERVISOR),
        "station": (station, Role.OFFICER), "police": (police, Role.OFFICER),
        "army": (army, Role.OFFICER), "village": (village, Role.VIEWER),
        "agent": (agent_org, Role.OFFICER),
    }
    users = {k: make_user(session, agency=a, role=r) for k, (a, r) in people.items()}
    session.commit()
    return World(command=command, post_a=post_a, post_b=post_b, station=station, users=users)


def new_id() -> str:
    return str(uuid.uuid4())


ITEMS = [
    {"code": "VEH-TRI", "name": "电动三轮车", "name_en": "Electric tricycle",
     "category": "vehicle", "unit": "辆", "tracked": True},
    {"code": "UNI-WINTER", "name": "冬季执勤服", "name_en": "Winter duty uniform",
     "category": "uniform", "unit": "套"},
    {"code": "MAT-CEMENT", "name": "水泥", "name_en": "Cement", "category": "material",
     "unit": "袋"},
]


def stock_up(client, w: World) -> None:
    """The catalogue, 2 tricycles into post A, 10 uniforms and 20 bags of cement into post A."""
    h = w.headers(client, "cmd_off")
    for item in ITEMS:
        assert client.post(f"{API}/items", json=item, headers=h).status_code == 201
    got = client.post(f"{API}/receipts", headers=h, json={
        "agency_id": w.post_a.id, "received_on": "2026-03-01", "project": "边境基础设施项目",
        "funder": "县财政局", "lines": [
            {"item_code": "VEH-TRI", "quantity": 2, "unit_price": "6800.00",
             "serials": ["TRI-001", "TRI-002"]},
            {"item_code": "UNI-WINTER", "quantity": 10, "unit_price": 300},
            {"item_code": "MAT-CEMENT", "quantity": 20, "unit_price": "25.5"}]})
    assert got.status_code == 201, got.text


def on_hand(client, w: World, who: str, code: str, agency: Agency) -> int:
    rows = client.get(f"{API}/stock", params={"agency_id": agency.id},
                      headers=w.headers(client, who)).json()["items"]
    return next((r["quantity"] for r in rows if r["item_code"] == code), 0)
