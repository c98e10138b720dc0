"""Segment coverage: how much of each border segment lies within d metres of a patrol track.

A point of a segment is covered when it lies within ``within_m`` (<=) of some track polyline;
a segment's covered length counts overlapping passes once. This is a hot path (a year of
patrols is 2,400 tracks of 500 points, ``bench/patrol_coverage.py``), so it is written as
array code rather than shapely buffers, and is longer and denser than a service module.

Method, exact up to the projection: cut the segments into edges (straight between vertices)
and group consecutive edges into chunks no wider than ~1 degree. Each chunk gets its own
transverse Mercator plane centred on it (``geo.metric.LocalMetric``), where distances within
~60 km of the centre are true to better than 0.005 %. In that plane the set of points within d
of one track edge is a capsule (a convex set), so the part of a border edge it covers is one
interval of the edge's parameter t in [0, 1]: the union of the intervals cut by the two end
discs and the rectangle between them. Candidate (border edge, track edge) pairs come from an
R-tree; the intervals of each border edge are merged (passes counted once), and the covered
fraction of each edge is multiplied by the edge's geodesic length on WGS 84 (pyproj), so
lengths are the ellipsoid's, not the plane's.

Two levels: ``segment_coverage`` answers for one set of tracks; ``edge_intervals`` keeps each
track's merged intervals per border edge, so ``EdgeIntervals.coverage(mask)`` answers for any
subset of the tracks (a month's, an agency's) by filtering, without running the geometry
again. The planes depend on the segments only, so a subset's figures are the ones
``segment_coverage`` would give for those tracks alone.

Not handled: lines that cross the antimeridian (no land border of China does).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from bastion.core.geo import wgs84
from bastion.core.geo.metric import LocalMetric

CHUNK_DEG = 1.0  # a chunk's plane spans at most this in longitude and latitude (~110 km)
M_PER_DEG_LAT_MIN = 110_574.0  # metres in a degree of latitude at the equator (the fewest)


@dataclass(frozen=True)
class SegmentCoverage:
    name: str
    length_m: float
    covered_m: float

    @property
    def coverage(self) -> float:
        return self.covered_m / self.length_m if self.length_m > 0 else 0.0


def _lines(geometry: BaseGeometry) -> list[np.ndarray]:
    parts = geometry.geoms if geometry.geom_type.startswith("Multi") else [geometry]
    return [np.asarray(part.coords, dtype=float)[:, :2] for part in parts]


def _border_edges(segments: Sequence[tuple[str, BaseGeometry]]):
    """Edges of every segment: start and end (lon, lat), owning segment, geodesic length."""
    starts, ends, owners = [], [], []
    for index, (_name, geometry) in enumerate(segments):
        for coords in _lines(geometry):
            if len(coords) >= 2:
                starts.append(coords[:-1])
                ends.append(coords[1:])
                owners.append(np.full(len(coords) - 1, index))
    if not starts:
        empty = np.zeros((0, 2))
        return empty, empty, np.zeros(0, dtype=int), np.zeros(0)
    a, b, owner = np.concatenate(starts), np.concatenate(ends), np.concatenate(owners)
    length = np.asarray(wgs84().inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])[2], dtype=float)
    keep = length > 0
    return a[keep], b[keep], owner[keep], length[keep]


def _chunks(a: np.ndarray, b: np.ndarray) -> list[slice]:
    """Runs of consecutive edges whose extent stays within CHUNK_DEG in both axes."""
    out, start = [], 0
    if not len(a):
        return out
    lo = np.minimum(a[0], b[0])
    hi = np.maximum(a[0], b[0])
    for i in range(1, len(a)):
        new_lo = np.minimum(lo, np.minimum(a[i], b[i]))
        new_hi = np.maximum(hi, np.maximum(a[i], b[i]))
        if np.any(new_hi - new_lo > CHUNK_DEG):
            out.append(slice(start, i))
            start, lo, hi = i, np.minimum(a[i], b[i]), np.maximum(a[i], b[i])
        else:
            lo, hi = new_lo, new_hi
    out.append(slice(start, len(a)))
    return out


def _track_edges(tracks: Sequence[np.ndarray]):
    """All track points stacked, each edge as (start index, end index), and the index in
    ``tracks`` of each edge's track; a one-point polyline is a degenerate edge from the point
    to itself (a patrol that stood there)."""
    arrays = [np.asarray(t, dtype=float).reshape(-1, 2) for t in tracks]
    index = np.array([i for i, t in enumerate(arrays) if len(t)], dtype=np.int64)
    arrays = [t for t in arrays if len(t)]
    none = np.zeros(0, dtype=np.int64)
    if not arrays:
        return np.zeros((0, 2)), none, none, none
    points = np.concatenate(arrays)
    sizes = np.array([len(t) for t in arrays], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    edges = np.maximum(sizes - 1, 1)  # a one-point track has one degenerate edge
    owner = np.repeat(np.arange(len(arrays)), edges)
    first = np.concatenate(([0], np.cumsum(edges)[:-1]))
    starts = offsets[owner] + (np.arange(len(owner)) - first[owner])
    ends = np.where(sizes[owner] == 1, starts, starts + 1)
    return points, starts, ends, index[owner]


def _intervals(ax, ay, ux, uy, cx, cy, vx, vy, d):
    """Per pair, the interval [t0, t1] of border edge A + t u (t in [0, 1]) within d of track
    edge C + s v (s in [0, 1]); t0 > t1 where there is none. Arrays in, arrays out."""
    inf = np.inf
    lo = np.full(ax.shape, inf)
    hi = np.full(ax.shape, -inf)
    uu = ux * ux + uy * uy
    d2 = d * d

    def disc(px, py):  # |A + t u - P|^2 <= d^2
        wx, wy = ax - px, ay - py
        half_b = ux * wx + uy * wy
        c = wx * wx + wy * wy - d2
        disc_ = half_b * half_b - uu * c
        ok = disc_ >= 0
        root = np.sqrt(np.where(ok, disc_, 0.0))
        return ok, (-half_b - root) / uu, (-half_b + root) / uu

    for px, py in ((cx, cy), (cx + vx, cy + vy)):
        ok, t0, t1 = disc(px, py)
        lo = np.where(ok, np.minimum(lo, t0), lo)
        hi = np.where(ok, np.maximum(hi, t1), hi)

    # the rectangle: 0 <= s <= 1 (projection onto the track edge) and |offset| <= d
    vv = vx * vx + vy * vy
    long_ = vv > 0
    safe = np.where(long_, vv, 1.0)
    norm = np.sqrt(safe)
    wx, wy = ax - cx, ay - cy
    # s(t) = (w + t u) . v / |v|^2 ; g(t) = (w + t u) x v / |v|  (signed offset)
    s0, s1 = (wx * vx + wy * vy) / safe, (ux * vx + uy * vy) / safe
    g0, g1 = (wx * vy - wy * vx) / norm, (ux * vy - uy * vx) / norm
    r_lo = np.full(ax.shape, -inf)
    r_hi = np.full(ax.shape, inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        for f0, f1, low, high in ((s0, s1, 0.0, 1.0), (g0, g1, -d, d)):
            moving = f1 != 0
            a_ = (low - f0) / np.where(moving, f1, 1.0)
            b_ = (high - f0) / np.where(moving, f1, 1.0)
            inside = (f0 >= low) & (f0 <= high)  # for a constant f
            r_lo = np.where(moving, np.maximum(r_lo, np.minimum(a_, b_)),
                            np.where(inside, r_lo, inf))
            r_hi = np.where(moving, np.minimum(r_hi, np.maximum(a_, b_)),
                            np.where(inside, r_hi, -inf))
    rect = long_ & (r_lo <= r_hi)
    lo = np.where(rect, np.minimum(lo, r_lo), lo)
    hi = np.where(rect, np.maximum(hi, r_hi), hi)
    return np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0), (lo <= hi) & (hi >= 0) & (lo <= 1)


CELL_M = 1000.0  # grid cell for candidate pairs: a few border edges, many 20 m track edges each


def _candidates(ax, ay, bx, by, cx, cy, ex, ey, d):
    """(track edge, border edge) pairs whose boxes come within d of each other: a superset of
    the pairs that can cover anything. A grid, because a million track edges are too many to
    make shapely geometries of (that alone took 0.9 s): a short track edge sits in the cell of
    its midpoint and each border edge is listed in every cell its box, grown by d and half a
    short edge, touches. Long track edges (GPS gaps) go through an R-tree."""
    short = np.hypot(ex - cx, ey - cy) <= CELL_M / 2
    grow = d + CELL_M / 4
    x0 = np.floor((np.minimum(ax, bx) - grow) / CELL_M).astype(np.int64)
    x1 = np.floor((np.maximum(ax, bx) + grow) / CELL_M).astype(np.int64)
    y0 = np.floor((np.minimum(ay, by) - grow) / CELL_M).astype(np.int64)
    y1 = np.floor((np.maximum(ay, by) + grow) / CELL_M).astype(np.int64)
    cells, owners = [], []
    for k in range(len(ax)):  # border edges are few; each touches a handful of cells
        gx, gy = np.meshgrid(np.arange(x0[k], x1[k] + 1), np.arange(y0[k], y1[k] + 1))
        cells.append(_key(gx.ravel(), gy.ravel()))
        owners.append(np.full(gx.size, k))
    cells, owners = np.concatenate(cells), np.concatenate(owners)
    order = np.argsort(cells, kind="stable")
    cells, owners = cells[order], owners[order]
    ids = np.flatnonzero(short)
    mid = _key(np.floor((cx[ids] + ex[ids]) / 2 / CELL_M).astype(np.int64),
               np.floor((cy[ids] + ey[ids]) / 2 / CELL_M).astype(np.int64))
    left, right = np.searchsorted(cells, mid, "left"), np.searchsorted(cells, mid, "right")
    counts = right - left
    track_i = np.repeat(ids, counts)
    starts = np.repeat(left - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    edge_i = owners[starts + np.arange(len(track_i))]
    # keep the pairs whose boxes, the track edge's grown by d, overlap (cells are coarse)
    keep = ((np.minimum(cx, ex)[track_i] - d <= np.maximum(ax, bx)[edge_i])
            & (np.maximum(cx, ex)[track_i] + d >= np.minimum(ax, bx)[edge_i])
            & (np.minimum(cy, ey)[track_i] - d <= np.maximum(ay, by)[edge_i])
            & (np.maximum(cy, ey)[track_i] + d >= np.minimum(ay, by)[edge_i]))
    track_i, edge_i = track_i[keep], edge_i[keep]
    long_ids = np.flatnonzero(~short)
    if len(long_ids):
        tree = shapely.STRtree(shapely.box(np.minimum(ax, bx), np.minimum(ay, by),
                                           np.maximum(ax, bx), np.maximum(ay, by)))
        boxes = shapely.box(np.minimum(cx, ex)[long_ids] - d, np.minimum(cy, ey)[long_ids] - d,
                            np.maximum(cx, ex)[long_ids] + d, np.maximum(cy, ey)[long_ids] + d)
        i, e = tree.query(boxes)
        track_i, edge_i = np.concatenate((track_i, long_ids[i])), np.concatenate((edge_i, e))
    return track_i, edge_i


def _key(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    return gx * 4_000_003 + gy  # cells of 1 km: a plane of +-2,000 km stays apart


def _union_length(edge: np.ndarray, t0: np.ndarray, t1: np.ndarray, edges: int) -> np.ndarray:
    """Per edge, the total length (in t) of the union of its intervals."""
    covered = np.zeros(edges)
    if not len(edge):
        return covered
    # shift each edge's intervals by 2 * edge so one running maximum serves all edges
    start, end = t0 + 2.0 * edge, t1 + 2.0 * edge
    order = np.lexsort((start, edge))
    start, end, edge = start[order], end[order], edge[order]
    reach = np.maximum.accumulate(end)
    before = np.concatenate(([-np.inf], reach[:-1]))
    gain = np.maximum(0.0, end - np.maximum(start, before))
    np.add.at(covered, edge, gain)
    return covered


@dataclass(frozen=True)
class EdgeIntervals:
    """Per border edge and track, the merged stretches (``t0``..``t1`` of the edge, 0-1) that
    lie within d of the track; ``edge`` and ``track`` give each stretch's border edge and its
    index in the tracks. ``owner`` and ``geodesic`` are per border edge (its segment's index,
    its length in metres)."""

    names: tuple[str, ...]
    owner: np.ndarray
    geodesic: np.ndarray
    edge: np.ndarray
    track: np.ndarray
    t0: np.ndarray
    t1: np.ndarray

    def coverage(self, tracks: np.ndarray | None = None) -> list[SegmentCoverage]:
        """Coverage of each segment by all the tracks, or by those where the boolean array
        ``tracks`` (one entry per track given to ``edge_intervals``) is true."""
        keep = slice(None) if tracks is None else np.asarray(tracks, dtype=bool)[self.track]
        fraction = _union_length(self.edge[keep], self.t0[keep], self.t1[keep],
                                 len(self.owner))
        count = len(self.names)
        covered = np.bincount(self.owner, weights=fraction * self.geodesic, minlength=count)
        length = np.bincount(self.owner, weights=self.geodesic, minlength=count)
        return [SegmentCoverage(name, float(length[i]), float(min(covered[i], length[i])))
                for i, name in enumerate(self.names)]


def edge_intervals(segments: Sequence[tuple[str, BaseGeometry]],
                   tracks: Sequence[np.ndarray], within_m: float,
                   merge: bool = True) -> EdgeIntervals:
    """The covered stretches of each border edge, per track (see ``EdgeIntervals``);
    ``merge=False`` leaves one interval per (border edge, track edge) pair, which answers
    the same but is larger: for a single ``coverage()`` the merge is not worth its sort."""
    if within_m < 0:
        raise ValueError("the distance must not be negative")
    a, b, owner, geodesic = _border_edges(segments)
    points, c_idx, d_idx, track_of = _track_edges(tracks)
    edges, owners, t0s, t1s = [], [], [], []
    if len(points):
        c_lo = np.minimum(points[c_idx], points[d_idx])
        c_hi = np.maximum(points[c_idx], points[d_idx])
        for part in _chunks(a, b):
            edge_i, track_i, t0, t1 = _chunk_intervals(a[part], b[part], points, c_idx, d_idx,
                                                       c_lo, c_hi, within_m)
            edges.append(edge_i + part.start)
            owners.append(track_of[track_i])
            t0s.append(t0)
            t1s.append(t1)
    if edges:
        edge, track, t0, t1 = (np.concatenate(edges), np.concatenate(owners),
                               np.concatenate(t0s), np.concatenate(t1s))
        if merge:
            edge, track, t0, t1 = _merge(edge, track, t0, t1, len(tracks))
    else:
        edge = track = np.zeros(0, dtype=np.int64)
        t0 = t1 = np.zeros(0)
    return EdgeIntervals(tuple(name for name, _g in segments), owner, geodesic, edge, track,
                         t0, t1)


def segment_coverage(segments: Sequence[tuple[str, BaseGeometry]],
                     tracks: Sequence[np.ndarray], within_m: float) -> list[SegmentCoverage]:
    """Coverage of each named lon/lat segment by track polylines (arrays of lon, lat rows)."""
    return edge_intervals(segments, tracks, within_m, merge=False).coverage()


def _merge(edge, track, t0, t1, tracks: int):
    """The union of the intervals of each (border edge, track) pair, as disjoint intervals:
    a track's 20 m edges cut hundreds of overlapping intervals on a 2 km border edge."""
    if not len(edge):
        return edge, track, t0, t1
    group = edge.astype(np.int64) * max(tracks, 1) + track
    order = np.lexsort((t0, group))
    group, edge, track, t0, t1 = group[order], edge[order], track[order], t0[order], t1[order]
    first = np.concatenate(([True], group[1:] != group[:-1]))
    shift = 2.0 * (np.cumsum(first) - 1)  # one running maximum serves every group
    reach = np.maximum.accumulate(t1 + shift)
    before = np.concatenate(([-np.inf], reach[:-1]))
    starts = np.flatnonzero(first | (t0 + shift > before))
    return edge[starts], track[starts], t0[starts], np.maximum.reduceat(t1, starts)


