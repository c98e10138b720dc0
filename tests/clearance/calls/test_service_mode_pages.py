"""The pages of the service modes: terminals, agenda, pre-check rules, the green channel."""

from __future__ import annotations

from datetime import timedelta

from bastion.core.db import utcnow
from tests.web_helpers import api_token, login


def test_a_supervisor_adds_a_terminal_and_bad_hours_are_named(client, world):
    token = login(client, "a.super")
    client.cookies.set("bastion_lang", "en")
    form = {"csrf_token": token, "code": "COAL", "name": "煤码头", "service_hours": "office",
            "timezone": "Asia/Shanghai", "opens": "18:00", "closes": "08:00",
            "working_days": ["1", "2", "3"], "inspection_minutes": "90", "inspection_teams": "2",
            "ukc_fixed_m": "0.5", "ukc_percent": "10", "active": "on"}
    bad = client.post("/clearance/terminals", data=form)
    assert bad.status_code == 422 and "Opening time must be before closing time." in bad.text
    good = client.post("/clearance/terminals", data={**form, "opens": "08:00", "closes": "18:00"},
                       follow_redirects=False)
    assert good.status_code == 303
    page = client.get("/clearance/terminals").text
    assert "COAL" in page and "08:00–18:00, days 123" in page and "90 min, 2 team(s)" in page
    login(client, "a1.officer")
    assert "Add or change a terminal" not in client.get("/clearance/terminals").text


def test_a_supervisor_changes_a_rule_on_the_page_and_a_bad_value_is_named(client, world):
    token = login(client, "a.super")
    client.cookies.set("bastion_lang", "en")
    page = client.get("/clearance/rules").text
    assert "shipped defaults" in page and 'data-rule="risk_high"' in page
    from bastion.clearance.precheck import DEFAULT_RULES

    form = {"csrf_token": token, "note": "stricter risk"}
    for i, rule in enumerate(DEFAULT_RULES):
        form[f"enabled_{i}"] = "on"
        form[f"level_{i}"] = rule["level"]
    index = next(i for i, r in enumerate(DEFAULT_RULES) if r["id"] == "risk_medium")
    bad = client.post("/clearance/rules", data={**form, f"value_{index}": "abc"})
    assert bad.status_code == 422 and f"rules[{index}].value" in bad.text
    saved = client.post("/clearance/rules", data={**form, f"value_{index}": "20"},
                        follow_redirects=False)
    assert saved.status_code == 303
    assert "version 1" in client.get("/clearance/rules").text
    officer = api_token(client, "a1.officer")
    rules = client.get("/api/v1/clearance/precheck-rules", headers=officer).json()
    assert next(r for r in rules["rules"] if r["id"] == "risk_medium")["value"] == 20


def test_the_call_page_opens_the_green_channel_and_the_queue_shows_it(client, world, agent):
    headers = api_token(client, "agent.one")
    call = client.post("/api/v1/port-calls", headers=headers, json={
        "station_id": world.a.id, "vessel_name": "YUE HAI 3",
        "eta": (utcnow() + timedelta(hours=5)).isoformat()}).json()
    token = login(client, "agent.one")
    client.cookies.set("bastion_lang", "en")
    page = client.get(f"/clearance/{call['id']}").text
    assert 'data-action="green-channel"' in page
    opened = client.post(f"/clearance/{call['id']}/green-channel/declare", data={
        "csrf_token": token, "kind": "medical", "reason": "Cook with appendicitis",
        "person_name": "ZHAO Gang", "documents_to_follow": "1"}, follow_redirects=False)
    assert opened.status_code == 303
    page = client.get(f"/clearance/{call['id']}").text
    assert "Cook with appendicitis" in page and "to follow" in page and "Emergency" in page
    again = client.post(f"/clearance/{call['id']}/green-channel/declare", data={
        "csrf_token": token, "kind": "weather", "reason": "storm"})
    assert again.status_code == 409 and "already has an open request" in again.text
    token = login(client, "a1.officer")
    client.cookies.set("bastion_lang", "en")
    queue = client.get("/clearance").text
    assert 'class="priority-emergency"' in queue
    assert 'class="priority-emergency"' in client.get("/clearance?fragment=1").text
    assert client.post(f"/clearance/{call['id']}/green-channel/acknowledge",
                       data={"csrf_token": token}, follow_redirects=False).status_code == 303
    page = client.get(f"/clearance/{call['id']}").text
    assert "acknowledged" in page and 'data-action="landing"' in page
    # documents to follow: the officer may approve arrival from the draft
    assert 'data-action="approve_arrival"' in page
    assert client.get("/clearance/agenda").status_code == 200


def test_the_queue_shows_open_calls_unless_finished_ones_are_asked_for(client, world, agent):
    headers = api_token(client, "agent.one")
    made = [client.post("/api/v1/port-calls", headers=headers, json={
        "station_id": world.a.id, "vessel_name": name,
        "eta": (utcnow() + timedelta(days=1)).isoformat()}).json() for name in ("OPEN ONE", "GONE")]
    cancelled = client.post(f"/api/v1/port-calls/{made[1]['id']}/actions/cancel", headers=headers,
                            json={"reason": "voyage cancelled by owners"})
    assert cancelled.json()["state"] == "cancelled"
    login(client, "a1.officer")
    assert "OPEN ONE" in client.get("/clearance").text
    assert "GONE" not in client.get("/clearance").text
    finished = client.get("/clearance?show=finished").text
    assert "GONE" in finished and "OPEN ONE" not in finished
    everything = client.get("/clearance?show=all").text
    assert everything.index("OPEN ONE") < everything.index("GONE")  # finished calls go last
    api = client.get("/api/v1/port-calls?finished=false", headers=api_token(client, "a1.officer"))
    assert [c["vessel_name"] for c in api.json()["items"]] == ["OPEN ONE"]
