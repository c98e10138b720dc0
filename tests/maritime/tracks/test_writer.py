"""Real MarineCadastre rows through the track writer into the database."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

from sqlalchemy import func, select

from bastion.maritime.ais import read_csv
from bastion.maritime.tracks.models import Position, Vessel
from bastion.maritime.tracks.writer import DownSampling, TrackWriter, message_time, purge_positions

CSV = Path(__file__).resolve().parents[2] / "data" / "ais" / "marinecadastre-2022-01-03-head399.csv"


def _ingest(session, writer: TrackWriter):
    messages = list(read_csv(CSV))
    for message in messages:
        writer.observe(message, message_time(message))
    writer.flush(session)
    return messages


def test_registry_and_downsampled_history(session):
    writer = TrackWriter(flag_of=lambda mmsi: "US" if str(mmsi).startswith("3") else None)
    messages = _ingest(session, writer)
    by_vessel: dict[int, list[dict]] = defaultdict(list)
    for m in messages:
        by_vessel[m["mmsi"]].append(m)
    assert session.scalar(select(func.count(Vessel.mmsi))) == len(by_vessel)
    stored = session.scalar(select(func.count(Position.id)))
    assert len(by_vessel) <= stored < len(messages)  # down-sampled, never below one per vessel
    for mmsi, rows in by_vessel.items():
        latest = max(reversed(rows), key=lambda m: m["time"])  # the last of equal times
        vessel = session.get(Vessel, mmsi)
        assert vessel.last_seen == message_time(latest)
        assert (vessel.lat, vessel.lon) == (latest["lat"], latest["lon"])
        if latest.get("shipname"):
            assert vessel.name == latest["shipname"].strip()


def test_stored_fixes_are_at_least_the_interval_apart_unless_something_changed(session):
    writer = TrackWriter(sampling=DownSampling(min_interval_s=600, min_turn_deg=360,
                                               min_speed_change_kn=1000))
    _ingest(session, writer)
    times: dict[int, list[datetime]] = defaultdict(list)
    statuses: dict[int, list] = defaultdict(list)
    for p in session.scalars(select(Position).order_by(Position.mmsi, Position.at)):
        times[p.mmsi].append(p.at)
        statuses[p.mmsi].append(p.status)
    for mmsi, stamps in times.items():
        for (a, b), (sa, sb) in zip(pairwise(stamps), pairwise(statuses[mmsi]), strict=True):
            assert (b - a) >= timedelta(seconds=600) or sa != sb, mmsi


def test_a_late_message_does_not_move_the_picture_back(session):
    writer = TrackWriter()
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    writer.observe({"type": 1, "mmsi": 412000001, "lat": 21.6, "lon": 111.9, "speed": 8.0}, now)
    writer.flush(session)
    writer.observe({"type": 1, "mmsi": 412000001, "lat": 21.0, "lon": 111.0, "speed": 1.0},
                   now - timedelta(hours=1))
    writer.flush(session)
    vessel = session.get(Vessel, 412000001)
    assert (vessel.lat, vessel.lon, vessel.last_seen) == (21.6, 111.9, now)


def test_retention_purges_old_fixes_but_keeps_vessels(session):
    writer = TrackWriter()
    _ingest(session, writer)
    vessels = session.scalar(select(func.count(Vessel.mmsi)))
    removed = purge_positions(session, older_than=datetime(2030, 1, 1, tzinfo=UTC))
    assert removed > 0
    assert session.scalar(select(func.count(Position.id))) == 0
    assert session.scalar(select(func.count(Vessel.mmsi))) == vessels


def test_the_same_fixes_twice_are_stored_once(session):
    """A replay after a crash sends fixes already stored: (mmsi, at) is unique, insert-or-ignore."""
    _ingest(session, TrackWriter())
    stored = session.scalar(select(func.count(Position.id)))
    _ingest(session, TrackWriter())
    assert session.scalar(select(func.count(Position.id))) == stored