@lru_cache(maxsize=64)
def _forward(lat0: float, lon0: float) -> Transformer:
    """lon/lat -> a chunk's plane; made once per plane (building one takes most of a second
    the first time, and the same segments give the same planes run after run)."""
    return Transformer.from_crs("EPSG:4326", LocalMetric(lat0, lon0).crs, always_xy=True)


def _chunk_intervals(a, b, points, c_idx, d_idx, c_lo, c_hi, d):
    """Intervals of the border edges of one chunk: (edge in the chunk, track edge, t0, t1)."""
    none = np.zeros(0, dtype=np.int64)
    lo = np.minimum(a.min(axis=0), b.min(axis=0))
    hi = np.maximum(a.max(axis=0), b.max(axis=0))
    # a generous margin in degrees: d over the fewest metres a degree can hold here
    lat = np.radians(min(max(abs(lo[1]), abs(hi[1])) + 1.0, 89.0))
    margin = np.array([d / (M_PER_DEG_LAT_MIN * np.cos(lat)), d / M_PER_DEG_LAT_MIN]) * 1.05
    near = np.flatnonzero(np.all((c_hi >= lo - margin) & (c_lo <= hi + margin), axis=1))
    if not len(near):
        return none, none, np.zeros(0), np.zeros(0)
    c_idx, d_idx = c_idx[near], d_idx[near]
    used = np.zeros(len(points), dtype=bool)
    used[c_idx] = used[d_idx] = True
    where = np.cumsum(used) - 1
    forward = _forward(float((lo[1] + hi[1]) / 2), float((lo[0] + hi[0]) / 2))
    px, py = forward.transform(points[used, 0], points[used, 1])
    ax, ay = forward.transform(a[:, 0], a[:, 1])
    bx, by = forward.transform(b[:, 0], b[:, 1])
    cx, cy = px[where[c_idx]], py[where[c_idx]]
    ex, ey = px[where[d_idx]], py[where[d_idx]]
    track_i, edge_i = _candidates(ax, ay, bx, by, cx, cy, ex, ey, d)
    t0, t1, ok = _intervals(ax[edge_i], ay[edge_i], bx[edge_i] - ax[edge_i],
                            by[edge_i] - ay[edge_i], cx[track_i], cy[track_i],
                            ex[track_i] - cx[track_i], ey[track_i] - cy[track_i], d)
    return edge_i[ok], near[track_i[ok]], t0[ok], t1[ok]


__all__ = ["EdgeIntervals", "SegmentCoverage", "edge_intervals", "segment_coverage"]
