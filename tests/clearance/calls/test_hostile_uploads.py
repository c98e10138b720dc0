"""Hostile crew lists over the API: each bomb is a 422 naming the limit it broke, an oversized
file a 413, and nothing is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bastion.clearance.calls import api
from bastion.clearance.calls.models import Declaration
from bastion.org.models import AgencyKind, Role
from tests import bombs
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

CALL = {"vessel_name": "MIN XING 8", "imo": 9300013, "mmsi": 412440102, "flag": "CHN",
        "voyage_number": "V2611", "previous_port": "VNHPH", "eta": "2026-12-01T06:00:00+08:00",
        "etd": "2026-12-02T18:00:00+08:00"}


@pytest.fixture
def call(client, session, world):
    agency = make_agency(session, code="AGT-1", kind=AgencyKind.SHIPPING_AGENCY)
    make_user(session, agency=agency, role=Role.OFFICER, username="agent.one")
    session.commit()
    headers = api_token(client, "agent.one")
    made = client.post("/api/v1/port-calls", headers=headers, json={
        **CALL, "station_id": world.a.id, "participant_ids": [world.b.id]})
    assert made.status_code == 201, made.text
    return made.json()["id"], headers


@pytest.mark.parametrize("name", sorted(bombs.BOMBS))
def test_a_bomb_crew_list_is_refused_naming_the_limit(client, session, call, name):
    call_id, headers = call
    _build, filename, code = bombs.BOMBS[name]
    refused = client.post(f"/api/v1/port-calls/{call_id}/declarations/crew", headers=headers,
                          files={"file": (filename, bombs.build(name))})
    assert refused.status_code == 422, refused.text
    assert [e["code"] for e in refused.json()["errors"]] == [code]
    assert session.scalar(select(func.count(Declaration.id))) == 0


def test_an_oversized_crew_list_is_413_naming_the_limit(client, session, call):
    call_id, headers = call
    refused = client.post(f"/api/v1/port-calls/{call_id}/declarations/crew", headers=headers,
                          files={"file": ("crew.csv", b"a," * (api.MAX_UPLOAD // 2 + 1))})
    assert refused.status_code == 413, refused.text
    assert refused.json()["code"] == "too_large" and "20 MB" in refused.json()["detail"]
    assert session.scalar(select(func.count(Declaration.id))) == 0


@pytest.mark.parametrize("name", ["far_cell", "deflate_bomb", "giant_line"])
def test_a_bomb_uploaded_on_the_call_page_is_422_naming_the_limit(client, session, call, name):
    from tests.web_helpers import login

    call_id, _headers = call
    token = login(client, "agent.one")
    _build, filename, code = bombs.BOMBS[name]
    page = client.post(f"/clearance/{call_id}/upload", data={"csrf_token": token, "form": "crew"},
                       files={"file": (filename, bombs.build(name))})
    assert page.status_code == 422, page.text[:500]
    assert code in page.text
    assert session.scalar(select(func.count(Declaration.id))) == 0
