"""The HTTP intake: a signed alarm opens an incident (event, notification to the command and
the responsible post); a retransmit is stored once; bad keys, unknown devices, revoked keys,
stale times, reused message ids and malformed messages are refused, named and counted, and
never a 500. A device's key only ever sends."""

from __future__ import annotations

import json
import time

from sqlalchemy import select

from bastion.core.events import EventRecord
from bastion.fieldalarms import intake, keys
from bastion.fieldalarms.models import AlarmDevice, FieldAlarm
from bastion.notifications.models import Notification, NotificationRecipient
from bastion.notifications.service import shown
from tests.fieldalarms.world import API, message, send


def told(session, alarm_id):
    notification = session.scalar(select(Notification).where(
        Notification.record_kind == "field_alarm", Notification.record_id == alarm_id))
    assert notification is not None
    return notification, set(session.scalars(select(NotificationRecipient.user_id).where(
        NotificationRecipient.notification_id == notification.id)))


def test_an_alarm_opens_an_incident_told_to_the_command_and_the_post(client, session, aw):
    body = message("FA-A1", aw.key_a, lat=21.6151, lon=107.9302, battery=77)
    reply = send(client, body)
    assert reply.status_code == 201, reply.text
    assert reply.json()["duplicate"] is False
    alarm = session.get(FieldAlarm, reply.json()["alarm_id"])
    assert alarm.status.value == "raised" and alarm.via == "http" and alarm.has_fix
    assert (alarm.lat, alarm.lon, alarm.battery_pct) == (21.6151, 107.9302, 77)
    assert alarm.post_agency_id == aw.w.post_a.id and not alarm.exercise
    assert session.scalar(select(EventRecord.id).where(
        EventRecord.kind == "fieldalarm.raised", EventRecord.record_id == alarm.id))
    notification, people = told(session, alarm.id)
    u = aw.users
    assert notification.severity.value == "urgent"
    assert people == {u["cmd"].id, u["cmd_officer"].id, u["a_officer"].id}
    device = session.get(AlarmDevice, aw.dev_a.id)
    session.refresh(device)
    assert device.last_seen_at is not None and device.battery_pct == 77

    again = send(client, body)  # a retransmit (MQTT QoS 1, a device retrying over HTTP)
    assert again.status_code == 200 and again.json() == {
        "alarm_id": alarm.id, "duplicate": True, "kind": "duplicates"}
    assert len(session.scalars(select(FieldAlarm)).all()) == 1


def test_without_a_fix_the_alarm_stands_at_the_device(client, session, aw):
    reply = send(client, message("FA-B1", aw.key_b, kind="trigger"))
    alarm = session.get(FieldAlarm, reply.json()["alarm_id"])
    assert (alarm.lon, alarm.lat, alarm.has_fix) == (aw.dev_b.lon, aw.dev_b.lat, False)
    _, people = told(session, alarm.id)
    assert aw.users["b_officer"].id in people and aw.users["a_officer"].id not in people


def test_replays_are_refused(client, session, aw):
    first = message("FA-A1", aw.key_a)
    assert send(client, first).status_code == 201
    changed = message("FA-A1", aw.key_a, id=first["id"], kind="tamper")
    reply = send(client, changed)
    assert reply.status_code == 409 and reply.json()["code"] == "conflict"
    stale = message("FA-A1", aw.key_a, ts=int(time.time()) - 3600)
    reply = send(client, stale)
    assert reply.status_code == 409 and intake.COUNTERS["http"].refused["stale"] == 1
    future = message("FA-A1", aw.key_a, ts=int(time.time()) + 3600)
    assert send(client, future).status_code == 409
    assert len(session.scalars(select(FieldAlarm)).all()) == 1
    assert intake.COUNTERS["http"].refused["replay"] == 1
    assert intake.COUNTERS["http"].refused["stale"] == 2


def test_bad_keys_and_unknown_devices_are_refused_alike(client, session, aw):
    wrong = send(client, message("FA-A1", aw.key_b))  # B's key on A's messages
    unknown = send(client, message("FA-ZZ", aw.key_a))
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]
    tampered = message("FA-A1", aw.key_a)
    tampered["kind"] = "tamper"  # changed after signing
    assert send(client, tampered).status_code == 401
    counted = intake.COUNTERS["http"].refused
    assert (counted["bad_signature"], counted["unknown_device"]) == (2, 1)
    assert session.scalars(select(FieldAlarm)).all() == []


