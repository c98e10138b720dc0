"""Benchmark: how long a field alarm takes from the device to the command's map (issue 17:
"each alarm appears on the command's map at once", aim under one second), over MQTT and, as the
peer in the same run, over the HTTP intake.

Run: .venv/bin/python bench/field_alarm_latency.py [-n 200] [--pg URL] [--every 0.05]

A real ``bastion serve`` (demo data, SQLite unless ``--pg``) subscribed to the local Mosquitto
(127.0.0.1:1883) on a topic of its own; a device registered through the API; the command's
(huang.command) ``/events/stream`` read by an SSE client. Each alarm is a signed message, sent
``-n`` times over each path, one every ``--every`` seconds, the paths interleaved so that both
meet the same load: over MQTT published with QoS 1 by a paho client, over HTTP posted to
``/api/v1/field-alarms/intake`` by an httpx client. Its delay is the arrival of its
``fieldalarm.raised`` event on the stream minus the moment just before it was handed to the
publish or the POST, on one machine's clock. Which event is whose is read from the API after
the run, in the database (the stream names only the alarm's id, the API shows no message ids),
so that reading does not load the server under measurement. Prints p50/p99/max per path, alarms expected against received, and PASS/FAIL
against 1 s at p99 for MQTT.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import httpx
from tests.core import live_processes as live
from tests.fieldalarms.mqtt_helpers import Publisher, broker_up

TARGET_S = 1.0
USER = "huang.command"


def _quantile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="alarms over each path")
    parser.add_argument("--every", type=float, default=0.05,
                        help="seconds between two alarms (the paths alternate)")
    parser.add_argument("--pg", help="PostgreSQL URL next to which a fresh database is made")
    args = parser.parse_args()
    if not broker_up():
        sys.exit("no MQTT broker on 127.0.0.1:1883 (apt-get install mosquitto)")
    folder = Path(tempfile.mkdtemp(prefix="bastion-field-alarm-latency-"))
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    url = (live.fresh_postgres(args.pg, "field_alarm_latency") if args.pg
           else f"sqlite:///{folder / 'bench.db'}")
    env = live.environment(url, BASTION_FIELDALARMS__MQTT_URL="mqtt://127.0.0.1:1883",
                           BASTION_FIELDALARMS__MQTT_TOPIC=f"{prefix}/alarms/+")
    print(f"database {'PostgreSQL' if args.pg else 'SQLite'}; {args.n} alarms a path, one "
          f"every {args.every:g} s, paths interleaved; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores", flush=True)
    live.prepare(env, folder)
    server_url, server = live.serve(env, folder)
    publisher = Publisher()
    ok = True
    try:
        bearer = live.token(server_url, USER)
        headers = {"Authorization": f"Bearer {bearer}"}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            stats = httpx.get(f"{server_url}/api/v1/field-alarms/intake/stats",
                              headers=headers, timeout=5).json()
            if stats["mqtt"]["state"] == "connected":
                break
            time.sleep(0.2)
        else:
            sys.exit(f"the server did not subscribe: {stats}")
        agencies = httpx.get(f"{server_url}/api/v1/agencies?limit=200", headers=headers,
                             timeout=5).json()["items"]
        post = next(a["id"] for a in agencies if a["code"] == "NP-JDC-PM")
        made = httpx.post(f"{server_url}/api/v1/field-alarms/devices", headers=headers,
                          timeout=10, json={"code": "BENCH-01", "name": "bench", "kind": "button",
                                            "lon": 105.88, "lat": 22.96, "post_agency_id": post})
        made.raise_for_status()
        key = made.json()["key"]
        from bastion.fieldalarms import keys

        stream = live.Listener(server_url, bearer, prefix="fieldalarm.raised")
        stream.start()
        assert stream.ready.wait(20), "the event stream did not open"
        sent: dict[str, tuple[str, float]] = {}  # message id -> (path, time before sending)
        http = httpx.Client(timeout=30)
        topic = f"{prefix}/alarms/BENCH-01"
        for i in range(2 * args.n):
            path = ("mqtt", "http")[i % 2]
            message_id = uuid.uuid4().hex
            body = keys.signed({"device": "BENCH-01", "id": message_id,
                                "ts": int(time.time()), "kind": "button"}, key)
            sent[message_id] = (path, time.time())
            if path == "mqtt":
                publisher.publish(topic, body)
            else:
                reply = http.post(f"{server_url}/api/v1/field-alarms/intake",
                                  content=json.dumps(body),
                                  headers={"Content-Type": "application/json"})
                reply.raise_for_status()
            time.sleep(args.every)
        stream.wait_for(2 * args.n, 30)
        stream.close()
        arrivals = {data["record_id"]: at for at, _kind, data in stream.received}
        delays: dict[str, list[float]] = {"mqtt": [], "http": []}
        ids = _message_ids(url)
        for alarm_id, message_id in ids.items():
            if message_id in sent and alarm_id in arrivals:
                path, at = sent[message_id]
                delays[path].append(arrivals[alarm_id] - at)
        counters = httpx.get(f"{server_url}/api/v1/field-alarms/intake/stats", headers=headers,
                             timeout=5).json()
        for path in ("mqtt", "http"):
            values = sorted(delays[path])
            if not values:
                print(f"{path:<5} no alarm arrived: FAIL")
                ok = False
                continue
            p50, p99 = statistics.median(values), _quantile(values, 99)
            passed = len(values) == args.n and p99 <= TARGET_S
            if path == "mqtt":
                ok = ok and passed
            print(f"{path:<5} arrived {len(values)}/{args.n}  delay p50 {p50 * 1000:6.1f} ms  "
                  f"p99 {p99 * 1000:6.1f} ms  max {values[-1] * 1000:6.1f} ms  "
                  f"{'PASS' if passed else 'FAIL'} vs p99 <= {TARGET_S:g} s")
        print(f"intake counters: mqtt {json.dumps(counters['mqtt'])}")
        if delays["mqtt"] and delays["http"]:
            ratio = statistics.median(delays["mqtt"]) / statistics.median(delays["http"])
            print(f"ratio p50 mqtt / http: {ratio:.2f}")
    finally:
        publisher.close()
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print("overall:", "PASS" if ok else "FAIL")


def _message_ids(database_url: str) -> dict[int, str]:
    """alarm id -> the device's message id, read from the database after the run (the API
    does not show message ids)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, message_id FROM fieldalarm_alarm")).all()
    engine.dispose()
    return {row[0]: row[1] for row in rows}


if __name__ == "__main__":
    main()
