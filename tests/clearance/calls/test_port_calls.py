"""Port calls end to end: agent isolation, atomic uploads, pre-check on submit, the workflow."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bastion.clearance.calls.models import Declaration
from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

DATA = Path(__file__).resolve().parents[2] / "data"
CALL = {"vessel_name": "MIN XING 8", "imo": 9300013, "mmsi": 412440102, "flag": "CHN",
        "voyage_number": "V2611", "previous_port": "VNHPH", "eta": "2026-12-01T06:00:00+08:00",
        "etd": "2026-12-02T18:00:00+08:00"}


@pytest.fixture
def agents(session, world):
    cosco = make_agency(session, code="AGT-1", kind=AgencyKind.SHIPPING_AGENCY)
    other = make_agency(session, code="AGT-2", kind=AgencyKind.SHIPPING_AGENCY)
    make_user(session, agency=cosco, role=Role.OFFICER, username="agent.one")
    make_user(session, agency=other, role=Role.OFFICER, username="agent.two")
    session.commit()
    return cosco, other


def _call(client, world, **extra):
    headers = api_token(client, "agent.one")
    response = client.post("/api/v1/port-calls", headers=headers, json={
        **CALL, "station_id": world.a.id, "participant_ids": [world.b.id], **extra})
    assert response.status_code == 201, response.text
    return response.json(), headers


def _upload(client, headers, call_id, form, name, content=None):
    body = content if content is not None else (DATA / "clearance" / name).read_bytes()
    return client.post(f"/api/v1/port-calls/{call_id}/declarations/{form}", headers=headers,
                       files={"file": (name, body)})


def test_agents_see_only_their_own_calls(client, world, agents):
    call, _headers = _call(client, world)
    other = api_token(client, "agent.two")
    assert client.get(f"/api/v1/port-calls/{call['id']}", headers=other).status_code == 404
    assert client.get("/api/v1/port-calls", headers=other).json()["items"] == []
    station = api_token(client, "a.super")
    assert client.get(f"/api/v1/port-calls/{call['id']}", headers=station).status_code == 200
    partner = api_token(client, "b.officer")  # a participating agency (customs, say)
    assert client.get(f"/api/v1/port-calls/{call['id']}", headers=partner).status_code == 200
    outsider = api_token(client, "c.officer")
    assert client.get(f"/api/v1/port-calls/{call['id']}", headers=outsider).status_code == 404
    assert client.post("/api/v1/port-calls", headers=station, json={
        **CALL, "station_id": world.a.id}).status_code == 403  # only agents declare


def test_a_bad_crew_list_stores_nothing_and_names_the_place(client, session, world, agents):
    call, headers = _call(client, world)
    bad = (DATA / "clearance" / "crew.csv").read_text().replace("E12345678", "", 1)
    response = _upload(client, headers, call["id"], "crew", "crew.csv", bad.encode())
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["code"] == "MISSING_DOCUMENT_NUMBER" and e["row"] == 2 and
               e["column"] == "Document number" for e in errors), errors
    assert session.scalar(select(func.count(Declaration.id))) == 0
    fixed = _upload(client, headers, call["id"], "crew", "crew.csv")
    assert fixed.status_code == 201 and fixed.json()["version"] == 1


def test_submit_runs_the_precheck_and_the_workflow_is_enforced(client, session, world, agents):
    call, headers = _call(client, world)
    _upload(client, headers, call["id"], "crew", "crew.csv")
    submitted = client.post(f"/api/v1/port-calls/{call['id']}/actions/submit", headers=headers)
    assert submitted.status_code == 200, submitted.text
    body = submitted.json()
    assert body["state"] == "prechecked"
    assert body["inspection_level"] == "boarding"  # first call of this vessel at the station
    # the agent learns the level, never the reasons or who matched what
    assert set(body["precheck"]) == {"level", "version"}
    officer = api_token(client, "author")
    seen = client.get(f"/api/v1/port-calls/{call['id']}", headers=officer).json()["precheck"]
    assert any(rule == "first_call" for rule, _text in seen["reasons"])
    assert seen["persons"]  # every declared person has a result
    # illegal: inspecting before arrival
    early = client.post(f"/api/v1/port-calls/{call['id']}/actions/start_inspection",
                        headers=officer)
    assert early.status_code == 409
    # the agent cannot approve its own arrival
    assert client.post(f"/api/v1/port-calls/{call['id']}/actions/approve_arrival",
                       headers=headers).status_code == 403
    for action in ("approve_arrival", "arrive", "start_inspection", "clear_in"):
        step = client.post(f"/api/v1/port-calls/{call['id']}/actions/{action}", headers=officer)
        assert step.status_code == 200, (action, step.text)
    assert step.json()["state"] == "inspecting"  # border cleared; customs (B) has not yet
    customs = api_token(client, "b.officer")
    cleared = client.post(f"/api/v1/port-calls/{call['id']}/actions/clear_in", headers=customs)
    assert cleared.json()["state"] == "cleared_in"
    history = client.get(f"/api/v1/port-calls/{call['id']}/history", headers=officer).json()["items"]
    assert [h["action"] for h in history] == ["create", "declaration", "submit", "precheck",
                                               "approve_arrival", "arrive", "start_inspection",
                                               "clear_in", "clear_in"]
    assert history[1]["form"] == "crew" and history[1]["version"] == 1  # the upload
    assert history[2]["from"] == "draft" and history[3]["to"] == "prechecked"


def test_return_needs_a_reason_and_goes_back_to_the_agent(client, world, agents):
    call, headers = _call(client, world)
    client.post(f"/api/v1/port-calls/{call['id']}/actions/submit", headers=headers)
    officer = api_token(client, "author")
    no_reason = client.post(f"/api/v1/port-calls/{call['id']}/actions/return", headers=officer)
    assert no_reason.status_code == 422
    returned = client.post(f"/api/v1/port-calls/{call['id']}/actions/return", headers=officer,
                           json={"reason": "passenger list missing"})
    assert returned.json()["state"] == "returned"
    again = client.post(f"/api/v1/port-calls/{call['id']}/actions/submit", headers=headers)
    assert again.json()["state"] == "prechecked"


def test_tide_windows_for_the_calls_draught(client, world, agents):
    from datetime import datetime

    deep, headers = _call(client, world, draught_m=12.5)
    windows = client.get(f"/api/v1/port-calls/{deep['id']}/tide-windows", headers=headers,
                         params={"station": "zhapo", "depth": 11.0, "ukc": 0.5,
                                 "ukc_percent": 0}).json()["items"]
    # 11.0 m charted + tide above LAT - 12.5 m draught >= 0.5 m: only near high water
    # (Zhapo's tide is mixed, mainly diurnal: one or two windows a day).
    assert 1 <= len(windows) <= 6
    for w in windows:
        assert datetime.fromisoformat(w["start"]) < datetime.fromisoformat(w["end"])
        assert 0 < w["minutes"] < 14 * 60
    shallow, _h = _call(client, world, draught_m=4.0)
    always = client.get(f"/api/v1/port-calls/{shallow['id']}/tide-windows", headers=headers,
                        params={"station": "zhapo", "depth": 11.0}).json()["items"]
    assert len(always) == 1 and always[0]["minutes"] == 48 * 60  # never restricted
    unknown = client.get(f"/api/v1/port-calls/{deep['id']}/tide-windows", headers=headers,
                         params={"station": "atlantis", "depth": 11.0})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"][-1] == "station"


PERSON = {"family_name": "WANG", "given_names": "Wei", "rank": "Master", "nationality": "CHN",
          "birth_date": "1975-03-02", "birth_place": "Dalian", "gender": "M",
          "document_type": "P", "document_number": "E12345678", "issuing_state": "CHN",
          "expiry_date": "2031-01-01"}


def test_a_crew_list_as_json_is_checked_by_the_same_rules(client, session, world, agents):
    call, headers = _call(client, world)
    url = f"/api/v1/port-calls/{call['id']}/declarations/crew/rows"
    second = {**PERSON, "family_name": "LI", "document_number": ""}
    bad = client.post(url, headers=headers, json={"rows": [PERSON, second]})
    assert bad.status_code == 422
    assert [(e["sheet"], e["row"], e["column"], e["code"]) for e in bad.json()["errors"]] == [
        ("rows", 2, "document_number", "MISSING_DOCUMENT_NUMBER")]
    unknown = client.post(url, headers=headers, json={"rows": [{**PERSON, "shoe_size": 44}]})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["code"] == "UNKNOWN_FIELD"
    assert session.scalar(select(func.count(Declaration.id))) == 0  # nothing stored
    good = client.post(url, headers=headers, json={"rows": [PERSON, {
        **second, "document_number": "E87654321", "rank": "Cook"}]})
    assert good.status_code == 201, good.text
    client.post(f"/api/v1/port-calls/{call['id']}/actions/submit", headers=headers)
    seen = client.get(f"/api/v1/port-calls/{call['id']}", headers=api_token(client, "author"))
    assert set(seen.json()["precheck"]["persons"]) == {"WANG Wei · C2", "LI Wei · C3"}
