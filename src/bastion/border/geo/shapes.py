"""Chainage on a border line: where along the line a marker stands, and the stretch between two.

Chainages are geodesic metres from the line's start (WGS 84), not metres in one projection of
the whole line: a transverse Mercator plane centred on a 1,000 km line (the CN-VN border) is
0.3 % long at its ends, which would put a marker's chainage hundreds of metres off. So:

* a point is placed on the line in a plane centred on the point itself (``core.geo.metric``),
  looking only at the edges in a window around it (a surveyed line has 100,000 vertices; a
  thousand markers must not transform it a thousand times);
* the stretch between two chainages is cut along the geodesics of the edges (pyproj), so its
  length on the ellipsoid is the difference of the chainages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from shapely.geometry import LineString, MultiLineString, MultiPoint, Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge

from bastion.core.geo import wgs84
from bastion.core.geo.metric import LocalMetric

# A marker stands on the line (a few metres off it in a survey, up to a kilometre or two on a
# 1:10m generalisation); 5 km off is a wrong coordinate, not a marker of this line.
MAX_OFFSET_M = 5000.0
_WINDOW_DEG = 0.1  # edges with a vertex within ~10 km are candidates (> MAX_OFFSET_M)


def single_line(geometry: BaseGeometry) -> LineString | None:
    """One connected LineString from a LineString or MultiLineString (parts merged end to
    end), or None when the parts do not join into one line."""
    if isinstance(geometry, LineString):
        return geometry
    if isinstance(geometry, MultiLineString):
        merged = linemerge(geometry)
        return merged if isinstance(merged, LineString) else None
    return None


def bbox(geometry: BaseGeometry) -> dict[str, float]:
    west, south, east, north = geometry.bounds
    return {"min_lon": west, "min_lat": south, "max_lon": east, "max_lat": north}


def to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    return dict(mapping(geometry))


@dataclass(frozen=True)
class Placed:
    chainage_m: float
    offset_m: float
    lon: float  # the foot of the perpendicular on the line
    lat: float


class Chainage:
    """A line's vertices with the geodesic distance of each from the start."""

    def __init__(self, geometry: dict[str, Any] | BaseGeometry) -> None:
        line = shape(geometry) if isinstance(geometry, dict) else geometry
        merged = single_line(line)
        if merged is None:
            raise ValueError("not a single line")
        self.coords = np.asarray(merged.coords, dtype=float)[:, :2]
        lon, lat = self.coords[:, 0], self.coords[:, 1]
        _az, _back, edges = wgs84().inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
        self.edges = np.asarray(edges, dtype=float)
        self.cumulative = np.concatenate(([0.0], np.cumsum(self.edges)))

    @property
    def length_m(self) -> float:
        return float(self.cumulative[-1])

    def place(self, lon: float, lat: float) -> Placed | None:
        """The nearest point of the line to (lon, lat), or None when no edge comes within
        the search window (the point is far off the line)."""
        a, b = self.coords[:-1], self.coords[1:]
        near = ((np.minimum(a[:, 0], b[:, 0]) <= lon + _WINDOW_DEG)
                & (np.maximum(a[:, 0], b[:, 0]) >= lon - _WINDOW_DEG)
                & (np.minimum(a[:, 1], b[:, 1]) <= lat + _WINDOW_DEG)
                & (np.maximum(a[:, 1], b[:, 1]) >= lat - _WINDOW_DEG))
        candidates = np.flatnonzero(near)
        if candidates.size == 0:
            return None
        plane = LocalMetric(lat, lon)  # centred on the point: metres true around it
        ends = plane.to_metric(MultiPoint(np.vstack((a[candidates], b[candidates]))))
        xy = np.asarray([(pt.x, pt.y) for pt in ends.geoms])
        p, q = xy[:candidates.size], xy[candidates.size:]
        d = q - p
        length2 = np.einsum("ij,ij->i", d, d)
        t = np.where(length2 > 0, np.clip(-np.einsum("ij,ij->i", p, d)
                                          / np.where(length2 > 0, length2, 1), 0, 1), 0)
        foot = p + d * t[:, None]
        distance = np.hypot(foot[:, 0], foot[:, 1])  # the point is the plane's origin
        k = int(np.argmin(distance))
        edge, fraction = int(candidates[k]), float(t[k])
        on_line = plane.to_lonlat(Point(foot[k, 0], foot[k, 1]))
        foot_lon, foot_lat = on_line.x, on_line.y
        return Placed(chainage_m=float(self.cumulative[edge] + fraction * self.edges[edge]),
                      offset_m=float(distance[k]), lon=float(foot_lon), lat=float(foot_lat))

    def cut(self, start_m: float, end_m: float) -> LineString:
        """The stretch between two chainages (either order), along the edges' geodesics."""
        lo, hi = sorted((max(0.0, start_m), min(self.length_m, end_m)))
        return LineString([self._at(lo), *self.coords[self._inside(lo, hi)], self._at(hi)])

    def _inside(self, lo: float, hi: float) -> np.ndarray:
        return np.flatnonzero((self.cumulative > lo) & (self.cumulative < hi))

    def _at(self, chainage: float) -> tuple[float, float]:
        edge = int(np.clip(np.searchsorted(self.cumulative, chainage, side="right") - 1, 0,
                           len(self.edges) - 1))
        lon1, lat1 = self.coords[edge]
        lon2, lat2 = self.coords[edge + 1]
        azimuth, _back, _dist = wgs84().inv(lon1, lat1, lon2, lat2)
        lon, lat, _az = wgs84().fwd(lon1, lat1, azimuth, chainage - self.cumulative[edge])
        return float(lon), float(lat)
