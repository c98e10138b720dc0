"""Track cleaning on real-looking tracks: a foot patrol along the China-Vietnam line (Natural
Earth 1:10m, tests/data/border) walked by ``tests.border.synth.beside``, then spoiled the
ways phones and hand-held units spoil tracks."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from bastion.border.patrols import cleaning
from bastion.core.geo import fast_m
from tests.border import synth

LINE = json.loads((Path(__file__).parents[2] / "data" / "border" / "cn-vn-border.geojson")
                  .read_text(encoding="utf-8"))["features"][0]["geometry"]["coordinates"]
T0 = 1_796_000_000.0  # 2026-11-30


def walk(*, start_m=20_000.0, end_m=23_000.0, offset_m=40.0, speed=1.2, every_s=10.0,
         accuracy=8.0, seed=1):
    """A patrol on foot ``offset_m`` inside the line at ``speed`` m/s, a fix every ``every_s``."""
    track = synth.beside(LINE, start_m, end_m, offset_m, step=speed * every_s, jitter_m=3.0,
                         seed=seed)
    return [[T0 + k * every_s, float(lon), float(lat), accuracy]
            for k, (lon, lat) in enumerate(track)]


def moved(point, metres_north):
    return [point[0], point[1], point[2] + metres_north / 111_195.0, *point[3:]]


def reasons(removed):
    return {index: reason for index, reason in removed}


def test_a_clean_walk_keeps_every_fix():
    points = walk()
    assert len(points) > 200
    assert cleaning.clean(points, transport="foot") == []
    length = cleaning.length_m(points)
    assert 2_900 < length < 3_300  # 3 km of line, a little wobble


def test_a_spike_a_vehicle_could_reach_is_an_outlier():
    here = walk()[0]  # parked at a checkpoint, a fix every 5 s
    points = [[T0 + 5 * k, *here[1:]] for k in range(60)]
    points[30] = moved(points[30], 100)  # multipath: 100 m off for one fix (20 m/s)
    assert reasons(cleaning.clean(points, transport="vehicle")) == {30: "outlier"}


def test_a_spike_no_walker_could_reach_is_reported_as_speed():
    points = walk()
    points[100] = moved(points[100], 400)  # 400 m in 10 s
    assert reasons(cleaning.clean(points, transport="foot")) == {100: "speed"}
    # and so in a vehicle between fixes 5 s apart (80 m/s)
    drive = walk(speed=12.0, every_s=5.0, start_m=10_000, end_m=30_000)
    drive[50] = moved(drive[50], 400)
    assert reasons(cleaning.clean(drive, transport="vehicle")) == {50: "speed"}


def test_distance_counts_the_kept_fixes_only():
    points = walk()
    clean_length = cleaning.length_m(points)
    points[100] = moved(points[100], 400)
    removed = cleaning.clean(points, transport="foot")
    assert cleaning.length_m(cleaning.kept(points, removed)) == pytest.approx(clean_length,
                                                                              rel=0.01)
    assert cleaning.length_m(points) > clean_length + 700  # what the spike would have added


def test_a_small_wobble_is_not_a_spike():
    points = walk()
    points[60] = moved(points[60], 15)  # within hand-held GPS wander
    assert cleaning.clean(points, transport="foot") == []


def test_poor_stated_accuracy():
    points = walk()
    points[10][3] = 350.0  # a cell-tower fix
    points[11][3] = 99.0
    assert reasons(cleaning.clean(points, transport="foot")) == {10: "accuracy"}
    assert reasons(cleaning.clean(points, transport="foot", max_accuracy_m=50)) == {
        10: "accuracy", 11: "accuracy"}


def test_time_running_backwards_and_repeated():
    points = walk()
    points[30][0] = points[29][0]  # logged twice in the same second
    points[40][0] = points[38][0] - 5  # the clock jumped back
    assert reasons(cleaning.clean(points, transport="foot")) == {30: "time", 40: "time"}


def test_a_drive_is_impossible_on_foot_but_not_in_a_vehicle():
    points = walk(speed=15.0, every_s=5.0, start_m=10_000, end_m=14_000)  # 54 km/h
    # on foot only the first fix stays: the fixes after it do not agree with each other at
    # a walking pace either, so they never outvote it
    assert reasons(cleaning.clean(points, transport="foot")) == {
        k: "speed" for k in range(1, len(points))}
    assert cleaning.clean(points, transport="vehicle") == []
    assert cleaning.clean(points, transport="foot", max_speed_mps=25.0) == []


def test_a_bad_first_fix_is_outvoted_by_the_fixes_after_it():
    points = walk()
    points[0] = moved(points[0], 2_000)  # the first fix came from the cell network
    # the fixes after it were refused one by one until four in a row outvoted it: then
    # they are kept and the first fix is the one dropped
    assert reasons(cleaning.clean(points, transport="foot")) == {0: "outlier"}


def test_a_jump_from_the_previous_chunk_is_judged_like_any_other():
    points = walk()
    previous = moved(points[0], -1_000)
    previous[0] = points[0][0] - 10
    # the previous chunk's fix cannot be dropped here, and this chunk's fixes outvote it:
    # nothing is dropped (a judged jump is only dropped when the fixes after it disagree)
    assert cleaning.clean(points, transport="foot", start_from=previous) == []
    # but a single wild first fix after a good previous chunk is dropped
    points[0] = moved(points[0], 1_500)
    good = [T0 - 10, *walk()[0][1:]]
    assert reasons(cleaning.clean(points, transport="foot", start_from=good)) == {0: "speed"}


def test_a_jump_out_and_back_several_fixes_long_is_dropped_for_speed():
    points = walk()
    for k in (70, 71):  # two fixes 800 m off (a reflection that lasted 20 s)
        points[k] = moved(points[k], 800)
    assert reasons(cleaning.clean(points, transport="foot")) == {70: "speed", 71: "speed"}


def test_every_removed_point_has_a_known_reason_and_indices_are_in_order():
    points = walk(seed=7)
    points[5][3] = 500.0
    points[20] = moved(points[20], 600)
    points[33][0] = points[32][0]
    for k in (120, 121):
        points[k] = moved(points[k], -900)
    removed = cleaning.clean(points, transport="foot")
    assert [i for i, _r in removed] == sorted(i for i, _r in removed)
    assert {r for _i, r in removed} <= set(cleaning.REASONS)
    assert reasons(removed) == {5: "accuracy", 20: "speed", 33: "time", 120: "speed",
                                121: "speed"}
    kept = cleaning.kept(points, removed)
    for a, b in itertools.pairwise(kept):
        assert b[0] > a[0]
        step = fast_m(a[2], a[1], b[2], b[1])
        assert step <= cleaning.JITTER_M or step / (b[0] - a[0]) <= cleaning.MAX_SPEED_MPS["foot"]


def test_a_walk_up_a_spur_and_back_logged_sparsely_is_kept():
    """A hand-held unit logging every two minutes: from a junction up an 80 m side trail and
    back is one fix far off that both neighbours contradict, but at walking pace."""
    def spur(every_s):
        junction = walk()[0]
        return [[T0, *junction[1:3], 8.0],
                [T0 + every_s, *moved(junction, 80)[1:3], 8.0],
                [T0 + 2 * every_s, *junction[1:3], 8.0]]

    assert cleaning.clean(spur(120.0), transport="foot") == []
    # the same shape in 10 s steps is no walk
    assert reasons(cleaning.clean(spur(10.0), transport="foot")) == {1: "speed"}
    # and at a pace a walker could just keep up, standing still, a spike
    assert reasons(cleaning.clean(spur(30.0), transport="foot")) == {1: "outlier"}
