"""Who learns what of a port call's screening: per-person results follow the lists' markings,
hits follow both the list and the call, agents learn the level only, and reads are audited.

World (tests/factories.py): A is the station (author, a.super, a1.officer of its duty team),
B the border police brigade taking part in the call, C an army company with no part in it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bastion.audit.models import AuditAction, AuditEntry
from bastion.org.models import AgencyKind, Role
from tests.clearance.calls.conftest import CREW
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

WANG, NGUYEN = "WANG Xiaoming · C2", "NGUYEN Van An · C3"


@pytest.fixture
def screened_call(client, session, world, two_agents):
    """A call whose crew matches one entry on a station-only list and one on a list shared
    with all agencies; B takes part, C does not."""
    village = make_agency(session, code="VC-1", kind=AgencyKind.VILLAGE_COMMITTEE)
    make_user(session, agency=village, role=Role.VIEWER, username="village.viewer")
    session.commit()
    supervisor = api_token(client, "a.super")
    for name, tlp, distribution, person in (
            ("station only", "amber+strict", "own", {
                "name": "王小明", "birth_date": "1975-03-02", "nationality": "CHN"}),
            ("shared", "amber", "all", {
                "name": "Nguyễn Văn An", "birth_date": "1988-07-15", "nationality": "VNM"})):
        made = client.post("/api/v1/watchlists", headers=supervisor, json={
            "name": name, "tlp": tlp, "distribution": distribution})
        assert made.status_code == 201, made.text
        entry = client.post(f"/api/v1/watchlists/{made.json()['id']}/entries", headers=supervisor,
                            json={"source_id": name, "type": "person", **person})
        assert entry.status_code == 201, entry.text
    agent = api_token(client, "agent.one")
    call = client.post("/api/v1/port-calls", headers=agent, json={
        "station_id": world.a.id, "participant_ids": [world.b.id], "vessel_name": "MIN XING 8",
        "eta": "2030-12-01T06:00:00+08:00"}).json()
    crew = client.post(f"/api/v1/port-calls/{call['id']}/declarations/crew/rows", headers=agent,
                       json={"rows": CREW})
    assert crew.status_code == 201, crew.text
    assert client.post(f"/api/v1/port-calls/{call['id']}/actions/submit",
                       headers=agent).status_code == 200
    return call["id"]


def _persons(client, username, call_id):
    response = client.get(f"/api/v1/port-calls/{call_id}", headers=api_token(client, username))
    assert response.status_code == 200, response.text
    return response.json()["precheck"]


def test_per_person_results_follow_the_lists_each_reader_may_see(client, screened_call):
    station = _persons(client, "a1.officer", screened_call)
    assert station["persons"] == {WANG: "check", NGUYEN: "check"}
    assert station["reasons"]
    partner = _persons(client, "b.officer", screened_call)  # cannot open the station's list
    assert partner["persons"] == {WANG: "clear", NGUYEN: "check"}
    assert "by_list" not in partner
    agent = _persons(client, "agent.one", screened_call)
    assert set(agent) == {"level", "version"}


def test_a_hit_is_seen_only_by_who_may_see_the_list_and_the_call(client, screened_call):
    def hits(username):
        response = client.get("/api/v1/screening/hits", headers=api_token(client, username))
        return response.status_code, sorted(h["subject"]["name"] for h in response.json().get(
            "items", [])) if response.status_code == 200 else []

    assert hits("a1.officer") == (200, ["NGUYEN Van An", "WANG Xiaoming"])
    assert hits("b.officer") == (200, ["NGUYEN Van An"])  # takes part; shared list only
    assert hits("b.viewer")[0] == 403  # viewers do not review
    assert hits("c.officer")[0] == 403  # an army company does not screen
    assert hits("agent.one")[0] == 403 and hits("agent.two")[0] == 403
    assert hits("village.viewer")[0] == 403


def test_a_police_unit_with_no_part_in_the_call_reads_none_of_its_hits(client, session, world,
                                                                        screened_call):
    elsewhere = make_agency(session, code="POL-2", kind=AgencyKind.BORDER_POLICE)
    make_user(session, agency=elsewhere, role=Role.OFFICER, username="pol2.officer")
    session.commit()
    headers = api_token(client, "pol2.officer")
    listed = client.get("/api/v1/screening/hits", headers=headers)
    assert listed.status_code == 200 and listed.json()["items"] == []
    station_hits = client.get("/api/v1/screening/hits",
                              headers=api_token(client, "a1.officer")).json()["items"]
    for hit in station_hits:
        decided = client.post(f"/api/v1/screening/hits/{hit['id']}/decision", headers=headers,
                              json={"confirm": False, "reason": "not him"})
        assert decided.status_code == 404
    assert client.get(f"/api/v1/port-calls/{screened_call}", headers=headers).status_code == 404


def test_screening_is_a_function_agents_and_viewers_do_not_have(client, screened_call):
    person = {"people": [{"name": "WANG XIAOMING", "dob": "1975-03-02"}]}
    for username in ("agent.one", "a.viewer", "village.viewer"):
        response = client.post("/api/v1/screen", headers=api_token(client, username), json=person)
        assert response.status_code == 403, username
    # A same-named list of another agency is no clash and reveals nothing.
    other = client.post("/api/v1/watchlists", headers=api_token(client, "b.officer"),
                        json={"name": "station only", "tlp": "amber"})
    assert other.status_code == 403  # officers do not create lists
    make = api_token(client, "a.super")
    clash = client.post("/api/v1/watchlists", headers=make, json={"name": "station only"})
    assert clash.status_code == 409


def test_reads_of_a_call_are_audited_with_their_purpose(client, session, screened_call):
    headers = {**api_token(client, "a1.officer"), "X-Purpose": "boarding plan"}
    assert client.get(f"/api/v1/port-calls/{screened_call}", headers=headers).status_code == 200
    assert client.get("/api/v1/port-calls", headers=headers).status_code == 200
    reads = session.scalars(select(AuditEntry).where(
        AuditEntry.action == AuditAction.READ, AuditEntry.record_kind == "port_call")).all()
    assert {(r.record_id, r.reason) for r in reads} >= {(screened_call, "boarding plan"),
                                                        (None, "boarding plan")}
