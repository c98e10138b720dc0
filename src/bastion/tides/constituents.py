"""Tidal constituents: Doodson numbers, phase offsets and node factors.

Why a table of our own: station files use several spellings (LAM2/LAMBDA2, RHO/RHO1, EP2/EPS2,
SGM/SIGMA1) and peers disagree on conventions for a few constituents (M1, S1, L2). One table,
with each number's source, keeps the prediction auditable.

Equilibrium argument V = d . (tau, s, h, p, N', p1) + offset, with tau measured from lower
transit (IHO TWCWG standard list of constituents, "XDO" Doodson numbers and 90-degree phase
offsets; they agree with Schureman (1958) Table 2 once his T = t + 180 deg is substituted).
Node factors f, u follow Schureman (1958) Table 2: each constituent names a combination of
"base" node-factor formulas; shallow-water compounds multiply f and add u (Schureman eq. 149ff).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from bastion.tides.astro import DEG, Astro, NodalAngles, astro, nodal_angles


class Spec(NamedTuple):
    doodson: tuple[int, int, int, int, int, int]  # tau, s, h, p, N', p1
    offset: float  # degrees
    nodal: tuple[tuple[str, float], ...]  # (base formula, power)


def _c(d: str, offset: float, *nodal: tuple[str, float]) -> Spec:
    return Spec(tuple(int(x) for x in d.split()), offset, nodal)  # type: ignore[arg-type]


M2N = (("M2", 1),)
O1N = (("O1", 1),)
# name: Doodson numbers (tau s h p N' p1), offset in degrees, node factor combination.
CONSTITUENTS: dict[str, Spec] = {
    # Long period
    "SA": _c("0 0 1 0 0 0", 0),
    "SSA": _c("0 0 2 0 0 0", 0),
    "MM": _c("0 1 0 -1 0 0", 0, ("MM", 1)),
    "MSF": _c("0 2 -2 0 0 0", 0, ("M2", -1)),  # S2 - M2
    "MF": _c("0 2 0 0 0 0", 0, ("MF", 1)),
    "MTM": _c("0 3 0 -1 0 0", 0, ("MF", 1), ("MM", 1)),  # MF + MM
    "MSQM": _c("0 4 -2 0 0 0", 0, ("MF", 1), ("M2", -1)),  # MF + MSF
    # Diurnal
    "2Q1": _c("1 -3 0 2 0 0", -90, *O1N),
    "SIGMA1": _c("1 -3 2 0 0 0", -90, *O1N),
    "Q1": _c("1 -2 0 1 0 0", -90, *O1N),
    "RHO1": _c("1 -2 2 -1 0 0", -90, *O1N),
    "O1": _c("1 -1 0 0 0 0", -90, *O1N),
    "M1": _c("1 0 0 1 0 0", 90, ("M1", 1)),
    "P1": _c("1 1 -2 0 0 0", -90),
    # S1: Schureman Table 2 gives V = T (= t + 180); IHO lists offset 0. We follow Schureman
    # (NOAA analyses, and uptide, use it); S1 is radiational and at most ~1 cm in our files.
    "S1": _c("1 1 -1 0 0 0", 180),
    "K1": _c("1 1 0 0 0 0", 90, ("K1", 1)),
    "J1": _c("1 2 0 -1 0 0", 90, ("J1", 1)),
    "OO1": _c("1 3 0 0 0 0", 90, ("OO1", 1)),
    # Semidiurnal
    "EPS2": _c("2 -3 2 1 0 0", 0, *M2N),
    "2N2": _c("2 -2 0 2 0 0", 0, *M2N),
    "MU2": _c("2 -2 2 0 0 0", 0, *M2N),
    "N2": _c("2 -1 0 1 0 0", 0, *M2N),
    "NU2": _c("2 -1 2 -1 0 0", 0, *M2N),
    "MA2": _c("2 0 -1 0 0 0", 0, *M2N),
    "M2": _c("2 0 0 0 0 0", 0, *M2N),
    "MB2": _c("2 0 1 0 0 0", 0, *M2N),
    "MKS2": _c("2 0 2 0 0 0", 0, ("M2", 1), ("K2", 1)),  # M2 + K2 - S2
    "LAMBDA2": _c("2 1 -2 1 0 0", 180, *M2N),
    "L2": _c("2 1 0 -1 0 0", 180, ("L2", 1)),
    "T2": _c("2 2 -3 0 0 1", 0),
    "S2": _c("2 2 -2 0 0 0", 0),
    "R2": _c("2 2 -1 0 0 -1", 180),
    "K2": _c("2 2 0 0 0 0", 0, ("K2", 1)),
    "2SM2": _c("2 4 -4 0 0 0", 0, ("M2", -1)),  # 2 S2 - M2
    # Terdiurnal
    "MO3": _c("3 -1 0 0 0 0", -90, ("M2", 1), ("O1", 1)),
    "2MK3": _c("3 -1 0 0 0 0", -90, ("M2", 2), ("K1", -1)),
    "M3": _c("3 0 0 0 0 0", 180, ("M2", 1.5)),  # Schureman eq. 149: f = f(M2)^1.5
    "MK3": _c("3 1 0 0 0 0", 90, ("M2", 1), ("K1", 1)),
    "S3": _c("3 3 -3 0 0 0", 180),
    # Quarter-, fifth-, sixth- and eighth-diurnal compounds
    "N4": _c("4 -2 0 2 0 0", 0, ("M2", 2)),
    "MN4": _c("4 -1 0 1 0 0", 0, ("M2", 2)),
    "M4": _c("4 0 0 0 0 0", 0, ("M2", 2)),
    "MS4": _c("4 2 -2 0 0 0", 0, *M2N),
    "S4": _c("4 4 -4 0 0 0", 0),
    "2MO5": _c("5 -1 0 0 0 0", -90, ("M2", 2), ("O1", 1)),
    "2MK5": _c("5 1 0 0 0 0", 90, ("M2", 2), ("K1", 1)),
    "M6": _c("6 0 0 0 0 0", 0, ("M2", 3)),
    "2MS6": _c("6 2 -2 0 0 0", 0, ("M2", 2)),
    "S6": _c("6 6 -6 0 0 0", 0),
    "M8": _c("8 0 0 0 0 0", 0, ("M2", 4)),
}

ALIASES = {"LAM2": "LAMBDA2", "RHO": "RHO1", "EP2": "EPS2", "SGM": "SIGMA1", "SIG1": "SIGMA1",
           "MSQ": "MSQM", "MFM": "MTM"}

# Angular speeds of tau, s, h, p, N', p1 in degrees per hour (Meeus rates / 876600 h per
# Julian century); used for reporting and for the time derivative dh/dt.
_RATES = np.array([
    15.0 + (36000.76983 - 481267.88123421) / 876600.0,  # tau = t + h - s
    481267.88123421 / 876600.0,
    36000.76983 / 876600.0,
    (481267.88123421 - 477198.8675055) / 876600.0,
    1934.1362891 / 876600.0,  # N' = -N
    (36000.76983 - 35999.0502909) / 876600.0,
])


def canonical(name: str) -> str:
    """Upper-case name with known aliases resolved (e.g. LAM2 -> LAMBDA2)."""
    key = name.strip().upper()
    return ALIASES.get(key, key)


def is_supported(name: str) -> bool:
    return canonical(name) in CONSTITUENTS


def speed(name: str) -> float:
    """Angular speed in degrees per mean solar hour (e.g. M2 = 28.9841042)."""
    return float(np.dot(CONSTITUENTS[canonical(name)].doodson, _RATES))


def _base_factors(n: NodalAngles) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Schureman (1958) Table 2 base node factors f and u (u in radians)."""
    I, nu, xi, P = n.I, n.nu, n.xi, n.P
    zero = np.zeros_like(I)
    f_o1 = np.sin(I) * np.cos(I / 2) ** 2 / 0.3800  # eq. 75
    f_m2 = np.cos(I / 2) ** 4 / 0.9154  # eq. 78
    # L2: eq. 213 (1/Ra), eq. 214 (R), eq. 215 (f = f(M2)/Ra).
    tan_half = np.tan(I / 2)
    inv_ra = np.sqrt(1 - 12 * tan_half**2 * np.cos(2 * P) + 36 * tan_half**4)
    R = np.arctan2(np.sin(2 * P), tan_half**-2 / 6 - np.cos(2 * P))
    # M1: eq. 197 (1/Qa), eq. 202-203 (Q); f = f(O1)/Qa (eq. 206), u = xi - nu + Q.
    inv_qa = np.sqrt(2.310 + 1.435 * np.cos(2 * P))
    cos_I = np.cos(I)
    Q = np.arctan2((5 * cos_I - 1) * np.sin(P), (7 * cos_I + 1) * np.cos(P))
    return {
        "MM": ((2 / 3 - np.sin(I) ** 2) / 0.5021, zero),  # eq. 73
        "MF": (np.sin(I) ** 2 / 0.1578, -2 * xi),  # eq. 74
        "O1": (f_o1, 2 * xi - nu),
        "J1": (np.sin(2 * I) / 0.7214, -nu),  # eq. 76
        "OO1": (np.sin(I) * np.sin(I / 2) ** 2 / 0.0164, -2 * xi - nu),  # eq. 77
        "M2": (f_m2, 2 * xi - 2 * nu),
        # eq. 227 and eq. 235 (lunisolar K1, K2), u = -nu' and -2nu''.
        "K1": (np.sqrt(0.8965 * np.sin(2 * I) ** 2 + 0.6001 * np.sin(2 * I) * np.cos(nu)
                       + 0.1006), -n.nup),
        "K2": (np.sqrt(19.0444 * np.sin(I) ** 4 + 2.7702 * np.sin(I) ** 2 * np.cos(2 * nu)
                       + 0.0981), -n.nupp2),
        "L2": (f_m2 * inv_ra, 2 * xi - 2 * nu - R),
        "M1": (f_o1 * inv_qa, xi - nu + Q),
    }


