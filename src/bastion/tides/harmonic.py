"""Harmonic tide prediction: h(t) = Z0 + sum f_i H_i cos(V_i(t) + u_i(t) - g_i).

Why vectorised with per-sample node factors: uptide and many predictors compute f and u once
at the start of a run; that is fine for a month but drifts over a year. We evaluate them at
every sample, which costs one extra array expression per base formula.

Phases g are Greenwich phase lags (kappa', "phase_UTC" in the station files), amplitudes H in
metres; V uses UTC. Constituents this table does not know are kept out of the sum and listed
in ``HarmonicModel.skipped`` so callers can report them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from bastion.tides.astro import DEG, to_unix_seconds
from bastion.tides.constituents import arguments, canonical, is_supported


@dataclass(frozen=True)
class Constituent:
    """One harmonic constant: amplitude in metres, Greenwich phase lag in degrees."""

    name: str
    amplitude: float
    phase: float


@dataclass(frozen=True)
class HarmonicModel:
    """A set of harmonic constants plus the mean level Z0 they oscillate about."""

    constituents: tuple[Constituent, ...]
    z0: float = 0.0
    skipped: tuple[str, ...] = field(default=())

    @classmethod
    def build(cls, constituents: Iterable[Constituent], z0: float = 0.0,
              only: Iterable[str] | None = None) -> HarmonicModel:
        """Keep supported constituents (optionally only those named in ``only``)."""
        wanted = {canonical(n) for n in only} if only is not None else None
        kept, skipped = [], []
        for c in constituents:
            name = canonical(c.name)
            if wanted is not None and name not in wanted:
                continue
            if is_supported(name):
                kept.append(Constituent(name, float(c.amplitude), float(c.phase)))
            else:
                skipped.append(c.name)
        return cls(tuple(kept), z0, tuple(skipped))

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.constituents]

    def predict(self, times: datetime | Iterable[datetime] | np.ndarray,
                derivative: bool = False) -> np.ndarray:
        """Heights (m) at ``times`` (datetimes, datetime64, or Unix seconds).

        With ``derivative=True`` return dh/dt in metres per hour instead (node factors and
        u are treated as constant over a sample, their drift being ~1e-6 of the tidal term).
        """
        secs = np.atleast_1d(to_unix_seconds(times))
        shape = secs.shape
        secs = secs.ravel()
        out = np.empty_like(secs)
        chunk = 20_000  # keep the (constituents x times) matrices a few MB
        H = np.array([c.amplitude for c in self.constituents])[:, None]
        g = np.array([c.phase for c in self.constituents])[:, None] * DEG
        for lo in range(0, secs.size, chunk):
            part = secs[lo:lo + chunk]
            if not self.constituents:
                out[lo:lo + chunk] = 0.0 if derivative else self.z0
                continue
            phase, f, speeds = arguments(self.names, part)
            if derivative:
                w = speeds[:, None] * DEG  # radians per hour
                out[lo:lo + chunk] = -(f * H * w * np.sin(phase - g)).sum(axis=0)
            else:
                out[lo:lo + chunk] = self.z0 + (f * H * np.cos(phase - g)).sum(axis=0)
        return out.reshape(shape)
