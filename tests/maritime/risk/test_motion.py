"""gap, teleport and mmsi_conflict on real tracks, with and without an injected anomaly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.maritime.risk.tracks import at, kinds, replay, suez

from bastion.maritime.risk import RiskEngine

REGULAR = 636_000_132  # 552 fixes over 4.5 days, never silent more than 30 min
OTHER = 636_000_189


def _when(message: dict) -> datetime:
    return datetime.fromisoformat(message["time"])


def _without_hours(fixes: list[dict], start_index: int, hours: float) -> list[dict]:
    start = _when(fixes[start_index])
    return [m for m in fixes if not start < _when(m) < start + timedelta(hours=hours)]


def test_regular_track_has_no_gap_and_no_jump():
    events = replay(RiskEngine(), suez()[REGULAR])
    assert kinds(events) == {}


def test_silence_of_eight_hours_opens_and_closes_a_gap():
    fixes = _without_hours(suez()[REGULAR], 200, 8)
    events = replay(RiskEngine(), fixes)
    gaps = [e for e in events if e.alert.kind == "gap"]
    assert [e.action for e in gaps] == ["opened", "closed"]
    opened, closed = gaps
    assert opened.alert.end is None and opened.alert.start == _when(fixes[200])
    assert closed.alert.end == _when(fixes[201])
    assert opened.alert.thresholds["gap_hours"] == 6.0
    context = opened.alert.context
    assert context["positions_per_hour_before"] > 2  # ~12 min fixes before the silence
    assert context["shore_distance_km"] is not None
    assert context["likely"] in {"coverage_hole", "going_dark", "unknown"}


def test_gap_is_raised_by_tick_while_still_open_and_only_once():
    fixes = suez()[REGULAR][:200]
    engine = RiskEngine()
    replay(engine, fixes, finish=False)
    last = _when(fixes[-1])
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
    events = replay(engine, kept, finish=False)
    gap = next(e.alert for e in events if e.alert.kind == "gap")
    middle = next(m for m in fixes if _when(m) > gap.start + timedelta(hours=4))
    events = engine.observe(middle)  # arrives late, after the vessel reappeared
    assert [(e.action, e.alert.kind) for e in events] == [("retracted", "gap")]
    assert "late fix" in events[0].reason and events[0].alert.id == gap.id
    factors = {f.name for f in engine.risk(REGULAR, engine.now).factors}
    assert "alert:gap" not in factors  # a retracted alert weighs nothing


def test_gap_opened_by_tick_is_retracted_when_the_missing_fix_arrives_late():
    fixes = suez()[REGULAR][:200]
    engine = RiskEngine()
    replay(engine, fixes, finish=False)
    last = _when(fixes[-1])
    engine.tick(last + timedelta(hours=7))
    late = at(fixes[-1], time=(last + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    events = engine.observe(late)
    assert [e.action for e in events] == ["retracted"]
    assert "only 2.0 h" in events[0].reason


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
    shared = [at(m, mmsi=REGULAR) for m in window]
    events = replay(RiskEngine(), shared)
    opened = kinds(events)
    assert opened.get("mmsi_conflict") == 1 and opened.get("teleport") == 1
    retracted = [e for e in events if e.action == "retracted"]
    assert [e.alert.kind for e in retracted] == ["teleport"]
    assert "second transmitter" in retracted[0].reason


def test_real_shared_mmsi_in_marinecadastre():
    from tests.maritime.risk.tracks import marinecadastre

    events = replay(RiskEngine(), marinecadastre())
    conflicts = {e.alert.mmsi for e in events if e.alert.kind == "mmsi_conflict"}
    assert conflicts == {211002010, 367654150}
    quiet = {e.alert.mmsi for e in events if e.action == "opened" and e.alert.kind != "gap"}
    assert 316040626 not in quiet and 367047090 not in quiet


def test_ids_are_deterministic_across_replays():
    fixes = _without_hours(suez()[REGULAR], 200, 8)
    first = [e.alert.id for e in replay(RiskEngine(), fixes)]
    second = [e.alert.id for e in replay(RiskEngine(), fixes)]
    assert first == second and first
    assert datetime.fromisoformat(fixes[0]["time"]).tzinfo == UTC
