"""SOS: stored once, the command and the patrol's post told (holders of patrols.live),
acknowledged by a holder of patrols.sos.ack who can see it; the first acknowledgement stands."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bastion.border.patrols.models import Sos
from bastion.core.events import EventRecord
from bastion.notifications.models import Notification, NotificationRecipient
from tests.border.patrols.field_world import at, build, new_id

API = "/api/v1/patrols"


@pytest.fixture
def w(session):
    return build(session)


def told(session, record_kind, record_id):
    notification = session.scalar(select(Notification).where(
        Notification.record_kind == record_kind, Notification.record_id == record_id))
    assert notification is not None and notification.severity.value == "urgent"
    return set(session.scalars(select(NotificationRecipient.user_id).where(
        NotificationRecipient.notification_id == notification.id)))


def test_an_sos_on_a_patrol_alarms_the_command_and_its_post(client, session, w):
    patrol = client.post(f"{API}/field/start", headers=w.headers(client, "a_aux"), json={
        "op_id": new_id(), "patrol_id": new_id(), "segment_id": w.seg_a.id,
        "device_at": at("2026-12-07T09:00:00")}).json()["patrol"]
    body = {"client_id": new_id(), "patrol_id": patrol["client_id"],
            "device_at": at("2026-12-07T09:30:00"), "lon": 107.93, "lat": 21.61,
            "message": "队员摔伤"}
    raised = client.post(f"{API}/field/sos", json=body, headers=w.headers(client, "a_aux"))
    assert raised.status_code == 201, raised.text
    sos_id = raised.json()["id"]
    u = w.users
    assert told(session, "patrol", patrol["id"]) == {
        u["cmd"].id, u["cmd_viewer"].id, u["cmd_officer"].id, u["a_officer"].id}
    assert session.scalar(select(EventRecord.id).where(
        EventRecord.kind == "patrol.sos", EventRecord.record_kind == "patrol",
        EventRecord.record_id == patrol["id"])) is not None
    again = client.post(f"{API}/field/sos", json=body, headers=w.headers(client, "a_aux"))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    changed = client.post(f"{API}/field/sos", json={**body, "message": "没事"},
                          headers=w.headers(client, "a_aux"))
    assert changed.status_code == 409 and "message" in changed.json()["detail"]
    assert len(session.scalars(select(Sos)).all()) == 1

    ack = f"{API}/sos/{sos_id}/acknowledge"
    assert client.post(ack, headers=w.headers(client, "a_aux")).status_code == 403
    assert client.post(ack, headers=w.headers(client, "b_officer")).status_code == 404
    assert client.post(ack, headers=w.headers(client, "army")).status_code == 404
    assert client.post(ack, headers=w.headers(client, "village")).status_code == 404
    first = client.post(ack, headers=w.headers(client, "a_officer"))
    assert first.status_code == 200 and first.json()["acknowledged_by_id"] == u["a_officer"].id
    second = client.post(ack, headers=w.headers(client, "cmd_officer"))
    assert second.json()["acknowledged_by_id"] == u["a_officer"].id
    assert second.json()["acknowledged_at"] == first.json()["acknowledged_at"]


def test_an_sos_with_no_patrol_belongs_to_the_sender_s_command(client, session, w):
    raised = client.post(f"{API}/field/sos", headers=w.headers(client, "a_aux"), json={
        "client_id": new_id(), "device_at": at("2026-12-07T09:30:00")})
    assert raised.status_code == 201, raised.text
    got = raised.json()
    assert got["owner_org_id"] == w.command.id and got["post_agency_id"] == w.post_a.id
    assert w.users["a_officer"].id in told(session, "patrol_sos", got["id"])
    ack = f"{API}/sos/{got['id']}/acknowledge"
    assert client.post(ack, headers=w.headers(client, "police")).status_code == 404
    assert client.post(ack, headers=w.headers(client, "cmd_officer")).status_code == 200


def test_who_may_call_for_help(client, w):
    for who in ("village", "port", "agent"):
        got = client.post(f"{API}/field/sos", headers=w.headers(client, who), json={
            "client_id": new_id(), "device_at": at("2026-12-07T09:30:00")})
        assert got.status_code == 403, who
    naive = client.post(f"{API}/field/sos", headers=w.headers(client, "a_aux"), json={
        "client_id": new_id(), "device_at": "2026-12-07T09:30:00"})
    assert naive.status_code == 422 and naive.json()["detail"][0]["loc"][-1] == "device_at"


def test_open_sos_calls_as_each_user_sees_them(client, session, w):
    from bastion.border.patrols import sos

    patrol = client.post(f"{API}/field/start", headers=w.headers(client, "a_aux"), json={
        "op_id": new_id(), "patrol_id": new_id(), "segment_id": w.seg_a.id,
        "device_at": at("2026-12-07T09:00:00")}).json()["patrol"]
    on_patrol = client.post(f"{API}/field/sos", headers=w.headers(client, "a_aux"), json={
        "client_id": new_id(), "patrol_id": patrol["client_id"],
        "device_at": at("2026-12-07T09:30:00")}).json()["id"]
    alone = client.post(f"{API}/field/sos", headers=w.headers(client, "police"), json={
        "client_id": new_id(), "device_at": at("2026-12-07T09:31:00")}).json()["id"]

    def seen(who):
        return {s.id for s in session.scalars(sos.visible_query(w.users[who]))}

    # the police officer's SOS outside a patrol goes to the command sharing its map with
    # them (no position: no post known, so every post of the command sees it)
    assert seen("cmd") == {on_patrol, alone}
    assert seen("a_officer") == {on_patrol, alone}
    assert seen("b_officer") == {alone}
    assert seen("police") == {alone}
    assert seen("village") == set()
    client.post(f"{API}/sos/{on_patrol}/acknowledge", headers=w.headers(client, "cmd_officer"))
    session.expire_all()
    assert seen("cmd") == {alone}
