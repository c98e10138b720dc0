"""An alarm published over MQTT to the local Mosquitto reaches the command's map: a real
``bastion serve`` subscribed to the broker (``BASTION_FIELDALARMS__MQTT_URL``), a device
registered through the API, a signed message published with QoS 1, and the command's live
event stream brings ``fieldalarm.raised`` for an incident that exists. Bad messages on the
same topic are counted by reason and the subscriber goes on; a retransmit is stored once; a
broker lost and back is reconnected. The delay is measured in bench/field_alarm_latency.py."""

from __future__ import annotations

import asyncio
import os
import time
import uuid

import httpx
import pytest

from bastion.fieldalarms import keys, mqtt
from tests.core.live_processes import Listener, environment, prepare, serve, token
from tests.fieldalarms.mqtt_helpers import Publisher, broker_up


@pytest.fixture(autouse=True)
def _broker():
    """Mosquitto must run in CI (.ci/run starts it): unreachable there is a failure; on a
    laptop without a broker, a skip."""
    if not broker_up():
        message = "no MQTT broker on 127.0.0.1:1883"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)

API = "/api/v1/field-alarms"


def _wait(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_an_alarm_over_mqtt_reaches_the_command_s_map(tmp_path):
    prefix = f"bastion-test-{uuid.uuid4().hex[:8]}"
    env = environment(f"sqlite:///{tmp_path / 'mqtt.db'}",
                      BASTION_FIELDALARMS__MQTT_URL="mqtt://127.0.0.1:1883",
                      BASTION_FIELDALARMS__MQTT_TOPIC=f"{prefix}/alarms/+")
    prepare(env, tmp_path)
    url, server = serve(env, tmp_path)
    publisher = Publisher()
    stream = None
    try:
        bearer = token(url, "huang.command")
        headers = {"Authorization": f"Bearer {bearer}"}

        def stats() -> dict:
            return httpx.get(f"{url}{API}/intake/stats", headers=headers, timeout=5).json()

        assert _wait(lambda: stats()["mqtt"]["state"] == "connected"), stats()
        post = httpx.get(f"{url}/api/v1/agencies?limit=100", headers=headers, timeout=5)
        post_id = next(a["id"] for a in post.json()["items"] if a["code"] == "NP-JDC-PM")
        made = httpx.post(f"{url}{API}/devices", headers=headers, timeout=5, json={
            "code": "MQ-01", "name": "一键报警桩 MQ-01", "kind": "button", "lon": 105.88,
            "lat": 22.96, "post_agency_id": post_id})
        assert made.status_code == 201, made.text
        key = made.json()["key"]
        stream = Listener(url, bearer, prefix="fieldalarm.")
        stream.start()
        assert stream.ready.wait(20)
        topic = f"{prefix}/alarms/MQ-01"

        # bad messages first: each counted by its reason, none fatal
        publisher.publish(topic, b"\x00garbage")
        publisher.publish(topic, keys.signed({"device": "MQ-01", "id": "x1",
                                              "ts": int(time.time()), "kind": "button"},
                                             "not-the-key"))
        publisher.publish(f"{prefix}/alarms/MQ-99", keys.signed(
            {"device": "MQ-01", "id": "x2", "ts": int(time.time()), "kind": "button"}, key))
        publisher.publish(topic, keys.signed({"device": "MQ-01", "id": "x3",
                                              "ts": int(time.time()) - 7200,
                                              "kind": "button"}, key))
        body = keys.signed({"device": "MQ-01", "id": uuid.uuid4().hex, "ts": int(time.time()),
                            "kind": "button", "lat": 22.961, "lon": 105.881}, key)
        publisher.publish(topic, body)
        assert stream.wait_for(1, 20), server.output()
        _at, kind, data = stream.received[0]
        assert kind == "fieldalarm.raised" and data["record_kind"] == "field_alarm"
        alarm = httpx.get(f"{url}{API}/alarms/{data['record_id']}", headers=headers,
                          timeout=5).json()
        assert alarm["status"] == "raised" and alarm["via"] == "mqtt"
        assert (alarm["lat"], alarm["lon"], alarm["device_code"]) == (22.961, 105.881, "MQ-01")
        publisher.publish(topic, body)  # a retransmit
        assert _wait(lambda: stats()["mqtt"]["duplicates"] == 1), stats()
        counted = stats()["mqtt"]
        assert counted["refused"]["malformed"] == 1
        assert counted["refused"]["bad_signature"] == 1
        assert counted["refused"]["topic_mismatch"] == 1
        assert counted["refused"]["stale"] == 1
        assert counted["alarms"] == 1 and counted["state"] == "connected"
        listed = httpx.get(f"{url}{API}/alarms", headers=headers, timeout=5).json()
        assert [a["device_code"] for a in listed["items"]].count("MQ-01") == 1
        # the police named on the device read it too; the village sees nothing
        police = {"Authorization": f"Bearer {token(url, 'wei.police')}"}
        village = {"Authorization": f"Bearer {token(url, 'ma.village')}"}
        assert httpx.get(f"{url}{API}/alarms/{alarm['id']}", headers=police,
                         timeout=5).status_code == 200
        assert httpx.get(f"{url}{API}/alarms/{alarm['id']}", headers=village,
                         timeout=5).status_code == 403
    finally:
        if stream is not None:
            stream.close()
        publisher.close()
        server.stop()


def test_the_subscriber_retries_a_broker_that_is_not_there():
    """A broker that refuses connections costs retries with a growing pause, never the task."""

    class Settings:
        mqtt_topic = "bastion/alarms/+"
        mqtt_client_id = ""
        replay_window_s = 300.0

    state = mqtt.State()

    async def main() -> None:
        task = asyncio.create_task(mqtt.run("mqtt://127.0.0.1:1", None, secret="s",
                                            settings=Settings(), state=state,
                                            backoff_initial=0.05, backoff_max=0.2))
        await asyncio.sleep(1.0)
        assert not task.done()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert state.reconnects >= 3 and state.state == "stopped"
    assert "refused" in state.error.lower()
