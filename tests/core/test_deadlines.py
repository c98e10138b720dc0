"""The deadlines kit: missed deadlines, the escalation ladder, each level announced once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bastion.core.deadlines import Deadline, Ladder, levels_at, missed, rises

T0 = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
LADDER = Ladder((timedelta(0), timedelta(minutes=15)))


def test_only_passed_and_undone_deadlines_are_missed_earliest_first():
    deadlines = [Deadline("landing", T0 + timedelta(minutes=60), False),
                 Deadline("acknowledge", T0 + timedelta(minutes=10), False),
                 Deadline("report", T0, True), Deadline("none", None, False)]
    assert missed(deadlines, T0 + timedelta(minutes=5)) == []
    assert missed(deadlines, T0 + timedelta(minutes=61)) == [
        ("acknowledge", T0 + timedelta(minutes=10)), ("landing", T0 + timedelta(minutes=60))]


def test_each_deadline_climbs_the_ladder_on_its_own_clock():
    deadlines = [Deadline("acknowledge", T0 + timedelta(minutes=10), False),
                 Deadline("landing", T0 + timedelta(minutes=60), False)]
    assert levels_at(deadlines, T0 + timedelta(minutes=20), LADDER) == {"acknowledge": 1}
    assert levels_at(deadlines, T0 + timedelta(minutes=26), LADDER) == {"acknowledge": 2}
    assert levels_at(deadlines, T0 + timedelta(minutes=61), LADDER) == {
        "acknowledge": 2, "landing": 1}


def test_a_level_is_announced_once():
    assert rises({"acknowledge": 1}, {}) == {"acknowledge": 1}
    assert rises({"acknowledge": 1}, {"acknowledge": 1}) == {}
    assert rises({"acknowledge": 2, "landing": 1}, {"acknowledge": 1}) == {
        "acknowledge": 2, "landing": 1}
