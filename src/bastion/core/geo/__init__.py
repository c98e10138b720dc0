"""Geometry kit of the floor: distances and bearings on the sphere, lengths on the ellipsoid.

One home for what maritime (detectors, zones), clearance (last port) and the land border (lines,
patrols) all need. Positions are WGS 84 degrees. The scalar functions take ``lat, lon`` pairs
(the order AIS and forms give them); shapely geometries are ``x = lon, y = lat`` (GeoJSON order).

- ``haversine_m``: great-circle distance on the IUGG mean sphere. Within 0.5 % of the WGS 84
  geodesic everywhere (the sphere vs the ellipsoid), which is far under AIS or hand-held GPS error.
- ``fast_m``: the equirectangular shortcut for the hot paths that compare positions a few km
  apart millions of times (error < 0.5 % below ~100 km); falls back to ``haversine_m``.
- ``geodesic_m`` / ``line_length_m``: pyproj's ellipsoidal geodesic (Karney's algorithm), for
  surveyed lines where a kilometre of border should measure to the metre.

Metric work with shapely (buffers, simplification, areas in metres) is in ``geo.metric``;
reading GeoJSON, GPX and KML is in ``geo.files``. Both import pyproj, so this module stays light
for the AIS hot path.
"""

from __future__ import annotations

from functools import cache
from math import asin, atan2, cos, degrees, radians, sin, sqrt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyproj import Geod
    from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean Earth radius R1 (Moritz, Geodetic Reference System 1980)
M_PER_DEG = 111_195.0  # EARTH_RADIUS_M * pi / 180
M_PER_NM = 1852.0  # international nautical mile
KNOT_MS = M_PER_NM / 3600.0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = radians(lat1), radians(lat2)
    a = sin((p2 - p1) / 2) ** 2 + cos(p1) * cos(p2) * sin(radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(min(1.0, sqrt(a)))


def fast_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance in metres; falls back to haversine beyond ~1 degree.

    Hot path (AIS detectors, ``bench/ais_throughput.py``): keep it free of calls and lookups.
    """
    dlat = lat2 - lat1
    dlon = lon2 - lon1
    if dlon > 180.0:
        dlon -= 360.0
    elif dlon < -180.0:
        dlon += 360.0
    if -1.0 < dlat < 1.0 and -1.0 < dlon < 1.0:
        x = dlon * cos(radians((lat1 + lat2) * 0.5))
        return sqrt(x * x + dlat * dlat) * M_PER_DEG
    return haversine_m(lat1, lon1, lat2, lon2)


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial great-circle bearing from the first point to the second, 0-360 clockwise from
    true north (the course a patrol or a ship would steer at the start)."""
    p1, p2 = radians(lat1), radians(lat2)
    dl = radians(lon2 - lon1)
    y = sin(dl) * cos(p2)
    x = cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl)
    return degrees(atan2(y, x)) % 360.0


@cache
def wgs84() -> Geod:
    from pyproj import Geod

    return Geod(ellps="WGS84")


def geodesic_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in metres along the WGS 84 ellipsoid (pyproj, accurate to nanometres)."""
    return float(wgs84().inv(lon1, lat1, lon2, lat2)[2])


def line_length_m(geometry: BaseGeometry) -> float:
    """Length in metres on the WGS 84 ellipsoid of a lon/lat line (LineString,
    MultiLineString; a polygon gives its perimeter)."""
    return float(wgs84().geometry_length(geometry))


__all__ = ["EARTH_RADIUS_M", "KNOT_MS", "M_PER_DEG", "M_PER_NM", "bearing_deg", "fast_m",
           "geodesic_m", "haversine_m", "line_length_m", "wgs84"]
