"""Small spherical helpers shared by zones and detectors.

Detectors compare positions a few km apart millions of times, so ``fast_m`` uses the local
equirectangular approximation (error < 0.5 % below ~100 km, far under AIS position noise) and
``haversine_m`` is kept for long distances and for the tests that check the fast one.
"""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean Earth radius
M_PER_DEG = 111_195.0  # EARTH_RADIUS_M * pi / 180
M_PER_NM = 1852.0  # international nautical mile
KNOT_MS = M_PER_NM / 3600.0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = radians(lat1), radians(lat2)
    a = sin((p2 - p1) / 2) ** 2 + cos(p1) * cos(p2) * sin(radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(min(1.0, sqrt(a)))


def fast_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance in metres; falls back to haversine beyond ~1 degree."""
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
