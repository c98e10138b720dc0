"""Benchmark: a year of patrol measures from the database (issue 12 item 9, end to end).

SYNTHETIC data on a real line, the same as ``bench/patrol_coverage.py``: 100 km of the
China–Vietnam border (Natural Earth 1:10m) cut into ten 10 km defence segments, and 2,400
made-up vehicle patrols over one year (2025, about 6.6 a day), each a 500-point track (one fix
every 20 m and 10 s) stored as five TrackChunks of 100 points (a phone's uploads), with two
planned checkpoints (one in twenty skipped), two members (an army soldier on every fourth),
a planned start (one in twenty started 10 minutes late) and an observation on every tenth.
Written into a fresh SQLite database migrated to head, then:

- ours: ``border.patrols.measures.measures()`` for the whole year by month, as the command's
  viewer sees it — need-to-know queries, loading and cleaning-aware reading of 1.2 million
  fixes from the database, checkpoint and completion facts, and segment coverage for the
  total, each month and each agency (14 runs of ``border.coverage.segment_coverage``);
- peer: a plain shapely buffer-and-union computation of the year's segment coverage alone,
  from the same kept fixes already in memory (no database; cleaning drops the jumps onto the
  detours, 600 m in 10 s, as it would a phone's): every track projected to one local
  transverse Mercator plane, buffered by d, the buffers unioned, each segment intersected.

Also timed: the engine alone on the same kept tracks in memory (the like-for-like figure).
The year's covered metres per segment must agree within 0.1 % of each segment's length. Times
are wall-clock and CPU seconds (user + system); the ratio is peer / ours.

Run: PYTHONPATH=src .venv/bin/python bench/patrol_measures.py [PATROLS]
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from shapely.geometry import LineString, Point, mapping

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from patrol_coverage import (
    LENGTH_M,
    POINTS,
    SEGMENTS,
    START_M,
    WITHIN_M,
    border,
    synthetic_tracks,
)
from tests.border.synth import GEOD, cut

from bastion.core.geo.metric import local_metric

ZONE = ZoneInfo("Asia/Shanghai")
CHUNKS = 5
YEAR = 2025


def shapely_peer(segments, tracks) -> tuple[list[float], float]:
    """bench/patrol_coverage.py's peer, for tracks of different lengths."""
    started = time.perf_counter()
    plane = local_metric(shapely.union_all([g for _n, g in segments]))
    lines = [LineString(t) if len(t) > 1 else Point(t[0]) for t in tracks if len(t)]
    zone = shapely.union_all(shapely.buffer([plane.to_metric(g) for g in lines], WITHIN_M))
    covered = []
    for _name, geometry in segments:
        flat = plane.to_metric(geometry)
        scale = GEOD.geometry_length(geometry) / flat.length
        covered.append(flat.intersection(zone).length * scale)
    return covered, time.perf_counter() - started


