"""Departure lists: changes against arrival and their reasons, outbound screening (never shown
to agents), the departure tide window with the departure draught, statistics both ways."""

from __future__ import annotations

from sqlalchemy import select

from bastion.core.events import EventRecord
from tests.clearance.calls.departure_helpers import (
    PERSON,
    crew_rows,
    make_call,
    partners,
    users,
)


def _departing(client, u, call_id):
    """Arrival: the three of crew.csv; departure: NGUYEN stays behind, WANG joins."""
    arrival = client.post(f"/api/v1/port-calls/{call_id}/declarations/crew/rows",
                          headers=u["agent"], json={"rows": crew_rows()})
    assert arrival.status_code == 201, arrival.text
    leaving = [r for r in crew_rows() if r["family_name"] != "NGUYEN"] + [PERSON]
    out = client.post(f"/api/v1/port-calls/{call_id}/departure/crew/rows", headers=u["agent"],
                      json={"rows": leaving})
    assert out.status_code == 201, out.text
    assert out.json()["form"] == "crew_out"


def test_changes_reasons_and_screening_by_kind_of_user(client, session, world, station):
    customs, msa = partners(session)
    u = users(client)
    call_id = make_call(client, world, customs, msa, u["agent"])
    _departing(client, u, call_id)
    url = f"/api/v1/port-calls/{call_id}/departure"

    seen = client.get(url, headers=u["agent"]).json()
    assert {(c["name"], c["kind"]) for c in seen["changes"]} == {
        ("NGUYEN VAN AN", "missing"), ("WANG WEI", "added")}
    assert seen["counts"]["unexplained"] == 2 and seen["counts"]["persons_out"] == 3
    assert seen["screening"] is None  # an agent never learns screening outcomes
    for who in ("officer", "supervisor", "customs", "msa"):
        body = client.get(url, headers=u[who]).json()
        assert body["screening"] is not None and len(body["screening"]) == 3, who
        assert body["screened_at"]  # outbound screening ran on upload
    assert client.get(url, headers=u["viewer"]).status_code == 403  # no passport data
    assert client.get(url, headers=u["other_agent"]).status_code == 404

    keys = {c["name"]: c["key"] for c in seen["changes"]}
    reasons = f"{url}/reasons"
    wrong = client.put(reasons, headers=u["agent"], json={
        "person_key": keys["NGUYEN VAN AN"], "reason": "stowaway"})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"][-1] == "reason"
    unknown = client.put(reasons, headers=u["agent"], json={
        "person_key": "CHN:E12345678", "reason": "deserted"})  # ZHANG is on both lists
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"][-1] == "person_key"
    assert client.put(reasons, headers=u["customs"], json={
        "person_key": keys["WANG WEI"], "reason": "signed_on"}).status_code == 403
    assert client.put(reasons, headers=u["agent"], json={
        "person_key": keys["NGUYEN VAN AN"], "reason": "deserted",
        "note": "did not return from shore leave"}).status_code == 200
    marked = client.put(reasons, headers=u["officer"], json={
        "person_key": keys["WANG WEI"], "reason": "stowaway"}).json()
    assert {c["name"]: c["reason"] for c in marked["changes"]} == {
        "NGUYEN VAN AN": "deserted", "WANG WEI": "stowaway"}
    assert marked["counts"]["unexplained"] == 0

    again = f"/api/v1/port-calls/{call_id}/departure-screening"
    assert client.post(again, headers=u["agent"]).status_code == 403
    assert client.post(again, headers=u["customs"]).status_code == 403
    assert client.post(again, headers=u["officer"]).status_code == 200
    history = client.get(f"/api/v1/port-calls/{call_id}/history",
                         headers=u["officer"]).json()["items"]
    actions = [h["action"] for h in history]
    assert actions.count("departure_screened") == 2 and actions.count("departure_reason") == 2


