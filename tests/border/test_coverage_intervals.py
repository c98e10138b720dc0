"""``coverage.edge_intervals``: the engine run once, any subset of the tracks answered by
filtering (what the measures do for each month and agency) gives exactly the figures of
``segment_coverage`` run on that subset alone."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import LineString, MultiLineString

from bastion.border.coverage import edge_intervals, segment_coverage
from tests.border.synth import beside

SEGMENTS = [("bent", LineString([(106.00, 22.90), (106.03, 22.91), (106.06, 22.90)])),
            ("parts", MultiLineString([[(106.10, 22.90), (106.12, 22.905)],
                                       [(106.13, 22.905), (106.15, 22.90)]]))]


def tracks() -> list[np.ndarray]:
    bent = [(106.00, 22.90), (106.03, 22.91), (106.06, 22.90)]
    return [
        beside(bent, 0.0, 6000.0, 50.0),  # runs beside the bent line, 50 m off
        beside(bent, 4000.0, 1000.0, -150.0, step=40.0),  # walks back, 150 m the other side
        np.zeros((0, 2)),  # an empty track keeps its place in the indexing
        np.array([[106.11, 22.9025]]),  # one fix on the first part: a patrol that stood there
        np.array([[106.125, 22.95], [106.125, 22.85]]),  # crosses the gap between the parts
        np.array([[106.14, 22.9025], [106.13, 22.905], [106.145, 22.9015]]),  # doubles back
        np.array([[107.0, 23.5], [107.01, 23.5]]),  # far away: covers nothing
    ]


@pytest.mark.parametrize("within", [0.0, 60.0, 200.0])
def test_every_subset_agrees_with_a_run_on_it_alone(within):
    lines = tracks()
    intervals = edge_intervals(SEGMENTS, lines, within)
    rng = np.random.default_rng(3)
    masks = [np.ones(len(lines), bool), np.zeros(len(lines), bool)]
    masks += [rng.random(len(lines)) < 0.5 for _ in range(12)]
    masks += [np.arange(len(lines)) == k for k in range(len(lines))]
    for mask in masks:
        alone = segment_coverage(SEGMENTS, [t for t, m in zip(lines, mask, strict=True) if m],
                                 within)
        filtered = intervals.coverage(mask)
        for a, f in zip(alone, filtered, strict=True):
            assert (f.name, f.length_m) == (a.name, a.length_m)
            assert f.covered_m == pytest.approx(a.covered_m, abs=1e-6)
    everything = intervals.coverage()
    for a, f in zip(segment_coverage(SEGMENTS, lines, within), everything, strict=True):
        assert (f.name, f.length_m) == (a.name, a.length_m)
        assert f.covered_m == pytest.approx(a.covered_m, abs=1e-6)
    unmerged = edge_intervals(SEGMENTS, lines, within, merge=False)
    assert len(unmerged.edge) >= len(intervals.edge)
    for a, f in zip(unmerged.coverage(), everything, strict=True):
        assert f.covered_m == pytest.approx(a.covered_m, abs=1e-6)
    if within:  # the case covers something (at 0 m only lines lying exactly on it would)
        assert sum(r.covered_m for r in everything) > 0


def test_intervals_are_merged_per_edge_and_track():
    """A track's many short edges leave one interval per stretch it covers, not one each."""
    lines = tracks()
    intervals = edge_intervals(SEGMENTS, lines, 200.0)
    pairs = set(zip(intervals.edge.tolist(), intervals.track.tolist(), strict=True))
    assert len(intervals.edge) == len(pairs)  # these tracks cover each edge in one stretch
    assert 2 not in intervals.track and 6 not in intervals.track  # empty, far away
    assert np.all(intervals.t0 <= intervals.t1)


def test_no_tracks_and_bad_distance():
    empty = edge_intervals(SEGMENTS, [], 200.0)
    assert [r.covered_m for r in empty.coverage()] == [0.0, 0.0]
    with pytest.raises(ValueError):
        edge_intervals(SEGMENTS, tracks(), -1.0)