def _factors(specs: list[Spec], a: Astro) -> tuple[np.ndarray, np.ndarray]:
    """Node factors f and u (radians), shape (constituents, times)."""
    base = _base_factors(nodal_angles(a))
    f = np.ones((len(specs), np.size(a.N)))
    u = np.zeros_like(f)
    for row, spec in enumerate(specs):
        for key, power in spec.nodal:
            bf, bu = base[key]
            f[row] *= bf ** abs(power)
            u[row] += power * bu
    return f, u


def arguments(names: list[str], secs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (V + u in radians, f) per constituent (rows) and time (columns), and speeds.

    ``secs`` are Unix seconds; names must be canonical and supported. Speeds are deg/hour.
    Node factors are evaluated at every sample, so the curve stays smooth for root-finding.
    """
    secs = np.atleast_1d(np.asarray(secs, dtype=np.float64))
    specs = [CONSTITUENTS[n] for n in names]
    D = np.array([s.doodson for s in specs], dtype=np.float64)
    a = astro(secs)
    args = np.stack([a.tau, a.s, a.h, a.p, -a.N, a.p1])
    V = (D @ args + np.array([s.offset for s in specs])[:, None]) * DEG
    f, u = _factors(specs, a)
    return V + u, f, D @ _RATES


def node_factors(name: str, a: Astro) -> tuple[np.ndarray, np.ndarray]:
    """f and u (degrees, in -180..180) of one constituent at the times of ``a``."""
    f, u = _factors([CONSTITUENTS[canonical(name)]], a)
    return f[0], np.mod(u[0] / DEG + 180.0, 360.0) - 180.0
