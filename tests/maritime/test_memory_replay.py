"""``ais replay --no-store`` drives the risk engine without the picture: the same alerts, and
none of the storing machinery (SQLAlchemy, the web) imported to get them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bastion.maritime import demo
from bastion.maritime.ais.csv_readers import read_csv
from bastion.maritime.feeds import build_engine
from bastion.maritime.memory_replay import drive
from bastion.maritime.picture import Picture

DATA = Path(__file__).resolve().parents[1] / "data" / "ais"
END = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _through_picture(messages, settings) -> list:
    events: list = []
    picture = Picture(sessions=None, settings=settings, engine=build_engine(None, settings),
                      store=False, on_alert=lambda *event: events.append(event))
    for message in messages:
        picture.ingest(message)
    picture.finish()
    return events


def test_the_demo_day_gives_the_alerts_the_picture_gives(settings):
    messages = list(demo.messages(end=END))
    expected = _through_picture(messages, settings)
    events: list = []
    kinds = drive(messages, build_engine(None, settings),
                  on_alert=lambda *event: events.append(event))
    assert events == expected
    assert {"gap", "encounter", "loitering", "zone_entry"} <= {a["kind"] for _, a, _ in events}
    assert kinds == Counter(f"{a['kind']}:{action}" for action, a, _ in expected)


def test_a_message_with_a_bad_time_is_counted_not_taken(settings):
    skipped: Counter = Counter()
    message = {"type": 1, "mmsi": 412000001, "lat": 21.5, "lon": 111.9, "speed": 8.0,
               "time": "yesterday"}
    engine = build_engine(None, settings)
    drive([message], engine, skipped=skipped)
    assert skipped == {"bad_time": 1} and not engine.vessels


def test_the_command_imports_no_database_or_web_and_writes_the_picture_s_alerts(tmp_path,
                                                                                settings):
    csv = DATA / "marinecadastre-2022-01-03-head399.csv"
    out = tmp_path / "alerts.jsonl"
    probe = ("import sys\nfrom bastion.cli import app\n"
             "try:\n    app()\nexcept SystemExit as exit:\n    code = exit.code\n"
             "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
             "('sqlalchemy', 'fastapi', 'starlette', 'jinja2') or m.startswith('bastion.web'))\n"
             "print('heavy:', heavy, 'exit:', code)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BASTION_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src")
    # This slice's alerts are its invalid MMSIs, raised as alarms on request.
    env["BASTION_DETECTORS__INVALID_IDENTITY_ALERTS"] = "true"
    settings.detectors.invalid_identity_alerts = True
    done = subprocess.run([sys.executable, "-c", probe, "ais", "replay", "--no-store",
                           "--alerts-out", str(out), str(csv)], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert "heavy: [] exit: 0" in done.stdout, done.stdout + done.stderr
    assert "messages: 399  lines: 399" in done.stderr
    written = [json.loads(line) for line in out.read_text().splitlines()]
    expected = _through_picture(read_csv(csv), settings)
    assert written and len(written) == len(expected)
    for got, (action, alert, reason) in zip(written, expected, strict=True):
        assert got == json.loads(json.dumps({"action": action, **alert, "reason": reason},
                                            default=str))
