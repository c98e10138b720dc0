"""POST /api/v1/patrols/messages: the short text from a Beidou or SMS gateway turned into the
same records the field API makes; the same text twice stores one record. Only the gateway
(patrols.message) may post them. The codec is the tracks room's (messages.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bastion.border.patrols.models import CheckIn, Sos, TrackChunk
from tests.border.patrols.field_world import at, build, new_id

messages = pytest.importorskip("bastion.border.patrols.messages")
API = "/api/v1/patrols"
WHEN = datetime(2026, 12, 7, 1, 20, tzinfo=UTC)


@pytest.fixture
def w(session):
    return build(session)


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_check_in_sos_and_position_by_message(client, session, w):
    patrol = client.post(f"{API}/field/start", headers=w.headers(client, "a_aux"), json={
        "op_id": new_id(), "patrol_id": new_id(), "segment_id": w.seg_a.id,
        "device_at": at("2026-12-07T09:00:00")}).json()["patrol"]
    gateway = w.headers(client, "cmd_officer")
    text = messages.encode(kind="check_in", patrol_ref=patrol["client_id"], at=WHEN,
                           lat=21.62001, lon=107.95001, seq=1, checkpoint_code=w.cp_a.code)
    first = client.post(f"{API}/messages", json={"text": text}, headers=gateway)
    assert first.status_code == 201, first.text
    got = first.json()
    assert got["kind"] == "check_in" and got["method"] == "message"
    assert got["within_radius"] is True and got["within_window"] is True  # 09:20 in Shanghai
    again = client.post(f"{API}/messages", json={"text": f"  {text} "}, headers=gateway)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert count(session, CheckIn) == 1
    fix = messages.encode(kind="position", patrol_ref=patrol["client_id"], at=WHEN,
                          lat=21.61, lon=107.93, seq=2)
    assert client.post(f"{API}/messages", json={"text": fix}, headers=gateway).status_code == 201
    assert count(session, TrackChunk) == 1
    sos = messages.encode(kind="sos", patrol_ref=patrol["client_id"], at=WHEN, lat=None,
                          lon=None, seq=3)
    raised = client.post(f"{API}/messages", json={"text": sos}, headers=gateway)
    assert raised.status_code == 201 and raised.json()["source"] == "message"
    assert count(session, Sos) == 1


def test_bad_messages_and_who_may_send_them(client, session, w):
    gateway = w.headers(client, "cmd_officer")
    garbled = client.post(f"{API}/messages", json={"text": "BX1 C 1 K-01 3M9526 22 106 1 00"},
                          headers=gateway)
    assert garbled.status_code == 422
    assert garbled.json()["detail"][0]["loc"][-1].startswith("text")
    unknown = messages.encode(kind="check_in", patrol_ref=new_id(), at=WHEN, lat=21.6,
                              lon=107.9, seq=1, checkpoint_code="K-01")
    assert client.post(f"{API}/messages", json={"text": unknown},
                       headers=gateway).status_code == 404
    for who in ("a_aux", "a_officer", "police", "village"):
        assert client.post(f"{API}/messages", json={"text": unknown},
                           headers=w.headers(client, who)).status_code == 403, who
