"""Tide windows for port clearance (潮汐验放) and times of high and low water.

A ship may pass a berth or channel while charted depth + tide above chart datum - draught is at
least the required under-keel clearance (UKC). The UKC policy is the larger of a fixed margin and
a percentage of draught, as port rules usually state both (e.g. "0.5 m or 10 % of draught,
whichever is greater").

Why root-finding: clearance decisions are made to the minute, so a window edge is the time the
curve crosses the threshold, found by bisection on the prediction itself between samples that
bracket it, not the nearest sample. Sampling (default 5 min) only has to bracket crossings; a
window shorter than one step could be missed, so ``step`` must be shorter than any window of
interest (tidal windows last hours; the 5-minute default is conservative).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from bastion.tides.astro import from_unix_seconds, to_unix_seconds
from bastion.tides.stations import Station

Curve = Callable[[np.ndarray], np.ndarray]  # Unix seconds -> values
_BISECTIONS = 40  # halves a 5-minute bracket to ~0.3 microseconds


@dataclass(frozen=True)
class UKCPolicy:
    """Required under-keel clearance: the larger of ``fixed_m`` and ``percent`` of draught."""

    fixed_m: float = 0.0
    percent: float = 0.0

    def required(self, draught_m: float) -> float:
        return max(self.fixed_m, self.percent / 100.0 * draught_m)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Extremum:
    time: datetime
    height: float
    kind: str  # "high" or "low"


def _sample_times(start: float, end: float, step: float) -> np.ndarray:
    n = max(int(np.ceil((end - start) / step)), 1)
    return np.linspace(start, end, n + 1)


def _bisect(fn: Curve, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Vectorised bisection: each [lo, hi] brackets a sign change of fn (fn(lo) >= 0 or not)."""
    lo, hi = lo.copy(), hi.copy()
    lo_ok = fn(lo) >= 0
    for _ in range(_BISECTIONS):
        mid = 0.5 * (lo + hi)
        same = (fn(mid) >= 0) == lo_ok
        lo = np.where(same, mid, lo)
        hi = np.where(same, hi, mid)
    return 0.5 * (lo + hi)


def windows_where_nonnegative(fn: Curve, start: datetime, end: datetime, *,
                              step: timedelta = timedelta(minutes=5),
                              min_duration: timedelta = timedelta(0)) -> list[Window]:
    """Intervals within [start, end] where fn(t) >= 0, edges refined by bisection."""
    t0, t1 = (float(to_unix_seconds(t)[0]) for t in (start, end))
    if t1 <= t0:
        raise ValueError("end must be after start")
    ts = _sample_times(t0, t1, step.total_seconds())
    ok = fn(ts) >= 0
    change = np.nonzero(ok[1:] != ok[:-1])[0]
    edges = _bisect(fn, ts[change], ts[change + 1]) if change.size else np.array([])
    # Each edge toggles the state; the state at start tells which edges open a window.
    bounds = np.concatenate([[t0] if ok[0] else [], edges, [t1] if ok[-1] else []])
    out = []
    for a, b in zip(bounds[0::2], bounds[1::2]):
        if b - a >= min_duration.total_seconds():
            out.append(Window(from_unix_seconds(a), from_unix_seconds(b)))
    return out


def tide_windows(station: Station, start: datetime, end: datetime, *, depth_m: float,
                 draught_m: float, ukc: UKCPolicy, datum_offset: float | None = None,
                 min_duration: timedelta = timedelta(0),
                 step: timedelta = timedelta(minutes=5)) -> list[Window]:
    """Windows in which depth_m + tide above chart datum - draught_m >= required UKC.

    ``depth_m`` is the charted depth below chart datum. The tide is taken above the station's
    chart datum, or above a datum ``datum_offset`` metres below MSL when given (needed for
    stations without a chart datum, or when the berth's chart uses another datum).
    """
    if draught_m <= 0:
        raise ValueError("draught must be positive")
    shift = datum_offset if datum_offset is not None else -station.datum_level("CD")
    model = station.model
    need = ukc.required(draught_m) + draught_m - depth_m - shift

    def margin(ts: np.ndarray) -> np.ndarray:
        return model.predict(ts) - need

    return windows_where_nonnegative(margin, start, end, step=step, min_duration=min_duration)


def high_low_waters(station: Station, start: datetime, end: datetime, *, datum: str = "MSL",
                    datum_offset: float | None = None,
                    step: timedelta = timedelta(minutes=10)) -> list[Extremum]:
    """Times and heights of high and low water: zeros of dh/dt, found by bisection."""
    model = station.model
    t0, t1 = (float(to_unix_seconds(t)[0]) for t in (start, end))
    if t1 <= t0:
        raise ValueError("end must be after start")
    ts = _sample_times(t0, t1, step.total_seconds())
    rising = model.predict(ts, derivative=True) >= 0
    idx = np.nonzero(rising[1:] != rising[:-1])[0]
    if not idx.size:
        return []
    times = _bisect(lambda x: model.predict(x, derivative=True), ts[idx], ts[idx + 1])
    heights = station.heights(times, datum=datum, datum_offset=datum_offset)
    return [Extremum(from_unix_seconds(t), float(h), "high" if rising[i] else "low")
            for t, h, i in zip(times, heights, idx)]
