"""Astronomical arguments and nodal angles for harmonic tide prediction.

Why our own: a prediction is only as good as its equilibrium arguments, and the peers we tried
differ in quiet ways (approximate speeds, nodal corrections frozen at the start time, typos in
polynomial coefficients). Everything here is a vectorised function of time so a month of
10-minute steps is one NumPy expression.

Time is carried internally as float64 seconds since the Unix epoch (UTC). We use UT for the
astronomical polynomials instead of TT; the ~70 s difference moves the Moon by ~0.01 degree,
i.e. < 0.03 degree of M2 phase, which is far below the accuracy of any harmonic constant.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import NamedTuple

import numpy as np

DEG = np.pi / 180.0
# 2000-01-01T12:00:00 UTC (J2000.0) in Unix seconds; Meeus (1998) eq. 22.1 counts T from here.
J2000_UNIX = 946_728_000.0
SECONDS_PER_CENTURY = 36525.0 * 86400.0

# Schureman (1958), SP 98, section 9 and Table 1: obliquity of the ecliptic and inclination of
# the lunar orbit used to derive his mean node-factor constants (0.9154, 0.3800, ...). We use
# the same values so the node factors average to 1 exactly as he normalised them.
OBLIQUITY = 23.452 * DEG
LUNAR_INCLINATION = 5.145 * DEG


def to_unix_seconds(times: datetime | Iterable[datetime] | np.ndarray) -> np.ndarray:
    """Convert datetimes (naive = UTC) or numpy datetime64 values to float Unix seconds."""
    if isinstance(times, datetime):
        times = [times]
    arr = np.asarray(times)
    if np.issubdtype(arr.dtype, np.datetime64):
        return arr.astype("datetime64[ns]").astype(np.int64) / 1e9
    if np.issubdtype(arr.dtype, np.number):
        return arr.astype(np.float64)
    out = np.empty(arr.shape, dtype=np.float64)
    for i, t in enumerate(arr.ravel()):
        if t.tzinfo is None:
            t = t.replace(tzinfo=UTC)
        out.flat[i] = t.timestamp()
    return out


def from_unix_seconds(seconds: float) -> datetime:
    """Return an aware UTC datetime for Unix seconds (microsecond precision)."""
    return datetime.fromtimestamp(round(float(seconds), 6), tz=UTC)


class Astro(NamedTuple):
    """Doodson's fundamental arguments (degrees) at each requested time.

    tau: mean lunar time measured from lower transit (t + h - s, t = 15 deg x UT hours from
    midnight), s, h, p: mean longitudes of Moon, Sun and lunar perigee, N: longitude of the
    Moon's ascending node, p1: longitude of the solar perigee.
    """

    tau: np.ndarray
    s: np.ndarray
    h: np.ndarray
    p: np.ndarray
    N: np.ndarray
    p1: np.ndarray


def _poly(coeffs: tuple[float, ...], t: np.ndarray) -> np.ndarray:
    return sum(c * t**k for k, c in enumerate(coeffs))


# Meeus, Astronomical Algorithms, 2nd ed. (1998): eq. 47.1 (L'), 47.2 (D), 47.3 (M),
# 47.4 (M'), 47.7 (Omega). s = L', h = L' - D, p = L' - M', p1 = h - M, N = Omega.
_L_MOON = (218.3164477, 481267.88123421, -0.0015786, 1 / 538841, -1 / 65194000)
_D = (297.8501921, 445267.1114034, -0.0018819, 1 / 545868, -1 / 113065000)
_M_SUN = (357.5291092, 35999.0502909, -0.0001536, 1 / 24490000)
_M_MOON = (134.9633964, 477198.8675055, 0.0087414, 1 / 69699, -1 / 14712000)
_OMEGA = (125.0445479, -1934.1362891, 0.0020754, 1 / 467441, -1 / 60616000)


def astro(unix_seconds: np.ndarray) -> Astro:
    """Fundamental arguments for an array of Unix times."""
    secs = np.asarray(unix_seconds, dtype=np.float64)
    T = (secs - J2000_UNIX) / SECONDS_PER_CENTURY
    s = _poly(_L_MOON, T)
    h = s - _poly(_D, T)
    p = s - _poly(_M_MOON, T)
    p1 = h - _poly(_M_SUN, T)
    N = _poly(_OMEGA, T)
    # Angle of the mean sun from lower transit: 360 deg per UT day, 0 at 00:00 UTC.
    t = np.mod(secs, 86400.0) / 86400.0 * 360.0
    tau = t + h - s
    return Astro(*(np.mod(a, 360.0) for a in (tau, s, h, p, N, p1)))


class NodalAngles(NamedTuple):
    """Schureman's auxiliary angles (radians): I, nu, xi, nu', 2nu'' and P = p - xi."""

    I: np.ndarray
    nu: np.ndarray
    xi: np.ndarray
    nup: np.ndarray
    nupp2: np.ndarray
    P: np.ndarray


def nodal_angles(a: Astro) -> NodalAngles:
    """Angles that carry the 18.61-year nodal modulation (Schureman 1958, Table 6 notes)."""
    N = a.N * DEG
    w, i = OBLIQUITY, LUNAR_INCLINATION
    # Schureman eq. 12 (spherical triangle of ecliptic, equator and lunar orbit).
    cos_I = np.cos(i) * np.cos(w) - np.sin(i) * np.sin(w) * np.cos(N)
    I = np.arccos(cos_I)
    # Napier's analogies for the same triangle (Schureman eqs. 13-14):
    # tan((N - xi + nu)/2) and tan((N - xi - nu)/2) in terms of tan(N/2).
    half = 0.5 * N
    e1 = np.arctan(np.cos(0.5 * (w - i)) / np.cos(0.5 * (w + i)) * np.tan(half)) - half
    e2 = np.arctan(np.sin(0.5 * (w - i)) / np.sin(0.5 * (w + i)) * np.tan(half)) - half
    # np.tan(N/2) is singular at N = 180 deg; the arctan branch jump cancels in e1, e2 mod pi.
    e1 = np.mod(e1 + np.pi / 2, np.pi) - np.pi / 2
    e2 = np.mod(e2 + np.pi / 2, np.pi) - np.pi / 2
    xi = -(e1 + e2)
    nu = e1 - e2
    # Schureman eq. 224 (K1 lunisolar combination) and eq. 232 (K2), solar/lunar ratios
    # 0.3347 and 0.0727 are his.
    sin2I = np.sin(2 * I)
    nup = np.arctan2(sin2I * np.sin(nu), sin2I * np.cos(nu) + 0.3347)
    sinI2 = np.sin(I) ** 2
    nupp2 = np.arctan2(sinI2 * np.sin(2 * nu), sinI2 * np.cos(2 * nu) + 0.0727)
    P = a.p * DEG - xi
    return NodalAngles(I, nu, xi, nup, nupp2, P)
