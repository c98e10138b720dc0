"""Tide windows and high/low waters: an analytic cosine tide, then a real station."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.tides.astro import to_unix_seconds
from bastion.tides.stations import DatumError, get_station
from bastion.tides.windows import (
    UKCPolicy,
    high_low_waters,
    tide_windows,
    windows_where_nonnegative,
)

T0 = datetime(2024, 1, 1, tzinfo=UTC)
T0_S = T0.timestamp()
PERIOD_S = 12 * 3600.0


def cosine_margin(amplitude: float, threshold: float, phase: float = 0.0):
    """Synthetic semidiurnal tide A cos(2 pi t / 12 h + phase) minus a threshold."""
    return lambda ts: amplitude * np.cos(2 * np.pi * (ts - T0_S) / PERIOD_S + phase) - threshold


def test_cosine_windows_have_analytic_edges_and_are_clipped():
    # cos >= 0.5 while |phase| <= 60 deg, i.e. within 2 h of 00:00, 12:00, 24:00.
    found = windows_where_nonnegative(cosine_margin(1.0, 0.5), T0, T0 + timedelta(days=1))
    expected = [(T0, T0 + timedelta(hours=2)),
                (T0 + timedelta(hours=10), T0 + timedelta(hours=14)),
                (T0 + timedelta(hours=22), T0 + timedelta(hours=24))]
    assert len(found) == 3
    for w, (a, b) in zip(found, expected):
        assert abs((w.start - a).total_seconds()) < 1e-3
        assert abs((w.end - b).total_seconds()) < 1e-3


def test_min_duration_drops_short_clipped_windows():
    found = windows_where_nonnegative(cosine_margin(1.0, 0.5), T0, T0 + timedelta(days=1),
                                      min_duration=timedelta(hours=3))
    assert [(w.start, w.duration) for w in found] == [
        (T0 + timedelta(hours=10), timedelta(hours=4))]


def test_never_and_always_navigable():
    day = T0 + timedelta(days=1)
    assert windows_where_nonnegative(cosine_margin(1.0, 1.5), T0, day) == []
    [w] = windows_where_nonnegative(cosine_margin(1.0, -1.5), T0, day)
    assert (w.start, w.end) == (T0, day)


@settings(max_examples=40, deadline=None)
@given(threshold=st.floats(-0.95, 0.95), phase=st.floats(0, 2 * np.pi),
       hours=st.floats(3, 72))
def test_cosine_edges_are_exact_crossings(threshold, phase, hours):
    fn = cosine_margin(1.0, threshold, phase)
    end = T0 + timedelta(hours=hours)
    found = windows_where_nonnegative(fn, T0, end)
    # Analytic length of time with cos >= threshold, clipped to the period, by dense sampling.
    ts = np.linspace(T0_S, end.timestamp(), 200_001)
    dense = (fn(ts) >= 0).mean() * (end.timestamp() - T0_S)
    assert sum(w.duration.total_seconds() for w in found) == pytest.approx(dense, abs=30)
    for w in found:
        for edge, bound in ((w.start, T0), (w.end, end)):
            if edge != bound:
                assert abs(fn(np.array([edge.timestamp()]))[0]) < 1e-6
        mid = (w.start.timestamp() + w.end.timestamp()) / 2
        assert fn(np.array([mid]))[0] >= 0


def test_ukc_policy_larger_of_fixed_and_percent():
    assert UKCPolicy(0.5, 10).required(9.0) == pytest.approx(0.9)
    assert UKCPolicy(1.0, 10).required(9.0) == pytest.approx(1.0)
    assert UKCPolicy(percent=15).required(10.0) == pytest.approx(1.5)


def test_real_station_windows_for_a_deep_draught_ship():
    """Zhapo, 8.0 m charted depth, 9.0 m draught, UKC max(0.5 m, 10 %) = 0.9 m: the tide must
    be at least 1.9 m above chart datum (LAT). Check edges and a 1-minute brute force."""
    zhapo = get_station("zhapo")
    start, end = datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 3, 8, tzinfo=UTC)
    found = tide_windows(zhapo, start, end, depth_m=8.0, draught_m=9.0, ukc=UKCPolicy(0.5, 10))
    assert 7 <= len(found) <= 16  # mixed tide: one or two windows a day
    edges = [t for w in found for t in (w.start, w.end) if t not in (start, end)]
    assert np.abs(zhapo.heights(edges, datum="CD") - 1.9).max() < 1e-4
    minutes = np.arange(start.timestamp(), end.timestamp(), 60.0)
    ok = zhapo.heights(minutes, datum="CD") >= 1.9
    inside = np.zeros_like(ok)
    for w in found:
        inside |= (minutes >= w.start.timestamp()) & (minutes <= w.end.timestamp())
    assert np.array_equal(ok, inside)


def test_datum_offset_and_missing_chart_datum():
    hk = get_station("hong-kong-329b-hkg-uhslc-rq")
    start, end = datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 3, 3, tzinfo=UTC)
    with pytest.raises(DatumError):
        tide_windows(hk, start, end, depth_m=10, draught_m=11, ukc=UKCPolicy(0.5))
    found = tide_windows(hk, start, end, depth_m=10, draught_m=11, ukc=UKCPolicy(0.5),
                         datum_offset=1.4)
    assert found
    # tide above the datum >= 11 + 0.5 - 10 = 1.5 m  <=>  height above MSL >= 0.1 m
    edges = [t for w in found for t in (w.start, w.end) if t not in (start, end)]
    assert np.abs(hk.heights(edges) - 0.1).max() < 1e-4


def test_high_and_low_waters_alternate_and_are_extremes():
    xiamen = get_station("xiamen")  # semidiurnal, ~4 m range
    start, end = datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 3, 3, tzinfo=UTC)
    ext = high_low_waters(xiamen, start, end, datum="CD")
    assert 7 <= len(ext) <= 8
    kinds = [e.kind for e in ext]
    assert all(a != b for a, b in itertools.pairwise(kinds))
    for e in ext:
        t = e.time.timestamp()
        around = xiamen.heights(np.array([t - 600, t, t + 600]), datum="CD")
        assert around[1] == pytest.approx(e.height, abs=1e-9)
        if e.kind == "high":
            assert around[1] > max(around[0], around[2])
        else:
            assert around[1] < min(around[0], around[2])
        assert abs(xiamen.model.predict(np.array([t]), derivative=True)[0]) < 1e-6
    # Heights sit near the station's published mean high/low water (above CD): 5.30 / 1.35 m.
    mhw = xiamen.datums["MHW"] - xiamen.datums["LAT"]
    mlw = xiamen.datums["MLW"] - xiamen.datums["LAT"]
    assert all(abs(e.height - (mhw if e.kind == "high" else mlw)) < 1.0 for e in ext)


def test_end_before_start_is_rejected():
    with pytest.raises(ValueError, match="after start"):
        windows_where_nonnegative(cosine_margin(1, 0), T0, T0)
    assert to_unix_seconds(T0)[0] == T0_S
