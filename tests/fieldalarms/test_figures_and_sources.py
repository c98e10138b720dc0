"""The annual figures (operational alarms only, false ones apart, what the user may see), the
case source that lets cases open a case from an alarm, and the silent-device job."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bastion.core.config import Settings
from bastion.core.db import utcnow
from bastion.core.figures import by_key, collect
from bastion.fieldalarms import case_source, figures, service
from bastion.fieldalarms.models import AlarmDevice
from bastion.notifications.models import Notification
from tests.conftest import TEST_SECRET
from tests.fieldalarms.world import API, message, send


def test_figures_count_operational_alarms_only(client, session, aw):
    a1 = send(client, message("FA-A1", aw.key_a)).json()["alarm_id"]
    send(client, message("FA-A1", aw.key_a, kind="trigger"))
    send(client, message("FA-B1", aw.key_b, exercise=True))  # a drill's test press
    send(client, message("FA-B1", aw.key_b, kind="battery_low", battery=9))  # upkeep
    client.post(f"{API}/alarms/{a1}/actions", json={"action": "false_alarm", "note": "风"},
                headers=aw.headers(client, "cmd_officer"))
    today = utcnow().date()
    span = {"start": today - timedelta(days=1), "end": today + timedelta(days=2)}
    got = {f.key: f.value for f in figures.figures(session=session, user=aw.users["cmd"],
                                                   **span)}
    assert got == {"fieldalarms.alarms": 2, "fieldalarms.false_alarms": 1}
    post_b = {f.key: f.value for f in figures.figures(session=session,
                                                      user=aw.users["b_officer"], **span)}
    assert post_b == {"fieldalarms.alarms": 0, "fieldalarms.false_alarms": 0}
    assert figures.figures(session=session, user=aw.users["village"], **span) is None
    assert by_key(collect(session=session, user=aw.users["cmd"], **span))[
        "fieldalarms.alarms"] == 2
    last_year = {"start": today - timedelta(days=400), "end": today - timedelta(days=30)}
    assert {f.value for f in figures.figures(session=session, user=aw.users["cmd"],
                                             **last_year)} == {0}


def test_a_case_opened_from_an_alarm(client, session, aw):
    alarm_id = send(client, message("FA-A1", aw.key_a, lat=21.616, lon=107.931)).json()[
        "alarm_id"]
    seen = case_source.describe(session=session, user=aw.users["a_officer"], record_id=alarm_id)
    assert seen["geometry"] == {"type": "Point", "coordinates": [107.931, 21.616]}
    assert seen["url"] == f"/field-alarms?alarm={alarm_id}" and "FA-A1" in seen["title"]
    assert seen["occurred_at"] is not None
    assert {link["kind"] for link in seen["links"]} == {"field_alarm", "field_alarm_device",
                                                        "agency"}
    for who in ("b_officer", "police_2", "village", "agent"):
        assert case_source.describe(session=session, user=aw.users[who],
                                    record_id=alarm_id) is None, who
    assert case_source.describe(session=session, user=aw.users["cmd"], record_id=999999) is None
    from bastion.core import domains

    manifest = next(d for d in domains.registered() if d.name == "fieldalarms")
    target = manifest.extra["case_sources"]["field_alarm"]
    assert domains.load(target) is case_source.describe


def test_silent_devices_are_flagged_once_and_unflagged_when_heard(client, session, aw):
    settings = Settings(database_url="sqlite://", secret_key=TEST_SECRET, _env_file=None)
    now = utcnow()
    a = session.get(AlarmDevice, aw.dev_a.id)
    b = session.get(AlarmDevice, aw.dev_b.id)
    a.last_seen_at, b.last_seen_at = now - timedelta(hours=30), now - timedelta(hours=2)
    session.flush()
    assert service.flag_silent(session, settings=settings.fieldalarms, now=now) == 1
    assert (a.silent, b.silent) == (True, False)
    assert session.scalar(select(Notification).where(
        Notification.record_kind == "field_alarm_device", Notification.record_id == a.id))
    assert service.flag_silent(session, settings=settings.fieldalarms, now=now) == 0
    session.commit()
    send(client, message("FA-A1", aw.key_a, kind="heartbeat"))
    session.refresh(a)
    assert a.silent is False
    page = client.get("/field-alarms/devices", headers=aw.headers(client, "cmd"))
    assert page.status_code == 200 and "FA-A1" in page.text
