"""Tracks of our own making along a lon/lat line, and the independent coverage check.

``beside`` walks a stretch of a line at a fixed offset to its left (negative: right), stepping
along the geodesic of each edge (pyproj.Geod); ``jitter`` adds a lateral wobble. Used by the
tests and by ``bench/patrol_coverage.py`` (where the tracks are labelled SYNTHETIC).

``reference_coverage`` is the check, deliberately unlike the command's method: no projection,
no capsules. It samples the segment every ``step`` metres along its geodesics and asks, for
each sample, the WGS 84 geodesic distance (pyproj.Geod.inv) to the nearest point of the tracks
densified every ``track_step`` metres; a sample is covered when that is <= d, and stands for
``step`` metres of the segment.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from pyproj import Geod, Transformer
from scipy.spatial import cKDTree

GEOD = Geod(ellps="WGS84")


def _walk(coords, step: float):
    """Points every ``step`` metres along a lon/lat polyline (geodesic edges), with the
    forward azimuth at each, ending at the last vertex."""
    lons, lats, azs = [], [], []
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(coords):
        az, _back, dist = GEOD.inv(lon1, lat1, lon2, lat2)
        n = max(1, math.ceil(dist / step))
        for k in range(n):
            lon, lat, a = GEOD.fwd(lon1, lat1, az, dist * k / n)
            lons.append(lon)
            lats.append(lat)
            azs.append(a)
    lons.append(coords[-1][0])
    lats.append(coords[-1][1])
    azs.append(azs[-1] if azs else 0.0)
    return np.array(lons), np.array(lats), np.array(azs)


def cut(coords, start_m: float, end_m: float) -> list[tuple[float, float]]:
    """The stretch of a polyline between two distances along it (geodesic), as vertices."""
    out, run = [], 0.0
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(coords):
        az, _b, dist = GEOD.inv(lon1, lat1, lon2, lat2)
        lo, hi = max(start_m - run, 0.0), min(end_m - run, dist)
        if lo < hi:
            if not out:
                out.append(GEOD.fwd(lon1, lat1, az, lo)[:2])
            out.append(GEOD.fwd(lon1, lat1, az, hi)[:2])
        run += dist
    return [tuple(map(float, p)) for p in out]


def beside(coords, start_m: float, end_m: float, offset_m: float, step: float = 20.0,
           jitter_m: float = 0.0, seed: int = 0) -> np.ndarray:
    """A track along ``coords`` from ``start_m`` to ``end_m`` (end < start walks back),
    ``offset_m`` to the left, one point every ``step`` metres."""
    forward = start_m <= end_m
    part = cut(coords, min(start_m, end_m), max(start_m, end_m))
    lons, lats, azs = _walk(part, step)
    offsets = np.full(len(lons), float(offset_m))
    if jitter_m:
        offsets += np.random.default_rng(seed).uniform(-jitter_m, jitter_m, len(lons))
    lon, lat, _ = GEOD.fwd(lons, lats, azs - 90.0, offsets)
    track = np.column_stack((lon, lat))
    return track if forward else track[::-1]


def _ecef(lon, lat):
    x, y, z = Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True).transform(
        lon, lat, np.zeros_like(lon))
    return np.column_stack((x, y, z))


def reference_coverage(segment_coords: list, tracks: list[np.ndarray], d: float,
                       step: float = 0.5, track_step: float = 1.0) -> tuple[float, float]:
    """(length_m, covered_m) of a polyline (or a list of polylines) by the tracks."""
    lines = segment_coords if isinstance(segment_coords[0][0], (list, tuple)) else [segment_coords]
    dense = []
    for track in tracks:
        if len(track) == 1:
            dense.append(np.asarray(track, dtype=float))
            continue
        lon, lat, _az = _walk([tuple(p) for p in track], track_step)
        dense.append(np.column_stack((lon, lat)))
    points = np.concatenate(dense)
    tree = cKDTree(_ecef(points[:, 0], points[:, 1]))
    length = covered = 0.0
    for coords in lines:
        for (lon1, lat1), (lon2, lat2) in itertools.pairwise(coords):
            az, _b, dist = GEOD.inv(lon1, lat1, lon2, lat2)
            n = max(1, math.ceil(dist / step))
            # sample midpoints: each stands for dist / n metres of the edge
            slon, slat, _ = GEOD.fwd(np.full(n, lon1), np.full(n, lat1), np.full(n, az),
                                     dist * (np.arange(n) + 0.5) / n)
            _chord, nearest = tree.query(_ecef(slon, slat), k=min(8, len(points)))
            nearest = np.atleast_2d(nearest.T).T if nearest.ndim == 1 else nearest
            best = np.full(n, np.inf)
            for col in range(nearest.shape[1]):
                idx = nearest[:, col]
                best = np.minimum(best, GEOD.inv(slon, slat, points[idx, 0], points[idx, 1])[2])
            length += dist
            covered += dist / n * np.count_nonzero(best <= d)
    return length, covered
