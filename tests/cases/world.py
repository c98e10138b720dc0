"""A small world for the cases tests: a port station with a duty team, customs, the maritime
safety administration, a land-border command with two posts, border police, a village
committee given a village linked to post A, and a shipping agency, with people of each; an
alert on a vessel whose open port call has a crew list.

Kinds of user: ``station_off`` (a team officer), ``station_sup``, ``customs``, ``msa``,
``cmd`` (the command's supervisor), ``post_a``/``post_b`` post officers, ``aux`` (post A's
auxiliary, a viewer), ``police``, ``village`` (a committee member, viewer), ``agent``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bastion.border.geo.models import BorderPlace, BorderPost, PlaceKind, PostVillage
from bastion.clearance.calls.models import CallParticipant, Declaration, PortCall, State
from bastion.core.marking import TLP, AreaAssignment, Distribution
from bastion.maritime.alerts import service as alerts
from bastion.maritime.tracks.models import Vessel
from bastion.org.models import Agency, AgencyKind, Role, User
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

API = "/api/v1/cases"
MMSI = 412440109


@dataclass
class World:
    agencies: dict[str, Agency]
    users: dict[str, User]
    alert_id: int
    call_id: int
    village_id: int
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, client, who: str) -> dict[str, str]:
        if who not in self.tokens:
            self.tokens[who] = api_token(client, self.users[who].username)
        return self.tokens[who]


def build(session: Session) -> World:
    a: dict[str, Agency] = {}
    a["station"] = make_agency(session, kind=AgencyKind.BORDER_INSPECTION, name="阳江边检站")
    a["team"] = make_agency(session, kind=AgencyKind.BORDER_INSPECTION_TEAM, parent=a["station"],
                            name="执勤一队")
    a["customs"] = make_agency(session, kind=AgencyKind.CUSTOMS, name="阳江海关")
    a["msa"] = make_agency(session, kind=AgencyKind.MARITIME_SAFETY, name="阳江海事局")
    a["command"] = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND, name="联防指挥部")
    a["post_a"] = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=a["command"],
                              name="平孟联防所")
    a["post_b"] = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=a["command"],
                              name="百南联防所")
    a["police"] = make_agency(session, kind=AgencyKind.BORDER_POLICE, name="边境管理大队")
    a["village"] = make_agency(session, kind=AgencyKind.VILLAGE_COMMITTEE, name="念井村委会")
    a["agent"] = make_agency(session, kind=AgencyKind.SHIPPING_AGENCY, name="外轮代理")
    people = {
        "station_off": ("team", Role.OFFICER), "station_sup": ("station", Role.SUPERVISOR),
        "customs": ("customs", Role.OFFICER), "msa": ("msa", Role.OFFICER),
        "cmd": ("command", Role.SUPERVISOR), "post_a": ("post_a", Role.OFFICER),
        "post_b": ("post_b", Role.OFFICER), "aux": ("post_a", Role.VIEWER),
        "police": ("police", Role.OFFICER), "village": ("village", Role.VIEWER),
        "agent": ("agent", Role.OFFICER)}
    users = {k: make_user(session, agency=a[g], role=r) for k, (g, r) in people.items()}

    # the vessel, its alert (the station's, AMBER to its own organisation), its open call
    session.add(Vessel(mmsi=MMSI, imo=9074729, name="XIN HAI 9"))
    start = datetime.now(UTC) - timedelta(hours=3)
    alert = alerts.apply_engine_event(
        session, owner=alerts.AlertOwner(org_id=a["station"].id, author_id=users["station_sup"].id,
                                         tlp=TLP.AMBER, distribution=Distribution.OWN),
        action="raised", alert={"id": "cases-1", "kind": "loitering", "mmsi": MMSI,
                                "start": start.isoformat(), "severity": "high",
                                "lat": 21.7, "lon": 111.9})
    call = PortCall(station_org_id=a["station"].id, agent_org_id=a["agent"].id,
                    created_by_id=users["agent"].id, vessel_name="XIN HAI 9", mmsi=MMSI,
                    imo=9074729, eta=datetime.now(UTC) + timedelta(days=1),
                    state=State.ARRIVAL_APPROVED)
    session.add(call)
    session.flush()
    session.add_all([CallParticipant(call_id=call.id, agency_id=a["station"].id),
                     CallParticipant(call_id=call.id, agency_id=a["customs"].id)])
    session.add(Declaration(call_id=call.id, form="crew", version=1, filename="crew.xlsx",
                            uploaded_by_id=users["agent"].id, rows=[
        {"no": "1", "family_name": "冯", "given_names": "俊杰", "rank": "船长",
         "nationality": "CHN"},
        {"no": "2", "family_name": "NGUYEN", "given_names": "VAN AN", "rank": "AB",
         "nationality": "VNM"}]))
    # the village committee's village, linked to post A
    owner = {"owner_org_id": a["command"].id, "created_by_id": users["cmd"].id,
             "tlp": TLP.GREEN, "distribution": Distribution.OWN}
    village = BorderPlace(kind=PlaceKind.VILLAGE, name="念井村", lon=105.95, lat=22.95,
                          properties={}, **owner)
    post = BorderPost(agency_id=a["post_a"].id, lon=105.96, lat=22.94, **owner)
    session.add_all([village, post])
    session.flush()
    session.add(PostVillage(post_id=post.id, place_id=village.id))
    session.add(AreaAssignment(agency_id=a["village"].id, area_kind="village",
                               area_id=village.id))
    session.commit()
    return World(agencies=a, users=users, alert_id=alert.id, call_id=call.id,
                 village_id=village.id)


def new_id() -> str:
    return str(uuid.uuid4())


def now_iso(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()
