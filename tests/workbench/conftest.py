"""A station's day for the workbench: a call due in three hours with a wanted master aboard
(same passport: "stop" on the station's own list), a medical emergency, a high alert on the
vessel; customs takes part; a village committee and the agent look in from outside."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bastion.core.db import utcnow
from bastion.org.models import AgencyKind, Role
from tests.clearance.calls.conftest import CREW, station, two_agents  # noqa: F401  (fixtures)
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

MMSI, IMO = 412440102, 9300013
WANG = "WANG Xiaoming · C2"


def high_alert(session, world, mmsi: int = MMSI, key: str = "wb-1"):
    from bastion.maritime.alerts import service as alerts

    row = alerts.apply_engine_event(
        session, owner=alerts.AlertOwner(org_id=world.a.id, author_id=world.author.id),
        action="opened", alert={"id": key, "kind": "loitering", "mmsi": mmsi,
                                "start": utcnow() - timedelta(hours=1), "severity": "high",
                                "score": 80, "lat": 21.7, "lon": 111.9})
    session.commit()
    return row


@pytest.fixture
def day(client, session, world, station):  # noqa: F811
    customs = make_agency(session, code="CUS-1", kind=AgencyKind.CUSTOMS)
    make_user(session, agency=customs, role=Role.OFFICER, username="cus.officer")
    village = make_agency(session, code="VC-9", kind=AgencyKind.VILLAGE_COMMITTEE)
    make_user(session, agency=village, role=Role.VIEWER, username="village.viewer")
    session.commit()
    supervisor = station["supervisor"]
    wanted = client.post("/api/v1/watchlists", headers=supervisor, json={
        "name": "wanted", "tlp": "amber+strict", "distribution": "own"}).json()
    entry = client.post(f"/api/v1/watchlists/{wanted['id']}/entries", headers=supervisor, json={
        "source_id": "W-1", "type": "person", "name": "王小明", "birth_date": "1975-03-02",
        "nationality": "CHN", "document_number": "E12345678"})
    assert entry.status_code == 201, entry.text
    agent = station["agent"]
    eta = (utcnow() + timedelta(hours=3)).isoformat()
    call = client.post("/api/v1/port-calls", headers=agent, json={
        "station_id": world.a.id, "participant_ids": [customs.id], "vessel_name": "MIN XING 8",
        "imo": IMO, "mmsi": MMSI, "callsign": "BVAA2", "flag": "CHN", "draught_m": 5.6,
        "terminal": "COAL", "eta": eta}).json()
    crew = client.post(f"/api/v1/port-calls/{call['id']}/declarations/crew/rows", headers=agent,
                       json={"rows": CREW})
    assert crew.status_code == 201, crew.text
    assert client.post(f"/api/v1/port-calls/{call['id']}/actions/submit",
                       headers=agent).status_code == 200
    emergency = client.post(f"/api/v1/port-calls/{call['id']}/green-channel", headers=agent,
                            json={"kind": "medical", "reason": "crushed hand",
                                  "persons": [{"name": "CHEN Bo"}]})
    assert emergency.status_code == 201, emergency.text
    alert = high_alert(session, world)
    return {"call": call["id"], "case": emergency.json()["id"], "alert": alert.id,
            "customs": customs}


@pytest.fixture
def tokens(client, day):
    return {name: api_token(client, username) for name, username in (
        ("officer", "a1.officer"), ("supervisor", "a.super"), ("viewer", "a.viewer"),
        ("customs", "cus.officer"), ("agent", "agent.one"), ("village", "village.viewer"))}