def test_clear_out_counts_persons_out_and_the_changes(client, session, world, station):
    customs, msa = partners(session)
    u = users(client)
    call_id = make_call(client, world, customs, msa, u["agent"])
    _departing(client, u, call_id)
    base = f"/api/v1/port-calls/{call_id}"
    changes = client.get(f"{base}/departure", headers=u["officer"]).json()["changes"]
    steps = [("agent", "submit"), ("officer", "approve_arrival"), ("officer", "arrive"),
             ("officer", "start_inspection"), ("officer", "clear_in"), ("customs", "clear_in"),
             ("msa", "clear_in"), ("agent", "declare_departure")]
    for who, action in steps:
        done = client.post(f"{base}/actions/{action}", headers=u[who])
        assert done.status_code == 200, (who, action, done.text)
    # two changes unexplained: nobody clears out
    refused = client.post(f"{base}/actions/clear_out", headers=u["officer"])
    assert refused.status_code == 409 and "NGUYEN VAN AN" in refused.text
    for change in changes:
        client.put(f"{base}/departure/reasons", headers=u["officer"], json={
            "person_key": change["key"],
            "reason": "hospital" if change["kind"] == "missing" else "signed_on"})
    # a new version of a departure list is screened as it is stored: the clear-out goes on
    leaving = client.get(f"{base}/declarations/crew_out/rows", headers=u["agent"]).json()
    assert leaving["total"] == 3
    client.post(f"{base}/departure/crew/rows", headers=u["agent"], json={"rows": [
        {k: v for k, v in r.items() if k not in ("sheet", "row", "list") and v is not None}
        for r in leaving["items"]]})
    steps = [("officer", "clear_out"), ("customs", "clear_out"), ("msa", "clear_out")]
    for who, action in steps:
        done = client.post(f"{base}/actions/{action}", headers=u[who])
        assert done.status_code == 200, (who, action, done.text)
    assert done.json()["state"] == "cleared_out"
    cleared = session.scalars(select(EventRecord).where(
        EventRecord.kind == "portcall.clear_out", EventRecord.record_id == call_id)).all()
    last = cleared[-1].payload
    assert last["persons"] == 3 and last["hospital"] == 1 and last["signed_on"] == 1
    # the statistics count both directions
    stats = client.get("/api/v1/clearance/statistics", headers=u["supervisor"],
                       params={"start": "2026-01-01", "end": "2027-12-31", "period": "year"})
    assert stats.status_code == 200, stats.text
    text = stats.text
    assert '"hospital"' in text and '"signed_on"' in text
    # the departure no longer changes once cleared out
    late = client.put(f"{base}/departure/draught", headers=u["agent"], json={"draught_m": 5})
    assert late.status_code == 422


def test_departure_tide_window_uses_the_departure_draught(client, session, world, station):
    customs, msa = partners(session)
    u = users(client)
    call_id = make_call(client, world, customs, msa, u["agent"], terminal="TIDE")
    url = f"/api/v1/port-calls/{call_id}/departure/draught"
    # TIDE: 8.0 m charted, 0.5 m + 10% under keel. A light ship sails at any tide ...
    light = client.put(url, headers=u["agent"], json={"draught_m": 4.0}).json()
    assert light["tide_terminal"] and light["window_start"] and light["window_end"]
    # ... a deep one only near high water: its window is shorter
    deep = client.put(url, headers=u["officer"], json={"draught_m": 8.2}).json()
    assert deep["draught_m"] == 8.2 and deep["window_start"]
    from datetime import datetime

    def span(b):
        return datetime.fromisoformat(b["window_end"]) - datetime.fromisoformat(b["window_start"])
    assert span(deep) < span(light)
    bad = client.put(url, headers=u["agent"], json={"draught_m": 45})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "draught_m"
    assert client.put(url, headers=u["customs"], json={"draught_m": 5}).status_code == 403
    assert client.put(url, headers=u["other_agent"], json={"draught_m": 5}).status_code == 404


def test_a_departure_list_file_is_all_rows_or_none(client, session, world, station):
    from tests.clearance.calls.departure_helpers import DATA

    customs, msa = partners(session)
    u = users(client)
    call_id = make_call(client, world, customs, msa, u["agent"])
    url = f"/api/v1/port-calls/{call_id}/departure/crew"
    bad = (DATA / "crew.csv").read_text().replace("E12345678", "", 1).encode()
    refused = client.post(url, headers=u["agent"], files={"file": ("crew.csv", bad)})
    assert refused.status_code == 422
    assert any(e["code"] == "MISSING_DOCUMENT_NUMBER" and e["row"] == 2
               for e in refused.json()["errors"])
    assert client.post(url, headers=u["officer"], files={
        "file": ("crew.csv", (DATA / "crew.csv").read_bytes())}).status_code == 403
    stored = client.post(url, headers=u["agent"], files={
        "file": ("crew.csv", (DATA / "crew.csv").read_bytes())})
    assert stored.status_code == 201 and stored.json()["version"] == 1
    assert client.post(f"/api/v1/port-calls/{call_id}/departure/cargo", headers=u["agent"],
                       files={"file": ("x.csv", b"a")}).status_code == 422
