"""Benchmark: segment coverage of a year of patrols (issue 12 item 9).

SYNTHETIC data on a real line: 100 km of the China–Vietnam border (Natural Earth 1:10m, from
tests/data/border/cn-vn-border.geojson, starting 600 km from its western end, near Napo) cut
into ten 10 km defence segments, and 2,400 made-up patrol tracks of 500 points (one every
20 m, so 10 km each) along random stretches of it, each at its own offset (-350..350 m) with a
lateral wobble of +-40 m; a tenth of them walk back the way they came. Where the line crosses
steep ground (two stretches, 43-49 km and 78-81 km) the trail leaves it by 600 m, so those
are blind spots. Covered = within 200 m (the issue's default d).

Measured in the same run on the same figures:
- ours: ``bastion.border.coverage.segment_coverage`` (exact intervals, see its docstring), from
  the tracks in memory; and the whole command, ``bastion patrols coverage --json`` on the
  2,400 tracks written as GPX files (parsing included), in a fresh process;
- peer: a plain shapely computation — every track projected to the same local transverse
  Mercator plane, buffered by d, the buffers unioned, each segment intersected with the union
  and its planar length taken (scaled to the segment's geodesic length).
The figures must agree within 0.1 % of each segment's length. Target: ours under 5 s. Each
time is given as wall-clock and as CPU seconds (user + system; steadier on a shared, loaded
machine, where other work stretches the wall clock); the target is judged on CPU time.

Run: .venv/bin/python bench/patrol_coverage.py [TRACKS]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import itertools

from tests.border.synth import cut

from bastion.border.coverage import segment_coverage
from bastion.core.geo.metric import local_metric

GEOD = Geod(ellps="WGS84")
TARGET_S = 5.0
WITHIN_M = 200.0
POINTS, STEP_M = 500, 20.0
START_M, LENGTH_M, SEGMENTS = 600_000.0, 100_000.0, 10
DETOURS_M = ((43_000, 49_000), (78_000, 81_000))  # where the trail leaves the line by 600 m


def border() -> list[tuple[float, float]]:
    doc = json.loads((ROOT / "tests/data/border/cn-vn-border.geojson").read_text("utf-8"))
    return [tuple(p) for p in doc["features"][0]["geometry"]["coordinates"]]


def dense_path(coords, step: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points every ``step`` m along the line (geodesic edges) with their azimuths."""
    lons, lats, azs = [], [], []
    carry = 0.0
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(coords):
        az, _b, dist = GEOD.inv(lon1, lat1, lon2, lat2)
        at = np.arange(carry, dist, step)
        lon, lat, back = GEOD.fwd(np.full(len(at), lon1), np.full(len(at), lat1),
                                  np.full(len(at), az), at)
        lons.append(lon)
        lats.append(lat)
        azs.append(np.asarray(back) + 180.0)
        carry = at[-1] + step - dist if len(at) else carry - dist
    return np.concatenate(lons), np.concatenate(lats), np.concatenate(azs)


def synthetic_tracks(stretch, count: int, seed: int = 12) -> list[np.ndarray]:
    """SYNTHETIC patrols: POINTS points every STEP_M along random stretches, offset and
    wobbling sideways; every tenth walks back."""
    lon, lat, az = dense_path(stretch, STEP_M)
    rng = np.random.default_rng(seed)
    tracks = []
    for n in range(count):
        first = int(rng.integers(0, len(lon) - POINTS))
        pick = slice(first, first + POINTS)
        side = rng.uniform(-350, 350) + rng.uniform(-40, 40, POINTS)
        along = np.arange(first, first + POINTS) * STEP_M
        for lo, hi in DETOURS_M:
            side = np.where((along >= lo) & (along < hi), 600.0 + side / 10, side)
        x, y, _ = GEOD.fwd(lon[pick], lat[pick], az[pick] - 90.0, side)
        track = np.column_stack((x, y))
        tracks.append(track[::-1] if n % 10 == 0 else track)
    return tracks


