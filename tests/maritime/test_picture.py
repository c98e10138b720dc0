"""The whole maritime pipeline into the database: tracks, the real risk engine, alerts."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.web_helpers import api_token
from typer.testing import CliRunner

from bastion.maritime import demo
from bastion.maritime.alerts.models import AlertStatus, VesselAlert
from bastion.maritime.feeds import build_engine
from bastion.maritime.picture import Picture
from bastion.maritime.tracks.models import Position, Vessel

DATA = Path(__file__).resolve().parents[1] / "data" / "ais"
END = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def picture(session_factory, settings, world, session):
    session.commit()  # the world is visible to the picture's own sessions
    return Picture(sessions=session_factory, settings=settings,
                   engine=build_engine(None, settings), batch=2000)


# The demo is loaded "now": whatever the hour, each behaviour must happen (the night landing
# once broke when loaded between 01:30 and 03:30 Beijing time).
@pytest.mark.parametrize("end", [END, datetime(2026, 11, 20, 17, 45, tzinfo=UTC),
                                 datetime(2026, 11, 20, 19, 15, tzinfo=UTC)],
                         ids=["noon", "01:45-beijing", "03:15-beijing"])
def test_the_demo_day_raises_each_planted_behaviour(picture, session, end):
    for message in demo.messages(end=end):
        picture.ingest(message)
    picture.finish()
    kinds = dict(session.execute(select(VesselAlert.kind, func.count(VesselAlert.id))
                                 .group_by(VesselAlert.kind)).all())
    for kind in ("gap", "encounter", "loitering", "zone_entry", "shore_approach",
                 "identity_change"):
        assert kinds.get(kind), (kind, kinds)
    # The invalid MMSI is no alarm: it is a factor of that vessel's risk score.
    assert "invalid_identity" not in kinds
    unknown = session.get(Vessel, 100440110)
    assert "invalid_identity:mmsi" in {f["name"] for f in unknown.risk_factors}
    # The dark vessel's gap is the one that went dark, and it says how dark it went.
    gap = session.scalar(select(VesselAlert).where(VesselAlert.kind == "gap"))
    assert gap.mmsi == 412440103 and gap.end is not None
    encounter = session.scalar(select(VesselAlert).where(VesselAlert.kind == "encounter"))
    assert {encounter.mmsi, encounter.other_mmsi} == {412440104, 667001900}
    assert session.scalar(select(func.count(Vessel.mmsi))) == 15
    assert session.scalar(select(func.count(Position.id))) > 1000
    flagged = session.get(Vessel, 412440104)
    assert flagged.flag == "CN" and flagged.risk_score > 0 and flagged.risk_factors


def test_an_impossible_jump_is_kept_with_its_retraction(picture, session):
    for message in demo.messages(end=END):
        picture.ingest(message)
    picture.finish()
    jumps = {a.kind: a for a in session.scalars(
        select(VesselAlert).where(VesselAlert.mmsi == 412440108))}
    # Two positions 80 km apart, alternating: first an impossible jump, then recognised as two
    # transmitters on one MMSI; the jump alert stays on record, retracted with the reason.
    assert jumps["teleport"].status == AlertStatus.RETRACTED
    assert jumps["teleport"].retracted_reason
    assert jumps["mmsi_conflict"].status in (AlertStatus.OPEN, AlertStatus.ENDED)


def test_vessels_tracks_and_alerts_over_the_api(picture, client, world):
    for message in demo.messages(end=END):
        picture.ingest(message)
    picture.finish()
    headers = api_token(client, "a.super")
    vessels = client.get("/api/v1/vessels?min_risk=1", headers=headers).json()
    assert vessels["total"] >= 5
    assert vessels["items"][0]["risk_score"] >= vessels["items"][-1]["risk_score"]
    track = client.get("/api/v1/vessels/412440103/track", headers=headers).json()["items"]
    times = [p["at"] for p in track]
    assert times == sorted(times) and len(track) > 100
    in_box = client.get("/api/v1/vessels?bbox=111.0,20.5,113.5,22.0", headers=headers).json()
    assert in_box["total"] == 15
    assert client.get("/api/v1/vessels?bbox=1,2,3", headers=headers).status_code == 422
    alerts = client.get("/api/v1/alerts?kind=gap", headers=headers).json()
    assert alerts["total"] == 1 and alerts["items"][0]["evidence"]
    assert client.get("/api/v1/vessels/999999999", headers=headers).status_code == 404


def test_replay_writes_every_alert_event_as_json_lines(tmp_path, monkeypatch):
    from bastion.cli import app
    from bastion.core import migrate
    from bastion.core.config import get_settings

    url = f"sqlite:///{tmp_path / 'replay.db'}"
    monkeypatch.setenv("BASTION_DATABASE_URL", url)
    get_settings.cache_clear()
    migrate.upgrade(url)
    runner = CliRunner()
    out = tmp_path / "alerts.jsonl"
    result = runner.invoke(app, ["ais", "replay", str(DATA / "marinecadastre-2022-01-03-head399.csv"),
                                 "--alerts-out", str(out), "--no-store"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "messages: 399" in result.output
    for line in out.read_text().splitlines():
        event = json.loads(line)
        assert {"action", "id", "kind", "mmsi", "start", "end", "lat", "lon", "severity",
                "score", "thresholds", "evidence"} <= set(event)


def test_a_tcp_feed_fills_the_picture(picture, session):
    """A real socket server sends NMEA; the feed task decodes, detects and stores it."""
    from bastion.maritime.feeds import run_feed

    lines = (DATA / "sample.aivdm").read_bytes().splitlines()
    sentences = [line for line in lines if line.startswith(b"!AIVDM")]

    async def scenario() -> None:
        async def serve(reader, writer):
            for sentence in sentences:
                writer.write(sentence + b"\r\n")
            await writer.drain()
            await asyncio.sleep(0.5)
            writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        feed = asyncio.create_task(run_feed(f"tcp://127.0.0.1:{port}", picture, flush_every=0.2))
        await asyncio.sleep(2.0)
        feed.cancel()
        server.close()
        await asyncio.gather(feed, return_exceptions=True)

    asyncio.run(scenario())
    picture.flush()
    stored = session.scalar(select(func.count(Vessel.mmsi)))
    assert stored >= 50  # gpsd's sample has ~80 distinct vessels with positions or statics
