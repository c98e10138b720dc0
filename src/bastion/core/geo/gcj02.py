"""GCJ-02 ("Mars coordinates", 国测局坐标) to and from WGS-84.

Maps published in China (Amap/Gaode, Tencent, and the tracks their apps export) shift WGS-84
positions by GCJ-02, an obfuscation of up to ~700 m prescribed by the State Bureau of Surveying
and Mapping. Bastion stores WGS-84 only; a track exported from such an app is converted when the
user says it is GCJ-02 (there is no telling from the numbers alone).

Forward (WGS-84 -> GCJ-02): the formula published since 2011 in many open implementations
(e.g. the JavaScript library gcoord, googollee/eviltransform): a polynomial-and-sine offset in
metres of ``(lon - 105, lat - 35)``, turned into degrees on the Krasovsky 1940 ellipsoid
(a = 6 378 245 m, e² = 0.00669342162296594323). It is applied only inside the rough bounding
box those implementations use for China (lon 72.004..137.8347, lat 0.8293..55.8271); outside
it GCJ-02 is WGS-84 and both functions return the point unchanged. The box is coarse (it
holds northern Vietnam too): near the China–Vietnam line it is exactly what the Chinese apps
do, which is what matters for converting their exports.

Inverse (GCJ-02 -> WGS-84): there is no closed form. Fixed-point iteration
``w <- w - (forward(w) - g)`` from ``w = g`` converges because the offset changes by well
under a millimetre per metre (its derivative is ~1e-5); each step shrinks the error about
ten-thousandfold, so two or three steps reach ``TOLERANCE_DEG`` (1e-9 degree, ~0.1 mm),
far inside the 1 cm asked for. The loop is capped at ``MAX_ITERATIONS`` as a guard.

Why not a library: the candidates on PyPI (eviltransform 0.1.1 of 2018, coord-convert 0.2.1 of
2019, prcoords 1.0.2 of 2019, chinacoordtran, MapDatumTrans, pygcj 0.0.2) are unmaintained
single-file packages, several with a one-step inverse that is off by metres, and the whole
method is these thirty lines; the tests hold it to published pairs (the test suite of gcoord,
a maintained JavaScript library) and to round trips.
"""

from __future__ import annotations

from math import cos, pi, sin, sqrt

KRASOVSKY_A = 6_378_245.0  # semi-major axis, metres
KRASOVSKY_EE = 0.00669342162296594323  # first eccentricity squared
CHINA_BOX = (72.004, 0.8293, 137.8347, 55.8271)  # west, south, east, north (degrees)
TOLERANCE_DEG = 1e-9
MAX_ITERATIONS = 30


def in_china_box(lon: float, lat: float) -> bool:
    """Whether GCJ-02 shifts this point at all (the conventional rough box for China)."""
    west, south, east, north = CHINA_BOX
    return west <= lon <= east and south <= lat <= north


def _offset_m(x: float, y: float) -> tuple[float, float]:
    """The published offset functions of ``x = lon - 105``, ``y = lat - 35`` (metres-ish)."""
    common = (20.0 * sin(6.0 * x * pi) + 20.0 * sin(2.0 * x * pi)) * 2.0 / 3.0
    shift_lat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
                 + common
                 + (20.0 * sin(y * pi) + 40.0 * sin(y / 3.0 * pi)) * 2.0 / 3.0
                 + (160.0 * sin(y / 12.0 * pi) + 320.0 * sin(y * pi / 30.0)) * 2.0 / 3.0)
    shift_lon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
                 + common
                 + (20.0 * sin(x * pi) + 40.0 * sin(x / 3.0 * pi)) * 2.0 / 3.0
                 + (150.0 * sin(x / 12.0 * pi) + 300.0 * sin(x / 30.0 * pi)) * 2.0 / 3.0)
    return shift_lon, shift_lat


def _delta(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 minus WGS-84 at a WGS-84 point, in degrees."""
    shift_lon, shift_lat = _offset_m(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * pi
    magic = 1.0 - KRASOVSKY_EE * sin(rad) ** 2
    root = sqrt(magic)
    d_lon = shift_lon * 180.0 / (KRASOVSKY_A / root * cos(rad) * pi)
    d_lat = shift_lat * 180.0 / (KRASOVSKY_A * (1.0 - KRASOVSKY_EE) / (magic * root) * pi)
    return d_lon, d_lat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """The GCJ-02 position a Chinese map shows for a WGS-84 ``lon, lat``."""
    if not in_china_box(lon, lat):
        return lon, lat
    d_lon, d_lat = _delta(lon, lat)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """The WGS-84 position of a GCJ-02 ``lon, lat`` (iterated to ``TOLERANCE_DEG``)."""
    if not in_china_box(lon, lat):
        return lon, lat
    w_lon, w_lat = lon, lat
    for _step in range(MAX_ITERATIONS):
        d_lon, d_lat = _delta(w_lon, w_lat)
        err_lon, err_lat = w_lon + d_lon - lon, w_lat + d_lat - lat
        if abs(err_lon) < TOLERANCE_DEG and abs(err_lat) < TOLERANCE_DEG:
            break
        w_lon, w_lat = w_lon - err_lon, w_lat - err_lat
    return w_lon, w_lat


__all__ = ["CHINA_BOX", "gcj02_to_wgs84", "in_china_box", "wgs84_to_gcj02"]