def shapely_peer(segments, tracks) -> tuple[list[float], float]:
    started = time.perf_counter()
    plane = local_metric(shapely.union_all([g for _n, g in segments]))
    lines = shapely.linestrings([np.asarray(t) for t in tracks])
    zone = shapely.union_all(shapely.buffer(plane.to_metric(lines), WITHIN_M))
    covered = []
    for _name, geometry in segments:
        flat = plane.to_metric(geometry)
        scale = GEOD.geometry_length(geometry) / flat.length
        covered.append(flat.intersection(zone).length * scale)
    return covered, time.perf_counter() - started


def write_gpx(folder: Path, tracks) -> list[Path]:
    paths = []
    for n, track in enumerate(tracks):
        pts = "".join(f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"/>' for lon, lat in track)
        path = folder / f"patrol-{n:04d}.gpx"
        path.write_text('<?xml version="1.0"?><gpx version="1.1" creator="SYNTHETIC" '
                        'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>SYNTHETIC '
                        f"patrol {n}</name><trkseg>{pts}</trkseg></trk></gpx>", "utf-8")
        paths.append(path)
    return paths


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2_400
    line = border()
    stretch = cut(line, START_M, START_M + LENGTH_M)
    size = LENGTH_M / SEGMENTS
    segments = [(f"SYNTHETIC segment {k + 1}", LineString(cut(stretch, k * size, (k + 1) * size)))
                for k in range(SEGMENTS)]
    tracks = synthetic_tracks(stretch, count)
    print(f"{count} SYNTHETIC tracks x {POINTS} points over {LENGTH_M / 1000:.0f} km of the "
          f"CN-VN line in {SEGMENTS} segments, within {WITHIN_M:.0f} m")

    started, cpu = time.perf_counter(), time.process_time()
    ours = segment_coverage(segments, tracks, WITHIN_M)
    ours_s, ours_cpu = time.perf_counter() - started, time.process_time() - cpu
    cpu = time.process_time()
    peer, peer_s = shapely_peer(segments, tracks)
    peer_cpu = time.process_time() - cpu

    worst = max(abs(r.covered_m - p) / r.length_m for r, p in zip(ours, peer, strict=True))
    length = sum(r.length_m for r in ours)
    print(f"{'segment':22} {'length m':>10} {'ours m':>10} {'shapely m':>10}")
    for r, p in zip(ours, peer, strict=True):
        print(f"{r.name:22} {r.length_m:10.1f} {r.covered_m:10.1f} {p:10.1f}")
    print(f"{'total':22} {length:10.1f} {sum(r.covered_m for r in ours):10.1f} {sum(peer):10.1f}")
    print(f"largest difference {100 * worst:.4f} % of a segment's length "
          f"({'agree' if worst <= 0.001 else 'DISAGREE'} within 0.1 %)")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "segments.geojson").write_text(json.dumps({
            "type": "FeatureCollection", "features": [
                {"type": "Feature", "properties": {"name": n},
                 "geometry": shapely.geometry.mapping(g)} for n, g in segments]}), "utf-8")
        files = write_gpx(folder, tracks)
        started, cpu = time.perf_counter(), _children_cpu()
        done = subprocess.run([sys.executable, "-m", "bastion.cli", "patrols", "coverage",
                               "--segments", str(folder / "segments.geojson"),
                               "--within", str(WITHIN_M), "--json", *map(str, files)],
                              capture_output=True, text=True, check=True,
                              env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
        command_s, command_cpu = time.perf_counter() - started, _children_cpu() - cpu
    out = json.loads(done.stdout)
    same = abs(out["covered_m"] - sum(r.covered_m for r in ours)) < 0.01 * len(ours)
    print(f"{'':40} {'wall s':>7} {'cpu s':>7}")
    print(f"{'ours (in memory)':40} {ours_s:7.2f} {ours_cpu:7.2f}")
    print(f"{f'ours (the command, {count} GPX files)':40} {command_s:7.2f} {command_cpu:7.2f} "
          f"({'same figures' if same else 'DIFFERENT figures'})")
    print(f"{'shapely buffer + union':40} {peer_s:7.2f} {peer_cpu:7.2f}")
    print(f"{'ratio shapely / ours (in memory)':40} {peer_s / ours_s:7.1f} {peer_cpu / ours_cpu:7.1f}")
    verdict = "under" if max(ours_cpu, command_cpu) < TARGET_S else "OVER"
    print(f"{verdict} the {TARGET_S:.0f} s target (CPU)")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime

if __name__ == "__main__":
    main()
