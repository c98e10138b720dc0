"""Crash-safe ingest (#10), on SQLite and PostgreSQL: a storing replay killed with SIGKILL,
then replayed, stores what one clean replay stores: no position, vessel, alert or event twice,
nothing lost."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from tests.conftest import pg_url
from tests.core.live_processes import BASTION, environment, fresh_postgres, prepare

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


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path):
    """``databases(*names)``: one prepared database per name (people, no traffic), on SQLite
    (copies of one file) and, when the suite has PostgreSQL, on fresh PostgreSQL databases."""
    if request.param == "postgresql" and not pg_url():
        pytest.skip("BASTION_TEST_PG not set")

    def make(*names: str) -> list[str]:
        if request.param == "sqlite":
            base = tmp_path / "base.db"
            prepare(environment(f"sqlite:///{base}"), tmp_path)
            for name in names:
                shutil.copy(base, tmp_path / f"{name}.db")
            return [f"sqlite:///{tmp_path / name}.db" for name in names]
        urls = [fresh_postgres(pg_url(), f"crash_{name}") for name in names]
        for url in urls:
            prepare(environment(url), tmp_path)
        return urls

    return make


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        counts = {name: conn.execute(text(sql)).scalar_one() for name, sql in TABLES.items()}
    engine.dispose()
    return counts


def test_a_killed_replay_replayed_stores_nothing_twice(tmp_path, databases):
    recording = tmp_path / "recording.nmea"
    _recording(recording)
    clean_url, crash_url = databases("clean", "crash")
    replay = [*BASTION, "ais", "replay", str(recording), "--batch", "200"]

    subprocess.run(replay, env=environment(clean_url), check=True, capture_output=True,
                   cwd=tmp_path)
    clean = _counts(clean_url)
    assert clean["positions"] > 500 and clean["alerts"] and clean["events"]

    # Paced by the data's clock so that it is surely mid-run when some batches are stored.
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


def _timeless(path: Path, count: int) -> None:
    """A plain receiver log, no time of its own: one position report from each of ``count``
    vessels (so every fix is distinct however fast the file is read)."""
    from pyais.encode import encode_dict

    lines = [encode_dict({"type": 1, "mmsi": 412_000_000 + i, "lat": 21.0 + i / 1e5,
                          "lon": 111.5 + i / 1e5, "speed": 9.5, "course": 90, "heading": 90,
                          "status": 0}, talker_id="AI", sentence_type="VDM")[0]
             for i in range(count)]
    path.write_text("\n".join(lines) + "\n")


def _positions(url: str) -> int:
    return _counts(url)["positions"]


def test_a_file_without_timestamps_resumes_from_its_checkpoint(tmp_path, databases):
    """Messages stamped with the time they are read cannot be known again by their natural
    key: a replay of such a file skips what an earlier replay stored, and a killed replay
    resumed stores what one clean replay stores."""
    recording = tmp_path / "receiver.log"
    _timeless(recording, count=6000)
    clean_url, crash_url = databases("clean", "crash")
    replay = [*BASTION, "ais", "replay", str(recording), "--batch", "200"]

    subprocess.run(replay, env=environment(clean_url), check=True,
                   capture_output=True, cwd=tmp_path)
    clean = _positions(clean_url)
    assert clean == 6000
    again = subprocess.run(replay, env=environment(clean_url), check=True,
                           capture_output=True, text=True, cwd=tmp_path)
    assert _positions(clean_url) == clean
    assert "skipped, stored by an earlier replay" in again.stderr

    process = subprocess.Popen(replay, env=environment(crash_url),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and _positions(crash_url) == 0:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(10)
    partial = _positions(crash_url)
    assert process.returncode == -signal.SIGKILL and 0 < partial < clean
    subprocess.run(replay, env=environment(crash_url), check=True,
                   capture_output=True, cwd=tmp_path)
    assert _positions(crash_url) == clean

    # --again reads the whole file once more, as asked: every timeless fix a second time.
    subprocess.run([*replay, "--again"], env=environment(crash_url), check=True,
                   capture_output=True, cwd=tmp_path)
    assert _positions(crash_url) > clean
