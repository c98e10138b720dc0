"""Two unrelated stations: each sees its own emergencies, vessels, shelter zones and register,
and nothing of the other's (a 404, never a 403, and nothing in any list or on the live
stream); a partner must be named by the emergency, and a partner that does not exist is a 422
naming the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bastion.core.bus import Event
from bastion.core.events import may_see
from bastion.emergencies.models import Emergency, EmergencyVessel
from bastion.org.models import User
from tests.emergencies.conftest import AREA, FISHING_ZONE
from tests.web_helpers import api_token, login


def _open(client, headers, name: str, **extra) -> int:
    made = client.post("/api/v1/emergencies", headers=headers, json={
        "name": name, "level": "III", "phase": "warning", "area": AREA,
        "landfall_at": (datetime.now(UTC) + timedelta(hours=30)).isoformat(), **extra})
    assert made.status_code == 201, made.text
    return made.json()["id"]


def _live(kind: str, record_id: int) -> Event:
    return Event(id=1, kind="emergency.changed", at=datetime.now(UTC), record_kind=kind,
                 record_id=record_id)


def test_an_unrelated_station_sees_nothing_of_another_stations_emergency(client, session,
                                                                          world, scene):
    mine = api_token(client, "a.super")
    zone = client.post("/api/v1/emergencies/shelter-zones", headers=mine, json={
        "name": "Zhapo fishing shelter", "vessel_class": "fishing", "area": FISHING_ZONE})
    assert zone.status_code == 201, zone.text
    boat = client.post("/api/v1/emergencies/register", headers=mine, json={
        "registration": "YJ-F-001", "name": "Yue Yang Yu 1", "vessel_class": "fishing",
        "owner_name": "Chen", "owner_phone": "13800000001", "crew": 9, "lat": 21.58,
        "lon": 111.82})
    assert boat.status_code == 201, boat.text
    eid = _open(client, mine, "Typhoon at station A", partner_agency_ids=scene.partners)
    assert client.post(f"/api/v1/emergencies/{eid}/gather", headers=mine).json()["added"] == 1
    vessel = client.get(f"/api/v1/emergencies/{eid}/vessels", headers=mine).json()["items"][0]
    assert vessel["shelter_zone_id"] == zone.json()["id"]
    vid = vessel["id"]

    other = api_token(client, "s2.super")
    # every lookup is a 404: the emergency, its vessels, its counts, its writes
    assert client.get(f"/api/v1/emergencies/{eid}", headers=other).status_code == 404
    assert client.get(f"/api/v1/emergencies/{eid}/vessels", headers=other).status_code == 404
    assert client.get(f"/api/v1/emergencies/{eid}/counts", headers=other).status_code == 404
    assert client.post(f"/api/v1/emergencies/{eid}/phase", headers=other,
                       json={"phase": "all_clear"}).status_code == 404
    assert client.post(f"/api/v1/emergencies/{eid}/gather", headers=other).status_code == 404
    assert client.post(f"/api/v1/emergencies/{eid}/notify", headers=other).status_code == 404
    assert client.post(f"/api/v1/emergencies/{eid}/vessels", headers=other, json={
        "name": "Stowaway", "vessel_class": "fishing"}).status_code == 404
    officer = api_token(client, "s2.officer")
    assert client.post(f"/api/v1/emergencies/{eid}/vessels/{vid}/assign", headers=officer,
                       json={"persons_aboard": 0}).status_code == 404
    assert client.post(f"/api/v1/emergencies/{eid}/vessels/{vid}/actions", headers=officer,
                       json={"action": "shelter"}).status_code == 404
    session.expire_all()
    found = session.get(Emergency, eid)
    assert found.phase.value == "warning" and found.closed_at is None
    assert session.get(EmergencyVessel, vid).status.value == "listed"
    # the pages too: the emergency, its board, its live counts, its map (with the zones)
    login(client, "s2.super")
    for path in ("", "/board", "/board/live", "/map.json", "/vessels.xlsx"):
        assert client.get(f"/emergencies/{eid}{path}").status_code == 404, path
    page = client.post(f"/emergencies/{eid}/phase",
                       data={"csrf_token": login(client, "s2.super"), "phase": "all_clear"},
                       follow_redirects=False)
    assert page.status_code == 404
    # nothing in the lists: emergencies, shelter zones, the register
    assert client.get("/api/v1/emergencies", headers=other).json()["total"] == 0
    assert client.get("/api/v1/emergencies/shelter-zones", headers=other).json()["total"] == 0
    assert client.get("/api/v1/emergencies/register", headers=other).json()["total"] == 0
    assert "Typhoon at station A" not in client.get("/emergencies").text
    register_page = client.get("/emergencies/register").text
    assert "Zhapo fishing shelter" not in register_page and "YJ-F-001" not in register_page
    # the other station keeps its own register: the same number is no conflict (nothing leaks)
    own = client.post("/api/v1/emergencies/register", headers=other, json={
        "registration": "YJ-F-001", "name": "Another boat", "vessel_class": "fishing"})
    assert own.status_code == 201, own.text
    assert client.post("/api/v1/emergencies/register", headers=other, json={
        "registration": "YJ-F-001", "name": "Again", "vessel_class": "fishing"}
    ).status_code == 409
    # nor may it shelter its vessels in station A's zone
    theirs = _open(client, other, "Typhoon at station 2")
    assert client.post(f"/api/v1/emergencies/{theirs}/gather", headers=other).json()[
        "added"] == 1
    their_vessel = client.get(f"/api/v1/emergencies/{theirs}/vessels",
                              headers=other).json()["items"][0]
    refused = client.post(f"/api/v1/emergencies/{theirs}/vessels/{their_vessel['id']}/assign",
                          headers=officer, json={"shelter_zone_id": zone.json()["id"]})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "shelter_zone_id"
    # station A does not see station 2's emergency either, nor its partners theirs
    assert client.get(f"/api/v1/emergencies/{theirs}", headers=mine).status_code == 404
    assert [e["id"] for e in client.get("/api/v1/emergencies", headers=mine).json()["items"]
            ] == [eid]
    assert client.get(f"/api/v1/emergencies/{theirs}",
                      headers=api_token(client, "msa.super")).status_code == 404

    # the live stream: the named partners see station A's records, station 2 does not
    who = {u.username: u for u in session.scalars(select(User))}
    for username, sees in (("a.super", True), ("msa.super", True), ("command.super", True),
                           ("s2.super", False), ("s2.officer", False)):
        assert may_see(session, who[username], _live("emergency", eid)) is sees, username
        assert may_see(session, who[username], _live("emergency_vessel", vid)) is sees, username
    assert may_see(session, who["s2.super"], _live("emergency", theirs)) is True
    assert may_see(session, who["a.super"], _live("emergency", theirs)) is False


def test_a_partner_that_does_not_exist_is_refused_naming_the_field(client, world, scene):
    mine = api_token(client, "a.super")
    for ids in ([999999], [scene.agent_org_id]):
        bad = client.post("/api/v1/emergencies", headers=mine, json={
            "name": "bad", "area": AREA, "partner_agency_ids": ids,
            "landfall_at": (datetime.now(UTC) + timedelta(hours=30)).isoformat()})
        assert bad.status_code == 422, bad.text
        assert bad.json()["detail"][0]["loc"][-1] == "partner_agency_ids"
    eid = _open(client, mine, "Named partners", partner_agency_ids=[scene.msa_id])
    assert client.get(f"/api/v1/emergencies/{eid}",
                      headers=api_token(client, "msa.super")).status_code == 200
    assert client.get(f"/api/v1/emergencies/{eid}",
                      headers=api_token(client, "command.super")).status_code == 404
