"""Crash-safe ingest (#10): a storing replay killed with SIGKILL, then replayed, stores what
one clean replay stores: no position, vessel, alert or event twice, nothing lost."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from tests.core.live_processes import BASTION, environment, prepare

from bastion.maritime.ais.nmea import checksum

DATA = Path(__file__).resolve().parents[1] / "data" / "ais"
TABLES = {"positions": "SELECT count(*) FROM vessel_position",
          "vessels": "SELECT count(*) FROM vessel",
          "alerts": "SELECT count(*) FROM vessel_alert",
          "events": "SELECT count(*) FROM event_log WHERE kind LIKE 'alert.%'"}


def _recording(path: Path, repeats: int = 24) -> None:
    """libais's real USCG sentences, replayed ``repeats`` times five minutes apart, each line
    with a tag-block time: a few hours of traffic with its own clock."""
    lines = [line for line in (DATA / "libais-test.aivdm").read_bytes().splitlines()
             if line.startswith(b"!")]
    out = []
    for rep in range(repeats):
        for i, line in enumerate(lines):
            block = b"c:%d" % (1272412800 + rep * 300 + i)
            out.append(b"\\" + block + b"*%02X\\" % checksum(block) + line)
    path.write_bytes(b"\n".join(out) + b"\n")


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        counts = {name: conn.execute(text(sql)).scalar_one() for name, sql in TABLES.items()}
    engine.dispose()
    return counts


def test_a_killed_replay_replayed_stores_nothing_twice(tmp_path):
    recording = tmp_path / "recording.nmea"
    _recording(recording)
    base = tmp_path / "base.db"
    prepare(environment(f"sqlite:///{base}"), tmp_path)
    clean_db, crash_db = tmp_path / "clean.db", tmp_path / "crash.db"
    shutil.copy(base, clean_db)
    shutil.copy(base, crash_db)
    replay = [*BASTION, "ais", "replay", str(recording), "--batch", "200"]

    clean_url = f"sqlite:///{clean_db}"
    subprocess.run(replay, env=environment(clean_url), check=True, capture_output=True,
                   cwd=tmp_path)
    clean = _counts(clean_url)
    assert clean["positions"] > 500 and clean["alerts"] and clean["events"]

    # Paced by the data's clock so that it is surely mid-run when some batches are stored.
    crash_url = f"sqlite:///{crash_db}"
    process = subprocess.Popen([*replay, "--realtime", "--speed", "400"],
                               env=environment(crash_url), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=tmp_path)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and _counts(crash_url)["positions"] == 0:
            time.sleep(0.2)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(10)
    assert process.returncode == -signal.SIGKILL
    partial = _counts(crash_url)
    assert 0 < partial["positions"] < clean["positions"]

    subprocess.run(replay, env=environment(crash_url), check=True, capture_output=True,
                   cwd=tmp_path)
    assert _counts(crash_url) == clean
    # And the same file once more changes nothing at all.
    subprocess.run(replay, env=environment(crash_url), check=True, capture_output=True,
                   cwd=tmp_path)
    assert _counts(crash_url) == clean
