"""The port-call register, a page at a time: queue order and filters hold across pages, and
each page's read is audited for the calls it showed."""

from __future__ import annotations

from sqlalchemy import select

from bastion.audit.models import AuditAction, AuditEntry
from tests.web_helpers import api_token


def _declare(client, world, headers, name, eta):
    response = client.post("/api/v1/port-calls", headers=headers, json={
        "vessel_name": name, "station_id": world.a.id, "eta": eta, "flag": "CHN"})
    assert response.status_code == 201, response.text
    return response.json()


def test_pages_keep_queue_order_and_filters(client, session, world, agent):
    headers = api_token(client, "agent.one")
    calls = [_declare(client, world, headers, f"SHIP {n}", f"2026-12-{10 + n:02d}T06:00:00+08:00")
             for n in range(5)]
    cancelled = client.post(f"/api/v1/port-calls/{calls[2]['id']}/actions/cancel",
                            headers=headers, json={"reason": "voyage off"})
    assert cancelled.status_code == 200, cancelled.text
    officer = api_token(client, "a1.officer")
    whole = client.get("/api/v1/port-calls?limit=500", headers=officer).json()
    assert whole["total"] == 5 and whole["next_offset"] is None
    order = [c["id"] for c in whole["items"]]
    assert order[-1] == calls[2]["id"]  # finished calls last
    paged, offset = [], 0
    while offset is not None:
        page = client.get("/api/v1/port-calls", headers={**officer, "X-Purpose": "queue"},
                          params={"limit": 2, "offset": offset}).json()
        assert len(page["items"]) <= 2 and page["total"] == 5
        paged += [c["id"] for c in page["items"]]
        offset = page["next_offset"]
    assert paged == order
    open_calls = client.get("/api/v1/port-calls?finished=false&limit=3", headers=officer).json()
    assert open_calls["total"] == 4 and [c["id"] for c in open_calls["items"]] == order[:3]
    done = client.get("/api/v1/port-calls?finished=true", headers=officer).json()
    assert [c["id"] for c in done["items"]] == [calls[2]["id"]]
    state = client.get("/api/v1/port-calls?state=draft&limit=1&offset=1", headers=officer).json()
    assert state["total"] == 4 and state["prev_offset"] == 0
    reads = session.scalars(select(AuditEntry).where(
        AuditEntry.action == AuditAction.READ, AuditEntry.record_kind == "port_call",
        AuditEntry.reason == "queue").order_by(AuditEntry.id)).all()
    assert [r.detail["ids"] for r in reads] == [order[0:2], order[2:4], order[4:5]]
