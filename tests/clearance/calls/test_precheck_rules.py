"""Pre-check rules kept as data: a supervisor saves a version, the next pre-check applies it."""

from __future__ import annotations

from tests.web_helpers import api_token

CALL = {"vessel_name": "MIN XING 8", "imo": 9300013, "eta": "2030-12-01T06:00:00+08:00"}


def _submit(client, world):
    headers = api_token(client, "agent.one")
    call = client.post("/api/v1/port-calls", headers=headers,
                       json={**CALL, "station_id": world.a.id}).json()
    client.post(f"/api/v1/port-calls/{call['id']}/actions/submit", headers=headers)
    return client.get(f"/api/v1/port-calls/{call['id']}",
                      headers=api_token(client, "a1.officer")).json()  # the station's view


def test_the_shipped_rules_are_in_force_until_a_supervisor_saves(client, world, agent):
    officer = api_token(client, "a1.officer")
    shipped = client.get("/api/v1/clearance/precheck-rules", headers=officer).json()
    assert shipped["version"] == 0
    assert {r["id"] for r in shipped["rules"]} >= {"first_call", "risk_high", "person_stop"}
    assert _submit(client, world)["precheck"]["rules_version"] == 0
    assert client.get("/api/v1/clearance/precheck-rules",
                      headers=api_token(client, "agent.one")).status_code == 403


def test_a_saved_version_changes_the_next_decision_with_its_own_wording(client, world, agent):
    supervisor = api_token(client, "a.super")
    rules = client.get("/api/v1/clearance/precheck-rules", headers=supervisor).json()["rules"]
    assert _submit(client, world)["inspection_level"] == "boarding"  # first call: boarding
    for rule in rules:
        if rule["id"] == "first_call":
            rule["level"] = "enhanced"
            rule["reason"] = {"en": "never called here before", "zh-CN": "首次来港"}
    saved = client.put("/api/v1/clearance/precheck-rules", headers=supervisor,
                       json={"rules": rules, "note": "new-ship policy"})
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 1
    result = _submit(client, world)
    assert result["inspection_level"] == "enhanced"
    assert result["precheck"]["rules_version"] == 1
    assert ["first_call", "首次来港"] in result["precheck"]["reasons"]  # the officer reads zh-CN
    for rule in rules:
        rule["enabled"] = rule["id"] != "first_call"
    client.put("/api/v1/clearance/precheck-rules", headers=supervisor, json={"rules": rules})
    assert _submit(client, world)["inspection_level"] == "documentary"
    history = client.get("/api/v1/clearance/precheck-rules/versions", headers=supervisor).json()["items"]
    assert [v["version"] for v in history] == [2, 1]


def test_bad_rules_are_refused_whole_and_each_problem_named(client, world, agent):
    supervisor = api_token(client, "a.super")
    bad = [{"id": "r1", "test": "risk_at_least", "value": 130, "level": "boarding"},
           {"id": "r1", "test": "alert_within_days", "value": ["ufo", 3], "level": "severe"},
           {"id": "r3", "test": "first_call", "value": None, "level": "boarding",
            "reason": {"en": "seen {nothing}"}}]
    refused = client.put("/api/v1/clearance/precheck-rules", headers=supervisor,
                         json={"rules": bad})
    assert refused.status_code == 422
    locs = [tuple(d["loc"]) for d in refused.json()["detail"]]
    assert locs == [("body", "rules", 0, "value"), ("body", "rules", 1, "id"),
                    ("body", "rules", 1, "value"), ("body", "rules", 1, "level"),
                    ("body", "rules", 2, "reason")]
    assert client.get("/api/v1/clearance/precheck-rules",
                      headers=supervisor).json()["version"] == 0  # nothing saved
    officer = api_token(client, "a1.officer")
    assert client.put("/api/v1/clearance/precheck-rules", headers=officer,
                      json={"rules": bad[:1]}).status_code == 403