def test_a_revoked_device_is_refused_until_its_key_is_rotated(client, session, aw):
    cmd = aw.headers(client, "cmd_officer")
    revoked = client.post(f"{API}/devices/{aw.dev_a.id}/revoke", headers=cmd)
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    assert "key" not in revoked.json()
    reply = send(client, message("FA-A1", aw.key_a))
    assert reply.status_code == 401 and intake.COUNTERS["http"].refused["revoked"] == 1
    rotated = client.post(f"{API}/devices/{aw.dev_a.id}/rotate", headers=cmd)
    assert rotated.status_code == 200 and rotated.json()["revoked"] is False
    new_key = rotated.json()["key"]
    assert new_key != aw.key_a and rotated.json()["topic"] == "bastion/alarms/FA-A1"
    assert send(client, message("FA-A1", aw.key_a)).status_code == 401  # the old key is dead
    assert send(client, message("FA-A1", new_key)).status_code == 201
    device = session.get(AlarmDevice, aw.dev_a.id)
    session.refresh(device)
    assert new_key not in (device.key_hash, device.key_nonce)
    assert device.key_hash == keys.fingerprint(new_key)
    shown = client.get(f"{API}/devices/{aw.dev_a.id}", headers=cmd).json()
    assert "key" not in shown and new_key not in json.dumps(shown)


def test_malformed_messages_name_the_field_and_are_counted(client, session, aw):
    cases = [
        (b"not json", "body"), (b"[1, 2]", "body"), (b"", "body"),
        (json.dumps({"device": "FA-A1"}), "id"),
        (json.dumps(message("FA-A1", aw.key_a, kind="smoke")), "kind"),
        (json.dumps(message("FA-A1", aw.key_a, lat=21.6)), "lon"),
        (json.dumps(message("FA-A1", aw.key_a, lat=121.6, lon=107.9)), "lat"),
        (json.dumps(message("FA-A1", aw.key_a, battery=140)), "battery"),
        (json.dumps(message("FA-A1", aw.key_a, ts="yesterday")), "ts"),
        (json.dumps(message("FA-A1", aw.key_a, exercise="yes")), "exercise"),
        (json.dumps({**message("FA-A1", aw.key_a), "sig": "abc"}), "sig"),
        (json.dumps({**message("FA-A1", aw.key_a), "pad": "x" * 5000}), "body"),
        ("\ud800".encode("utf-8", "surrogatepass"), "body"),
        (b'{"a":' * 5000, "body"),
    ]
    for raw, field in cases:
        reply = send(client, raw)
        assert reply.status_code == 422, (raw[:40], reply.status_code, reply.text)
        assert reply.json()["detail"][0]["loc"][-1] == field, (raw[:40], reply.json())
    assert intake.COUNTERS["http"].refused["malformed"] == len(cases)
    assert send(client, message("FA-A1", aw.key_a)).status_code == 201  # still taking alarms


def test_a_heartbeat_keeps_health_and_opens_nothing(client, session, aw):
    session.get(AlarmDevice, aw.dev_a.id).silent = True
    session.commit()
    reply = send(client, message("FA-A1", aw.key_a, kind="heartbeat", battery=15))
    assert reply.status_code == 200 and reply.json()["kind"] == "heartbeats"
    device = session.get(AlarmDevice, aw.dev_a.id)
    session.refresh(device)
    assert device.battery_pct == 15 and device.silent is False and device.last_seen_at
    assert session.scalars(select(FieldAlarm)).all() == []


def test_a_device_key_is_not_a_login(client, aw):
    for path in (f"{API}/alarms", f"{API}/devices", "/api/v1/notifications"):
        reply = client.get(path, headers={"Authorization": f"Bearer {aw.key_a}"})
        assert reply.status_code == 401, path


def test_exercise_presses_are_marked(client, session, aw):
    reply = send(client, message("FA-A1", aw.key_a, exercise=True))
    alarm = session.get(FieldAlarm, reply.json()["alarm_id"])
    assert alarm.exercise is True
    notification, _ = told(session, alarm.id)
    assert notification.exercise is True and shown(notification)[0].startswith(("[EXERCISE]", "【演练】"))


def test_the_mqtt_handler_never_raises(session_factory, aw):
    """A message that breaks the code (here: the database gone) is counted as an error and
    the subscriber goes on; a refused one is counted by its reason."""
    from bastion.fieldalarms import mqtt
    from tests.conftest import TEST_SECRET

    def gone():
        raise RuntimeError("database gone")

    settings = type("S", (), {"replay_window_s": 300.0})()
    body = json.dumps(message("FA-A1", aw.key_a)).encode()
    assert mqtt.handle(gone, topic="bastion/alarms/FA-A1", payload=body, secret=TEST_SECRET,
                       settings=settings) == "error"
    assert mqtt.handle(session_factory, topic="bastion/alarms/FA-A1", payload=b"{",
                       secret=TEST_SECRET, settings=settings) == "malformed"
    assert mqtt.handle(session_factory, topic="bastion/alarms/FA-A1", payload=body,
                       secret=TEST_SECRET, settings=settings) == "alarms"
    assert mqtt.handle(session_factory, topic="bastion/alarms/FA-A1", payload=body,
                       secret=TEST_SECRET, settings=settings) == "duplicates"
    counted = intake.COUNTERS["mqtt"].as_dict()
    assert counted["refused"]["error"] == counted["refused"]["malformed"] == 1
    assert (counted["alarms"], counted["duplicates"], counted["received"]) == (1, 1, 4)
