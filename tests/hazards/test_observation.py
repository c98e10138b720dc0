"""A patrol observation becomes a hazard: border's service hands over the observation (ids
and plain values), the hazard keeps ``observation_id``, takes the place, post, segment and a
category from the observation's, and an observation becomes one hazard only. The patrol's
page offers "Report as hazard" to those who may report."""

from __future__ import annotations

import pytest

from tests.border.patrols.field_world import at, build, new_id
from tests.web_helpers import login

PATROLS = "/api/v1/patrols"
API = "/api/v1/hazards"


@pytest.fixture
def w(session):
    return build(session)


def observation(client, w, code="damaged_fence"):
    body = {"op_id": new_id(), "patrol_id": new_id(), "segment_id": w.seg_a.id,
            "transport": "foot", "device_at": at("2026-12-07T09:00:00"), "lon": 107.91,
            "lat": 21.605}
    started = client.post(f"{PATROLS}/field/start", json=body, headers=w.headers(client, "a_aux"))
    assert started.status_code == 201, started.text
    patrol = started.json()["patrol"]
    attributes = ({"marker_number": "1341", "length_m": 12.5, "severity": "breach"}
                  if code == "damaged_fence" else {"signs": ["footprints"]})
    made = client.post(f"{PATROLS}/field/{patrol['client_id']}/observations", json={
        "client_id": new_id(), "category_code": code, "attributes": attributes,
        "note": "护栏被剪断", "device_at": at("2026-12-07T09:40:00"), "lon": 107.94,
        "lat": 21.618}, headers=w.headers(client, "a_aux"))
    assert made.status_code == 201, made.text
    return patrol, made.json()


def test_an_observation_becomes_one_hazard(client, session, w):
    _patrol, ob = observation(client, w)
    draft = client.get(f"{API}/from-observation/{ob['id']}", headers=w.headers(client, "cmd"))
    assert draft.status_code == 200, draft.text
    assert draft.json()["category"] == "fence" and draft.json()["hazard_id"] is None
    assert draft.json()["post_agency_id"] == w.post_a.id
    made = client.post(API, json={"category": "fence", "observation_id": ob["id"],
                                  "note": ob["note"]}, headers=w.headers(client, "a_aux"))
    assert made.status_code == 201, made.text
    h = made.json()
    assert h["observation_id"] == ob["id"] and h["post_agency_id"] == w.post_a.id
    assert h["geometry"] == {"type": "Point", "coordinates": [107.94, 21.618]}
    assert h["segment_id"] == w.seg_a.id and h["owner_org_id"] == w.command.id
    again = client.post(API, json={"category": "fence", "observation_id": ob["id"]},
                        headers=w.headers(client, "cmd"))
    assert again.status_code == 200 and again.json()["id"] == h["id"]
    assert client.get(f"{API}/from-observation/{ob['id']}",
                      headers=w.headers(client, "cmd")).json()["hazard_id"] == h["id"]


def test_who_may_take_an_observation(client, w):
    _patrol, ob = observation(client, w)
    # post B does not see post A's segment's patrols: the observation is not there for it
    got = client.post(API, json={"category": "fence", "observation_id": ob["id"]},
                      headers=w.headers(client, "b_officer"))
    assert got.status_code == 422 and got.json()["detail"][0]["loc"][-1] == "observation_id"
    assert client.get(f"{API}/from-observation/{ob['id']}",
                      headers=w.headers(client, "b_officer")).status_code == 404
    for who in ("port", "agent", "police"):
        assert client.get(f"{API}/from-observation/{ob['id']}",
                          headers=w.headers(client, who)).status_code == 403, who


def test_the_patrol_page_offers_report_as_hazard(client, session, w):
    patrol, ob = observation(client, w, code="smuggling_trail")
    login(client, w.users["cmd"].username)
    page = client.get(f"/border/patrols/{patrol['id']}")
    assert page.status_code == 200
    assert f'href="/hazards/new?observation_id={ob["id"]}"' in page.text
    form = client.get(f"/hazards/new?observation_id={ob['id']}")
    assert form.status_code == 200 and 'id="from-observation"' in form.text
    assert 'value="smuggling_trail" selected' in form.text
    login(client, w.users["police"].username)  # reads patrols, reports no hazard
    assert "observation_id=" not in client.get(f"/border/patrols/{patrol['id']}").text