def build(session, count: int, tracks: list[np.ndarray], segments,
          kept_tracks: list[np.ndarray]) -> object:
    from bastion.border.geo.models import BorderLine, BoundaryMarker, Checkpoint, DefenceSegment
    from bastion.border.patrols import cleaning
    from bastion.border.patrols.models import (
        CheckIn,
        Observation,
        ObservationCategory,
        Patrol,
        PatrolMember,
        PatrolStatus,
        PlannedCheckpoint,
        TrackChunk,
        Transport,
    )
    from bastion.core.geo import line_length_m
    from bastion.core.marking import TLP, Distribution
    from bastion.org import service as org
    from bastion.org.models import AgencyKind, Role
    from bastion.org.schemas import AgencyCreate, UserCreate

    def agency(code, name, kind, parent=None):
        return org.create_agency(session, actor=None, data=AgencyCreate(
            code=code, name=name, name_en=name, kind=kind,
            parent_id=parent.id if parent else None))

    command = agency("BENCH-CMD", "SYNTHETIC command", AgencyKind.JOINT_DEFENCE_COMMAND)
    posts = [agency(f"BENCH-P{k}", f"SYNTHETIC post {k}", AgencyKind.JOINT_DEFENCE_POST, command)
             for k in range(1, 4)]
    army = agency("BENCH-ARMY", "SYNTHETIC army company", AgencyKind.ARMY)
    author = org.create_user(session, actor=None, data=UserCreate(
        username="bench.officer", display_name="SYNTHETIC", agency_id=command.id,
        role=Role.OFFICER, password="bench-password-1"))
    viewer = org.create_user(session, actor=None, data=UserCreate(
        username="bench.viewer", display_name="SYNTHETIC", agency_id=command.id,
        role=Role.VIEWER, password="bench-password-1"))
    marking = {"owner_org_id": command.id, "created_by_id": author.id, "tlp": TLP.GREEN,
               "distribution": Distribution.OWN}
    whole = LineString([p for _n, g in segments for p in g.coords])
    line = BorderLine(name="SYNTHETIC stretch", source="Natural Earth", geometry=mapping(whole),
                      length_m=line_length_m(whole), min_lon=whole.bounds[0],
                      min_lat=whole.bounds[1], max_lon=whole.bounds[2], max_lat=whole.bounds[3],
                      **marking)
    session.add(line)
    session.flush()
    rows, points_of = [], {}
    for k, (name, geometry) in enumerate(segments):
        ends = []
        for lon, lat in (geometry.coords[0], geometry.coords[-1]):
            marker = BoundaryMarker(number=f"B{k}-{len(ends)}", lon=lon, lat=lat,
                                    line_id=line.id, **marking)
            session.add(marker)
            ends.append(marker)
        session.flush()
        b = geometry.bounds
        seg = DefenceSegment(code=f"S-{k + 1:02d}", name=name, line_id=line.id,
                             from_marker_id=ends[0].id, to_marker_id=ends[1].id,
                             geometry=mapping(geometry), length_m=line_length_m(geometry),
                             post_agency_id=posts[k % 3].id, min_lon=b[0], min_lat=b[1],
                             max_lon=b[2], max_lat=b[3], **marking)
        session.add(seg)
        session.flush()
        rows.append(seg)
        for j in range(3):
            lon, lat = geometry.interpolate((j + 1) / 4, normalized=True).coords[0]
            point = Checkpoint(code=f"K-{k + 1:02d}-{j}", name=f"SYNTHETIC {k}-{j}", lon=lon,
                               lat=lat, qr_token=uuid.uuid4().hex, segment_id=seg.id,
                               post_agency_id=seg.post_agency_id, **marking)
            session.add(point)
            points_of.setdefault(seg.id, []).append(point)
    session.flush()
    category = ObservationCategory(owner_org_id=command.id, code="trail",
                                   label_zh="便道", label_en="Trail")
    session.add(category)
    session.flush()
    rng = np.random.default_rng(9)
    first = date(YEAR, 1, 1)
    for n in range(count):
        track = tracks[n]
        day = first + timedelta(days=int(n * 365 / count))
        planned = datetime(day.year, day.month, day.day, 8, 0, tzinfo=ZONE).astimezone(UTC) + (
            timedelta(minutes=int(rng.integers(0, 600))))
        late = n % 20 == 7
        started = planned + timedelta(minutes=10 if late else int(rng.integers(-3, 4)))
        ended = started + timedelta(seconds=10 * POINTS)
        # the segment the track starts on (by distance along the stretch)
        mid = track[len(track) // 2]
        seg = min(rows, key=lambda s: LineString(s.geometry["coordinates"]).distance(
            LineString([mid, mid + 1e-9])))
        patrol = Patrol(client_id=str(uuid.uuid4()), post_agency_id=seg.post_agency_id,
                        segment_id=seg.id, status=PatrolStatus.ENDED, transport=Transport.VEHICLE,
                        joint=n % 4 == 0, planned_start=planned,
                        planned_end=planned + timedelta(hours=2), started_at=started,
                        started_device_at=started, ended_at=ended, ended_device_at=ended,
                        moving_s=10.0 * POINTS, synthetic=True, area_kind="segment",
                        area_id=seg.id, **marking)
        session.add(patrol)
        session.flush()
        session.add(PatrolMember(patrol_id=patrol.id, name="SYNTHETIC leader",
                                 agency_id=seg.post_agency_id, is_leader=True))
        if n % 4 == 0:
            session.add(PatrolMember(patrol_id=patrol.id, name="SYNTHETIC soldier",
                                     agency_id=army.id))
        for j, point in enumerate(points_of[seg.id][:2]):
            session.add(PlannedCheckpoint(patrol_id=patrol.id, checkpoint_id=point.id,
                                          position=j, window_start=planned,
                                          window_end=planned + timedelta(hours=2)))
            if not (n % 20 == 3 and j == 1):
                session.add(CheckIn(client_id=str(uuid.uuid4()), patrol_id=patrol.id,
                                    checkpoint_id=point.id, method="qr",
                                    device_at=started + timedelta(minutes=20 + 30 * j),
                                    within_window=True))
        if n % 10 == 0:
            session.add(Observation(client_id=str(uuid.uuid4()), patrol_id=patrol.id,
                                    category_id=category.id, device_at=started))
        t0 = started.timestamp()
        fixes = [[t0 + 10 * k, float(lon), float(lat), 8.0] for k, (lon, lat) in enumerate(track)]
        distance = 0.0
        walked: list[list[float]] = []
        for c in range(CHUNKS):
            part = fixes[c * POINTS // CHUNKS:(c + 1) * POINTS // CHUNKS]
            removed = cleaning.clean(part, transport="vehicle")
            kept = cleaning.kept(part, removed)
            length = cleaning.length_m(kept)
            distance += length
            walked += [[p[1], p[2]] for p in kept]
            session.add(TrackChunk(client_id=str(uuid.uuid4()), patrol_id=patrol.id,
                                   points=part, removed=removed, kept=len(kept),
                                   first_at=datetime.fromtimestamp(part[0][0], UTC),
                                   last_at=datetime.fromtimestamp(part[-1][0], UTC),
                                   distance_m=length))
        patrol.distance_m = distance
        kept_tracks.append(np.asarray(walked))
        if n % 200 == 0:
            session.flush()
    return viewer


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2_400
    from bastion.border.coverage import segment_coverage
    from bastion.border.patrols.measures import measures
    from bastion.border.settings import PatrolSettings
    from bastion.core import migrate
    from bastion.core.db import make_engine, make_sessionmaker
    from bastion.org.models import User

    line = border()
    stretch = cut(line, START_M, START_M + LENGTH_M)
    size = LENGTH_M / SEGMENTS
    segments = [(f"SYNTHETIC segment {k + 1}", LineString(cut(stretch, k * size, (k + 1) * size)))
                for k in range(SEGMENTS)]
    tracks = synthetic_tracks(stretch, count)
    kept: list[np.ndarray] = []  # the fixes cleaning keeps (detour entries are speed jumps)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        started = time.perf_counter()
        with sessions() as session:
            viewer_id = build(session, count, tracks, segments, kept).id
            session.commit()
        print(f"{count} SYNTHETIC patrols x {POINTS} points ({CHUNKS} chunks each) over "
              f"{LENGTH_M / 1000:.0f} km in {SEGMENTS} segments, year {YEAR}, d = "
              f"{WITHIN_M:.0f} m; database written in {time.perf_counter() - started:.1f} s")
        with sessions() as session:
            user = session.get(User, viewer_id)
            started, cpu = time.perf_counter(), time.process_time()
            report = measures(session, user=user, settings=PatrolSettings(coverage_m=WITHIN_M),
                              start=date(YEAR, 1, 1), end=date(YEAR, 12, 31), period="month",
                              now=datetime(YEAR + 1, 1, 2, tzinfo=UTC))
            ours_s, ours_cpu = time.perf_counter() - started, time.process_time() - cpu
        engine.dispose()
    started, cpu = time.perf_counter(), time.process_time()
    segment_coverage(segments, kept, WITHIN_M)
    engine_s, engine_cpu = time.perf_counter() - started, time.process_time() - cpu
    cpu = time.process_time()
    peer, peer_s = shapely_peer(segments, kept)
    peer_cpu = time.process_time() - cpu

    rows = report["by_segment"]
    worst = max(abs(r["covered_m"] - p) / r["length_m"] for r, p in zip(rows, peer, strict=True))
    t = report["total"]
    print(f"planned {t['planned']}, completed {t['completed']} ({100 * t['completion']:.1f} %), "
          f"missed {t['missed']}, incomplete {t['incomplete']}; checkpoint coverage "
          f"{100 * t['checkpoint_coverage']:.1f} %; {t['hours']:.0f} h, {t['km']:.0f} km, "
          f"{t['person_days']} person-days; SYNTHETIC {report['synthetic']}")
    print(f"{'segment':12} {'length m':>10} {'ours m':>10} {'shapely m':>10}")
    for r, p in zip(rows, peer, strict=True):
        print(f"{r['label'][:12]:12} {r['length_m']:10.1f} {r['covered_m']:10.1f} {p:10.1f}")
    print(f"{'total':12} {t['length_m']:10.1f} {t['covered_m']:10.1f} {sum(peer):10.1f}")
    print(f"largest difference {100 * worst:.4f} % of a segment's length "
          f"({'agree' if worst <= 0.001 else 'DISAGREE'} within 0.1 %)")
    print(f"{'':52} {'wall s':>7} {'cpu s':>7}")
    print(f"{'ours: measures() from the database, year by month':52} {ours_s:7.2f} {ours_cpu:7.2f}")
    print(f"{'ours: segment_coverage of the year alone, in memory':52} {engine_s:7.2f} "
          f"{engine_cpu:7.2f}")
    print(f"{'shapely buffer + union, coverage only, in memory':52} {peer_s:7.2f} {peer_cpu:7.2f}")
    print(f"{'ratio shapely / ours (measures, end to end)':52} {peer_s / ours_s:7.2f} "
          f"{peer_cpu / ours_cpu:7.2f}")
    print(f"{'ratio shapely / ours (coverage alone)':52} {peer_s / engine_s:7.2f} "
          f"{peer_cpu / engine_cpu:7.2f}")


if __name__ == "__main__":
    main()
