"""A small world for the hazards tests: a land-border command with two posts, its partners
(border police, army), a village committee, a port station and a shipping agent.

Kinds of user: ``cmd`` the command's officer (triages, orders, verifies), ``cmd_viewer``,
``post_a``/``post_b`` post officers, ``aux`` a post-A auxiliary (viewer), ``police``,
``army``, ``village`` (a village committee viewer), ``station`` (a port station officer),
``agent`` (a shipping agency).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from bastion.org.models import Agency, AgencyKind, Role, User
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

API = "/api/v1/hazards"
PINGMENG = [105.95, 22.97]


@dataclass
class World:
    command: Agency
    post_a: Agency
    post_b: Agency
    village: Agency
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
    police = make_agency(session, kind=AgencyKind.BORDER_POLICE, name="边境管理大队")
    army = make_agency(session, kind=AgencyKind.ARMY, name="边防连")
    village = make_agency(session, kind=AgencyKind.VILLAGE_COMMITTEE, name="念井村委会")
    station = make_agency(session, kind=AgencyKind.BORDER_INSPECTION, name="边检站")
    agent_org = make_agency(session, kind=AgencyKind.SHIPPING_AGENCY, name="外轮代理")
    people = {
        "cmd": (command, Role.OFFICER), "cmd_viewer": (command, Role.VIEWER),
        "post_a": (post_a, Role.OFFICER), "post_b": (post_b, Role.OFFICER),
        "aux": (post_a, Role.VIEWER), "police": (police, Role.OFFICER),
        "army": (army, Role.OFFICER), "village": (village, Role.VIEWER),
        "village2": (village, Role.VIEWER),
        "station": (station, Role.OFFICER), "agent": (agent_org, Role.OFFICER),
    }
    users = {k: make_user(session, agency=a, role=r) for k, (a, r) in people.items()}
    stock(session, users["cmd"], post_a)
    session.commit()
    return World(command=command, post_a=post_a, post_b=post_b, village=village, users=users)


# What a post's store holds for the work orders the tests issue: supplies answers
# hazards.materials_drawn by issuing from the post's store, and refuses an order whole for an
# item it does not hold (tests/hazards/test_materials.py).
MATERIALS = (("MAT-GRAVEL", "碎石", "m³", 100), ("MAT-CEMENT", "水泥", "袋", 100),
             ("MAT-MESH", "护栏网片", "片", 50))


def stock(session: Session, command_officer, post) -> None:
    from datetime import date

    from bastion.supplies import catalogue, receipts
    from bastion.supplies.models import Category
    from bastion.supplies.schemas import ItemIn, ReceiptIn, ReceiptLineIn

    for code, name, unit, _n in MATERIALS:
        catalogue.create_item(session, user=command_officer, data=ItemIn(
            code=code, name=name, category=Category.MATERIAL, unit=unit))
    receipts.create(session, user=command_officer, data=ReceiptIn(
        agency_id=post.id, received_on=date.today(), project="边境基础设施项目",
        funder="县财政局", lines=[ReceiptLineIn(item_code=c, quantity=n, unit_price=10)
                                 for c, _name, _unit, n in MATERIALS]))


def new_id() -> str:
    return str(uuid.uuid4())


def body(**extra) -> dict:
    return {"category": "road", "note": "暴雨冲毁巡逻道约300米", "marker": "1047",
            "geometry": {"type": "LineString", "coordinates": [PINGMENG, [105.953, 22.972]]},
            **extra}


def report(client, w: World, who: str = "post_a", **extra) -> dict:
    got = client.post(API, json=body(**extra), headers=w.headers(client, who))
    assert got.status_code == 201, got.text
    return got.json()


def act(client, w: World, hazard_id: int, who: str, **data):
    return client.post(f"{API}/{hazard_id}/actions", json=data, headers=w.headers(client, who))


def through(client, w: World, hazard_id: int, *, to: str, quantity: float = 0.3,
            assignee=None, done_on: date | None = None) -> dict:
    """Move a hazard along the workflow to ``to`` (triaged, ordered, done, verified)."""
    steps = ["triage", "order", "complete", "verify"]
    stop = {"triaged": 1, "ordered": 2, "done": 3, "verified": 4}[to]
    last = None
    for step in steps[:stop]:
        data: dict = {"action": step}
        who = "cmd"
        if step == "order":
            data.update(assignee_agency_id=(assignee or w.post_a).id,
                        due_on=(datetime.now(UTC).date() + timedelta(days=7)).isoformat())
        if step == "complete":
            who = "post_a" if (assignee or w.post_a).id == w.post_a.id else "post_b"
            data.update(quantity=quantity)
            if done_on:
                data["done_on"] = done_on.isoformat()
        last = act(client, w, hazard_id, who, **data)
        assert last.status_code == 200, (step, last.text)
    return last.json() if last else {}


def field_of(response) -> str:
    """The field a 422 names: the last part of the first error's location (``materials`` for
    a line of materials)."""
    detail = response.json()["detail"]
    loc = [str(p) for p in detail[0]["loc"][1:]]
    return ".".join(loc)
