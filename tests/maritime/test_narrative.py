"""An alert as sentences an officer reads (issue 15, "evidence an officer reads"): what, where,
when, which thresholds and which positions, in the reader's language and zone."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from bastion.core import context
from bastion.maritime import labels, narrative

assert labels

START = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)
END = datetime(2026, 12, 6, 6, 30, tzinfo=UTC)
ENCOUNTER = SimpleNamespace(
    kind="encounter", mmsi=412000001, other_mmsi=412000002, start=START, end=END,
    lat=21.25, lon=111.5, thresholds={"encounter_distance_m": 500, "encounter_hours": 2.0,
                                      "encounter_max_median_knots": 2.0,
                                      "encounter_min_port_distance_m": 10000,
                                      "encounter_merge_hours": 4.0},
    context={"median_knots": 0.4, "hours": 4.5},
    evidence=[{"time": "2026-12-06T02:00:00+00:00", "lat": 21.25, "lon": 111.5, "speed": 0.3,
               "other": {"time": "2026-12-06T02:01:00+00:00", "lat": 21.251, "lon": 111.5}},
              {"time": "2026-12-06T06:30:00+00:00", "lat": 21.26, "lon": 111.51, "speed": 0.2}])


def _as(language: str, zone: str, alert) -> list[str]:
    token = context.set_current(context.RequestContext(language=language, timezone=zone))
    try:
        return narrative.narrate(alert)
    finally:
        context.reset(token)


def test_an_encounter_reads_what_where_when_and_why_in_english():
    what, why, evidence = _as("en", "Asia/Shanghai", ENCOUNTER)
    assert what == ("Vessels 412000001 and 412000002 stayed within 500 m of each other from "
                    "2026-12-06 10:00 to 2026-12-06 14:30 (4.5 h) near 21.2500° N, 111.5000° E, "
                    "at a median speed of 0.4 kn.")
    assert "at least 2 h within 500 m" in why and "10 km" in why and "Global Fishing" in why
    assert evidence.startswith("Evidence: 2 position report(s) from 2026-12-06 10:00 to "
                               "2026-12-06 14:30")


def test_the_same_encounter_in_chinese_with_hanoi_times():
    sentences = _as("zh-CN", "Asia/Ho_Chi_Minh", ENCOUNTER)
    text = "".join(sentences)
    assert "北纬 21.2500°" in text and "东经 111.5000°" in text
    assert "2026-12-06 09:00" in text and "2026-12-06 13:30" in text  # UTC+7
    assert "412000002" in text and "500 米" in text and "4.5 小时" in text
    assert not any(word in text for word in ("Vessel", "within", "Evidence", "None"))


def test_a_west_and_south_position_and_an_unknown_kind():
    odd = SimpleNamespace(kind="future_kind", mmsi=1, other_mmsi=None, start=START, end=None,
                          lat=-33.5, lon=-70.25, thresholds={}, context={}, evidence=[])
    (only,) = _as("en", "UTC", odd)
    assert "33.5000° S, 70.2500° W" in only and "2026-12-06 02:00" in only


def test_every_kind_leaves_no_placeholder_when_facts_are_missing():
    for kind in narrative._STORIES:
        bare = SimpleNamespace(kind=kind, mmsi=2, other_mmsi=3, start=START, end=END, lat=1.0,
                               lon=2.0, thresholds={}, context={}, evidence=[])
        text = " ".join(_as("en", "UTC", bare))
        assert "{" not in text and "None" not in text, (kind, text)


def test_a_dark_rendezvous_says_both_went_quiet_while_others_were_heard():
    dark = SimpleNamespace(
        kind="dark_rendezvous", mmsi=412000001, other_mmsi=412000002, start=START, end=None,
        lat=21.25, lon=111.5, thresholds={"encounter_distance_m": 500},
        context={"alongside_hours": 2.0, "median_knots": 0.3, "distance_m": 120,
                 "silent_apart_minutes": 4.0, "silent_hours": 1.5, "others_heard_nearby": 6},
        evidence=[])
    what, why = _as("zh-CN", "Asia/Shanghai", dark)
    assert "412000002" in what and "120 米" in what and "2026-12-06 10:00" in what
    assert "6 艘" in why and "4 分钟" in why
