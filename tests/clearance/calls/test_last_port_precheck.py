"""The pre-check reads the last port from the vessel's stored AIS track, not only the papers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bastion.core.db import utcnow
from bastion.maritime.tracks.models import Position
from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

MMSI = 477123400


@pytest.fixture
def track(session, world):
    """Six hours moored at Kwai Chung (Hong Kong) two days ago, then under way westwards."""
    agency = make_agency(session, code="AGT-1", kind=AgencyKind.SHIPPING_AGENCY)
    make_user(session, agency=agency, role=Role.OFFICER, username="agent.one")
    start = utcnow() - timedelta(days=2)
    fixes = [Position(mmsi=MMSI, at=start + timedelta(minutes=10 * i), lat=22.3405, lon=114.1205,
                      speed=0.1, status=5) for i in range(37)]
    fixes += [Position(mmsi=MMSI, at=start + timedelta(hours=6, minutes=10 * i),
                       lat=22.30 - 0.01 * i, lon=114.05 - 0.05 * i, speed=12.0, status=0)
              for i in range(1, 40)]
    session.add_all(fixes)
    session.commit()


def _reasons(client, world, previous_port):
    headers = api_token(client, "agent.one")
    call = client.post("/api/v1/port-calls", headers=headers, json={
        "station_id": world.a.id, "vessel_name": "HAI XING 6", "mmsi": MMSI, "port": "CNYJI",
        "previous_port": previous_port, "eta": (utcnow() + timedelta(days=1)).isoformat()}).json()
    client.post(f"/api/v1/port-calls/{call['id']}/actions/submit", headers=headers)
    done = client.get(f"/api/v1/port-calls/{call['id']}",
                      headers=api_token(client, "a1.officer")).json()
    return {rule: text for rule, text in done["precheck"]["reasons"]}


def test_a_declared_last_port_the_track_never_visited_is_a_reason(client, world, track):
    reasons = _reasons(client, world, "VNHPH")
    assert "last_port_mismatch" in reasons
    assert "VNHPH" in reasons["last_port_mismatch"] and "HK" in reasons["last_port_mismatch"]


def test_the_harbour_the_track_stopped_in_is_no_reason(client, world, track):
    assert "last_port_mismatch" not in _reasons(client, world, "HKHKG")
