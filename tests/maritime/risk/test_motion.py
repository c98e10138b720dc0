"""gap, teleport and mmsi_conflict on real tracks, with and without an injected anomaly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.maritime.risk.tracks import at, bitter_lakes, kinds, replay, suez

from bastion.core.geo import fast_m
from bastion.maritime.risk import RiskEngine

REGULAR = 636_000_132  # 552 fixes over 4.5 days, never silent more than 30 min
OTHER = 636_000_189


def _when(message: dict) -> datetime:
    return datetime.fromisoformat(message["time"])


def _without_hours(fixes: list[dict], start_index: int, hours: float) -> list[dict]:
    start = _when(fixes[start_index])
    return [m for m in fixes if not start < _when(m) < start + timedelta(hours=hours)]


def _others(until: datetime | None = None) -> list[dict]:
    """The other real tracks of the sample (anchored around REGULAR in Suez Bay), up to a time."""
    return [m for mmsi, fixes in suez().items() if mmsi != REGULAR for m in fixes
            if until is None or _when(m) <= until]


def _gaps(events: list, mmsi: int = REGULAR) -> list:
    return [e for e in events if e.alert.kind == "gap" and e.alert.mmsi == mmsi]


def test_regular_track_has_no_gap_and_no_jump():
    events = replay(RiskEngine(), suez()[REGULAR])
    assert kinds(events) == {}


def test_going_dark_where_the_others_are_still_heard_opens_and_closes_a_gap():
    fixes = _without_hours(suez()[REGULAR], 200, 8)
    events = replay(RiskEngine(), fixes + _others())
    gaps = _gaps(events)
    assert [e.action for e in gaps] == ["opened", "closed"]
    opened, closed = gaps
    assert opened.alert.end is None and opened.alert.start == _when(fixes[200])
    assert closed.alert.end == _when(fixes[201])
    assert opened.alert.severity == "high"
    assert opened.alert.thresholds["gap_hours"] == 6.0
    assert opened.alert.thresholds["gap_min_prior_positions"] == 14
    context = opened.alert.context
    assert context["likely"] == "going_dark"
    assert context["positions_per_hour_before"] > 2  # ~12 min fixes before the silence
    assert context["positions_before"] >= 14
    # The vessels anchored around it were heard before and all kept being heard.
    assert context["neighbours_before"] >= 2
    assert context["neighbours_heard_again"] == context["neighbours_before"]
    assert context["others_heard_nearby"] >= 2
    assert context["shore_distance_km"] is not None


def test_the_same_silence_with_nobody_else_heard_is_a_coverage_hole_not_an_alert():
    fixes = _without_hours(suez()[REGULAR], 200, 8)
    engine = RiskEngine()
    events = replay(engine, fixes)
    assert _gaps(events) == []
    [silence] = engine.silences[REGULAR]
    assert silence["likely"] == "coverage_hole" and silence["others_heard_nearby"] == 0
    assert silence["start_t"] == _when(fixes[200]).timestamp()
    assert silence["end_t"] == _when(fixes[201]).timestamp()  # closed when it reappeared
    assert engine.stats["gap_coverage_hole"] == 1


def test_a_real_coverage_drop_raises_no_gap():
    """22 March 2021, Great Bitter Lake: fourteen vessels fall silent together while others
    around them are still recorded. Each had been reporting regularly; none went dark."""
    engine = RiskEngine()
    events = replay(engine, [m for fixes in bitter_lakes().values() for m in fixes])
    assert [e for e in events if e.alert.kind == "gap"] == []
    silences = [r for kept in engine.silences.values() for r in kept]
    assert len(silences) >= 10
    assert {r["likely"] for r in silences} == {"coverage_drop"}
    for r in silences:
        assert r["positions_before"] >= 14 and r["others_heard_nearby"] > 0
        assert r["neighbours_heard_again"] < 0.8 * r["neighbours_before"]


def test_silence_at_anchor_inside_an_anchorage_is_a_port_gap():
    from tests.maritime.risk.test_places import SUEZ_PORTS

    fixes = _without_hours(suez()[REGULAR], 200, 8)
    engine = RiskEngine(zones=SUEZ_PORTS)  # REGULAR lies in the Suez Bay anchorage
    assert _gaps(replay(engine, fixes + _others())) == []
    assert [r["likely"] for r in engine.silences[REGULAR]] == ["in_port"]


def test_a_vessel_sailing_out_of_reception_left_coverage():
    # 636000164 leaves the recording southbound out of Suez Bay at ~9 kn on 21 March and is
    # never recorded again: the water ahead of it is where nobody is ever heard.
    engine = RiskEngine()
    events = replay(engine, [m for fixes in suez().values() for m in fixes])
    assert _gaps(events, 636_000_164) == []
    [silence] = engine.silences[636_000_164]
    assert silence["likely"] == "left_coverage" and silence["knots"] > 3


def test_not_reporting_regularly_before_is_not_judged():
    sparse = suez()[REGULAR][:200:10]  # one fix in ten: ~2 h apart, below 14 in 12 h
    engine = RiskEngine()
    replay(engine, sparse + _others(_when(sparse[-1]) + timedelta(hours=7)), finish=False)
    engine.tick(_when(sparse[-1]) + timedelta(hours=7))
    assert engine.book.get("gap", REGULAR) is None and REGULAR not in engine.silences


def test_gap_is_raised_by_tick_while_still_open_and_only_once():
    fixes = suez()[REGULAR][:200]
    last = _when(fixes[-1])
    engine = RiskEngine()
    replay(engine, fixes + _others(last + timedelta(hours=5, minutes=59)), finish=False)
    assert engine.tick(last + timedelta(hours=5)) == []
    events = engine.tick(last + timedelta(hours=6, minutes=1))
    assert [(e.action, e.alert.kind) for e in events] == [("opened", "gap")]
    assert events[0].alert.end is None and events[0].alert.start == last
    assert engine.tick(last + timedelta(hours=9)) == []  # deduplicated: still the same gap
    assert engine.book.get("gap", REGULAR).status == "open"


def test_late_fix_inside_the_gap_retracts_it():
    fixes = suez()[REGULAR]
    kept = _without_hours(fixes, 200, 8)
    engine = RiskEngine()
    events = replay(engine, kept + _others(), finish=False)
    gap = next(e.alert for e in _gaps(events))
    middle = next(m for m in fixes if _when(m) > gap.start + timedelta(hours=4))
    events = engine.observe(middle)  # arrives late, after the vessel reappeared
    assert [(e.action, e.alert.kind) for e in events] == [("retracted", "gap")]
    assert "late fix" in events[0].reason and events[0].alert.id == gap.id
    factors = {f.name for f in engine.risk(REGULAR, engine.now).factors}
    assert "alert:gap" not in factors  # a retracted alert weighs nothing


def test_gap_opened_by_tick_is_retracted_when_the_missing_fix_arrives_late():
    fixes = suez()[REGULAR][:200]
    last = _when(fixes[-1])
    engine = RiskEngine()
    replay(engine, fixes + _others(last + timedelta(hours=6, minutes=59)), finish=False)
    engine.tick(last + timedelta(hours=7))
    assert engine.book.get("gap", REGULAR) is not None
    late = at(fixes[-1], time=(last + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    events = engine.observe(late)
    assert [e.action for e in events] == ["retracted"]
    assert "only 2.0 h" in events[0].reason


def test_positions_are_counted_per_clock_hour_over_the_last_twelve():
    from bastion.maritime.risk.vessel import Vessel

    v = Vessel(412_000_001)
    start = 1_700_000_000.0 - 1_700_000_000.0 % 3600  # on the hour
    for minute in range(0, 14 * 60, 30):  # every 30 min for 14 h: 28 positions
        t = start + minute * 60
        if t < v.hour_end:
            v.hour_n += 1
        else:
            v.new_hour(t)
    assert v.positions_before() == 24  # the last 12 clock hours, 2 an hour
    v.new_hour(start + 30 * 3600)  # 16 h later: everything before has aged out
    assert v.positions_before() == 1


def test_jump_raises_a_teleport():
    fixes = suez()[REGULAR]
    jumped = list(fixes)
    # From Suez Bay to the Gulf of Suez, 50 km in 12 minutes (stays at sea: no on_land).
    jumped[300] = at(fixes[300], lat=29.50, lon=32.70)
    events = replay(RiskEngine(), jumped)
    assert kinds(events) == {"teleport": 1}
    alert = next(e.alert for e in events if e.action == "opened")
    assert alert.context["max_jump_m"] > 45_000
    assert alert.thresholds["teleport_max_knots"] == 50.0
    assert alert.evidence[0]["time"] == fixes[299]["time"]


def test_two_transmitters_on_one_mmsi_become_a_conflict_and_retract_the_teleport():
    tracks = suez()
    start = _when(tracks[REGULAR][100])
    window = [m for m in tracks[REGULAR] + tracks[OTHER]
              if start <= _when(m) <= start + timedelta(hours=6)]
    # The vessel has a track before the second transmitter starts: its first jump is a teleport.
    before = [m for m in tracks[REGULAR] if start - timedelta(hours=1) <= _when(m) < start]
    shared = [at(m, mmsi=REGULAR) for m in before + window]
    events = replay(RiskEngine(), shared)
    opened = kinds(events)
    assert opened.get("mmsi_conflict") == 1 and opened.get("teleport") == 1
    retracted = [e for e in events if e.action == "retracted"]
    assert [e.alert.kind for e in retracted] == ["teleport"]
    assert "second transmitter" in retracted[0].reason


def test_conflict_evidence_pairs_each_fix_with_the_other_track():
    """Each evidence item is a fix of one track beside the latest fix of the other: never the
    same fix twice (the first item once showed the fix itself as the "other" track)."""
    tracks = suez()
    start = _when(tracks[REGULAR][100])
    window = [m for m in tracks[REGULAR] + tracks[OTHER]
              if start <= _when(m) <= start + timedelta(hours=6)]
    events = replay(RiskEngine(), [at(m, mmsi=REGULAR) for m in window])
    conflict = next(e.alert for e in events if e.alert.kind == "mmsi_conflict")
    assert conflict.evidence
    for item in conflict.evidence:
        other = item["other_track"]
        assert (item["lat"], item["lon"]) != (other["lat"], other["lon"])
        assert fast_m(item["lat"], item["lon"], other["lat"], other["lon"]) > 1000


def test_real_shared_mmsi_in_marinecadastre():
    from tests.maritime.risk.tracks import marinecadastre

    events = replay(RiskEngine(), marinecadastre())
    conflicts = {e.alert.mmsi for e in events if e.alert.kind == "mmsi_conflict"}
    assert conflicts == {211002010, 367654150}
    quiet = {e.alert.mmsi for e in events if e.action == "opened" and e.alert.kind != "gap"}
    assert 316040626 not in quiet and 367047090 not in quiet


def test_ids_are_deterministic_across_replays():
    fixes = _without_hours(suez()[REGULAR], 200, 8) + _others()
    first = [e.alert.id for e in replay(RiskEngine(), fixes)]
    second = [e.alert.id for e in replay(RiskEngine(), fixes)]
    assert first == second and first
    assert datetime.fromisoformat(fixes[0]["time"]).tzinfo == UTC
