"""Alerts are stored at once, not with their batch (issue 15, "alarm latency"): a ``--realtime``
replay stores an alert while it still replays, a feed stores one long before its flush
interval, a replay writes a batch at each alert without storing anything twice, and a batch
whose write failed is kept for the next. Timing lives in ``bench/alert_latency.py``; these
say only "before", never "how fast"."""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from tests.core.live_processes import BASTION, environment, invalid_mmsi_report, prepare

from bastion.maritime.ais.nmea import checksum
from bastion.maritime.alerts.models import VesselAlert
from bastion.maritime.feeds import build_engine, run_feed
from bastion.maritime.picture import Picture
from bastion.maritime.tracks.models import Position

DATA = Path(__file__).resolve().parents[1] / "data" / "ais"
START = 1272412800  # 2010-04-28 00:00 UTC, around libais's USCG recording


def _stamped(line: bytes, epoch: int) -> bytes:
    block = b"c:%d" % epoch
    return b"\\" + block + b"*%02X\\" % checksum(block) + line


def _recording(path: Path, minutes: int) -> None:
    """An invalid MMSI's report first (an alert on first sight), then libais's real USCG
    sentences once a minute for ``minutes`` minutes of data time, each with a tag-block time:
    far fewer messages than a stored batch holds."""
    lines = [line for line in (DATA / "libais-test.aivdm").read_bytes().splitlines()
             if line.startswith(b"!")]
    out = [_stamped(invalid_mmsi_report().encode(), START)]
    for minute in range(minutes):
        out += [_stamped(line, START + 60 * minute + 1 + i % 50) for i, line in enumerate(lines)]
    path.write_bytes(b"\n".join(out) + b"\n")


def _alerts(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM vessel_alert")).scalar_one()
    engine.dispose()
    return count


def test_a_realtime_replay_stores_an_alert_while_it_replays(tmp_path):
    recording = tmp_path / "recording.nmea"
    # 18 data minutes at 40x: 27 s of replay, in fewer messages than one stored batch holds
    # (before, the alert was stored with the batch: when the replay ended).
    _recording(recording, minutes=18)
    url = f"sqlite:///{tmp_path / 'replay.db'}"
    prepare(environment(url), tmp_path)
    process = subprocess.Popen([*BASTION, "ais", "replay", str(recording), "--realtime",
                                "--speed", "40"], env=environment(url),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None and not _alerts(url):
            time.sleep(0.2)
        stored = _alerts(url)
        time.sleep(3)
        still_replaying = process.poll() is None  # seconds later: the replay was far from done
    finally:
        process.kill()
        _, err = process.communicate(timeout=10)
    assert stored, err.decode(errors="replace")[-2000:]
    assert still_replaying, "the alert was stored only as the replay ended"


def test_a_replay_writes_a_batch_at_each_alert_and_nothing_twice(tmp_path):
    """The batch an alert closes is one transaction with the positions before it and the
    file's checkpoint: replaying the file again (as after a crash) adds nothing."""
    recording = tmp_path / "recording.nmea"
    _recording(recording, minutes=3)
    url = f"sqlite:///{tmp_path / 'replay.db'}"
    env = environment(url)
    prepare(env, tmp_path)
    replay = [*BASTION, "ais", "replay", str(recording), "--batch", "100000"]
    subprocess.run(replay, env=env, check=True, capture_output=True, cwd=tmp_path)
    engine = create_engine(url)
    count = "SELECT (SELECT count(*) FROM vessel_position), (SELECT count(*) FROM vessel_alert)," \
            " (SELECT count(*) FROM event_log WHERE kind LIKE 'alert.%')"
    with engine.connect() as conn:
        first = tuple(conn.execute(text(count)).one())
    subprocess.run(replay, env=env, check=True, capture_output=True, cwd=tmp_path)
    with engine.connect() as conn:
        again = tuple(conn.execute(text(count)).one())
    engine.dispose()
    assert first[0] > 100 and first[1] >= 1 and first[2] >= first[1]
    assert again == first


@pytest.fixture
def picture(session_factory, settings, world, session):
    session.commit()  # the world is visible to the picture's own sessions
    # The invalid MMSI report is this test's alert: raised as one, on request.
    settings.detectors.invalid_identity_alerts = True
    return Picture(sessions=session_factory, settings=settings,
                   engine=build_engine(None, settings))


def test_a_feed_stores_an_alert_long_before_its_flush_interval(picture, session):
    """An hour between flushes, yet the invalid MMSI's alert is stored (and the positions
    before it with it) while the feed runs."""
    ordinary = [line for line in (DATA / "libais-test.aivdm").read_text().splitlines()
                if line.startswith("!")][:20]

    async def scenario() -> tuple[int, int]:
        async def serve(reader, writer):
            writer.write("".join(f"{line}\r\n" for line in
                                 [*ordinary, invalid_mmsi_report()]).encode())
            await writer.drain()
            await asyncio.sleep(30)

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        feed = asyncio.create_task(run_feed(f"tcp://127.0.0.1:{port}", picture,
                                            flush_every=3600))
        found = 0
        for _ in range(400):  # 20 s on a loaded machine: still far before the hour's flush
            await asyncio.sleep(0.05)
            found = await asyncio.to_thread(_count, picture, VesselAlert)
            if found:
                break
        positions = await asyncio.to_thread(_count, picture, Position)
        feed.cancel()
        server.close()
        await asyncio.gather(feed, return_exceptions=True)
        return found, positions

    found, positions = asyncio.run(scenario())
    assert found == 1
    assert positions >= 2  # the batch the alert closed went with it


def _count(picture: Picture, model) -> int:
    with picture.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_batch_whose_write_failed_is_written_with_the_next(picture, session):
    """The database refusing a write loses nothing: the batch goes back, in front."""
    lines = [line for line in (DATA / "libais-test.aivdm").read_text().splitlines()
             if line.startswith("!")]
    from bastion.maritime.ais import Pipeline

    messages = list(Pipeline().run(line.encode() for line in lines))
    picture.autoflush = False
    for message in messages[:60]:
        picture.ingest(message)
    batch = picture.take()
    assert batch.gathered.positions
    broken = picture.sessions
    picture.sessions = None  # no database: the write raises before anything is written
    with pytest.raises(TypeError):
        picture.write(batch)
    picture.give_back(batch)
    picture.sessions = broken
    for message in messages[60:]:
        picture.ingest(message)
    picture.flush()
    fixes = {(m["mmsi"]) for m in messages if m.get("lat") is not None}
    with picture.sessions() as check:
        stored = set(check.scalars(select(Position.mmsi).distinct()))
    assert fixes and fixes <= stored
