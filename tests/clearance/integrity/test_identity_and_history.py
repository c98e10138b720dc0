"""Declared identity against AIS static data, and the violations register feeding the
``past_violations`` rule; the register as each kind of user sees it."""

from __future__ import annotations

from types import SimpleNamespace

from bastion.clearance.identity import identity_mismatches
from bastion.maritime.tracks.models import Vessel
from bastion.org.models import AgencyKind, Role
from tests.clearance.integrity.conftest import CALL, COOK, SEAMAN
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token


def _declared(**extra):
    return SimpleNamespace(**{"imo": 9300013, "vessel_name": "MIN XING 8", "callsign": "BQAB",
                              "flag": "CHN", "draught_m": 8.0, **extra})


def _ais(**extra):
    return SimpleNamespace(**{"imo": 9300013, "name": "MIN XING 8@@@", "callsign": "BQAB",
                              "flag": "CN", "draught_m": 8.4, **extra})


def test_identity_mismatches_name_each_field_and_ignore_silence():
    assert identity_mismatches(declared=_declared(), vessel=_ais()) == []
    assert identity_mismatches(declared=_declared(), vessel=None) == []
    found = identity_mismatches(declared=_declared(vessel_name="MINXING 8 "),
                                vessel=_ais(imo=9074729, callsign="3FXY9", flag="PA",
                                            draught_m=10.2))
    assert [(m.field, m.declared, m.broadcast) for m in found] == [
        ("imo", 9300013, 9074729), ("callsign", "BQAB", "3FXY9"), ("flag", "CHN", "PA"),
        ("draught_m", 8.0, 10.2)]  # "MINXING 8" is the same name, spaced differently
    assert identity_mismatches(declared=_declared(imo=None, flag=None),
                               vessel=_ais(imo=9074729, flag="PA")) == []
    assert [m.field for m in identity_mismatches(declared=_declared(vessel_name="HAI XING"),
                                                 vessel=_ais())] == ["vessel_name"]


def test_a_vessel_broadcasting_another_identity_is_a_precheck_finding(port, session):
    session.add(Vessel(mmsi=CALL["mmsi"], imo=9074729, name="EXAMPLE STAR", callsign="BQAB",
                       flag="CN"))
    session.commit()
    call_id = port.approved_call()
    seen = port.get(call_id)["precheck"]
    assert {m["field"] for m in seen["identity"]} == {"imo", "vessel_name"}
    assert any(rule == "identity_mismatch" for rule, _text in seen["reasons"])
    assert "identity" not in port.get(call_id, who=port.agent)["precheck"]


def _violation(port, who, **fields):
    return port.client.post("/api/v1/clearance/violations", headers=who, json={
        "occurred_on": "2025-05-04", "description": "SYNTHETIC: crew member left the ship "
                                                    "without a landing permit", **fields})


def test_the_register_feeds_the_past_violations_rule(port, session, world):
    first = port.approved_call()
    assert not any(r == "past_violations" for r, _t in port.get(first)["precheck"]["reasons"])
    recorded = _violation(port, port.officer, subject="person", person_name="ZHAO Gang",
                          document_number="e2233 4455", call_id=first)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["document_number"] == "E22334455"
    again = port.approved_call()  # the cook sails again
    reasons = dict(port.get(again)["precheck"]["reasons"])
    assert "past_violations" in reasons and "1" in reasons["past_violations"]
    assert port.get(again)["inspection_level"] == "boarding"
    # the call the violation was recorded on does not count it against itself
    port.crew(first, [SEAMAN, COOK])
    assert not any(r == "past_violations" for r, _t in port.get(first)["precheck"]["reasons"])
    by_vessel = _violation(port, port.supervisor, subject="vessel", imo=CALL["imo"])
    assert by_vessel.status_code == 201
    port.crew(again, [SEAMAN, COOK])  # a new list: judged again, the vessel's entry counts too
    reasons = dict(port.get(again)["precheck"]["reasons"])
    assert "2" in reasons["past_violations"]


def test_the_register_is_the_stations_own(port, world, session):
    other = make_agency(session, code="ORG-Z", kind=AgencyKind.BORDER_INSPECTION)
    make_user(session, agency=other, role=Role.OFFICER, username="z.officer")
    session.commit()
    agent_agency = port.client.get("/api/v1/port-calls", headers=port.agent)
    assert agent_agency.status_code == 200
    made = _violation(port, port.officer, subject="vessel", mmsi=CALL["mmsi"])
    assert made.status_code == 201
    vid = made.json()["id"]
    # the agent and a participating agency have no such function; another station sees none
    assert _violation(port, port.agent, subject="vessel", imo=CALL["imo"]).status_code == 403
    assert port.client.get("/api/v1/clearance/violations", headers=port.agent).status_code == 403
    assert port.client.get("/api/v1/clearance/violations",
                           headers=port.customs).status_code == 403
    assert port.client.get(f"/api/v1/clearance/violations/{vid}",
                           headers=port.customs).status_code == 403
    viewer = api_token(port.client, "a.viewer")
    assert port.client.get("/api/v1/clearance/violations", headers=viewer).status_code == 403
    listed = port.client.get("/api/v1/clearance/violations", headers=port.supervisor).json()
    assert [v["id"] for v in listed["items"]] == [vid]
    assert port.client.get(f"/api/v1/clearance/violations/{vid}",
                           headers=port.officer).status_code == 200
    elsewhere = api_token(port.client, "z.officer")  # another station: not there at all
    assert port.client.get(f"/api/v1/clearance/violations/{vid}",
                           headers=elsewhere).status_code == 404
    assert port.client.get("/api/v1/clearance/violations",
                           headers=elsewhere).json()["items"] == []


def test_a_violation_must_name_its_subject(port):
    assert _violation(port, port.officer, subject="vessel").status_code == 422
    assert _violation(port, port.officer, subject="person",
                      person_name="ZHAO Gang").status_code == 422
    bad = _violation(port, port.officer, subject="company", agent_org_id=port.world.b.id)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "agent_org_id"]
    assert _violation(port, port.officer, subject="ship", imo=CALL["imo"]).status_code == 422
    future = _violation(port, port.officer, subject="vessel", imo=CALL["imo"],
                        occurred_on="2099-01-01")
    assert future.status_code == 422
