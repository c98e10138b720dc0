"""The engine's hot-path shortcuts give the answers of the plain computations they replace."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.maritime.risk import DetectorSettings, RiskEngine
from bastion.maritime.risk.places import is_night
from bastion.maritime.zones import fast_m


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 4e9), st.floats(-180, 180), st.one_of(st.none(), st.floats(-12, 14)))
def test_night_by_arithmetic_is_night_by_the_clock(t, lon, offset):
    engine = RiskEngine(settings=DetectorSettings(night_utc_offset_hours=offset), land=False)
    moment = datetime.fromtimestamp(t, UTC)
    if moment.microsecond and (moment.second == 59 or moment.second == 0):
        return  # datetime rounds to the microsecond: a minute boundary may differ by 1 us
    s = engine.settings
    hour = (moment.hour + moment.minute / 60 + (offset if offset is not None else lon / 15)) % 24
    night = hour >= s.night_start_hour or hour < s.night_end_hour
    assert is_night(engine, t, lon) is night


def _two_fixes(metres_north: float, seconds: float, speed: float | None = 5.0,
               track: int = 3) -> list:
    """``track`` fixes lying still, then one ``metres_north`` of them ``seconds`` later."""
    engine = RiskEngine(land=False)
    t0 = 1_700_000_000.0
    first = {"type": 1, "mmsi": 412_000_001, "lat": 21.5, "lon": 112.0, "speed": speed}
    events = []
    for i in range(track):
        events += engine.observe(first, t0 - 60.0 * (track - 1 - i))
    second = dict(first, lat=21.5 + metres_north / 111_195.0)
    return events + engine.observe(second, t0 + seconds)


def test_jumps_either_side_of_the_threshold_and_speed_from_the_distance():
    # 1100 m in 10 s (213 kn) is a jump; 900 m is under teleport_min_distance_m (GPS noise).
    assert [e.alert.kind for e in _two_fixes(1100, 10)] == ["teleport"]
    assert _two_fixes(900, 10) == []
    # Between a vessel's first fixes there is no track to jump from: the next fixes decide.
    assert _two_fixes(1100, 10, track=2) == []
    # Without a reported speed the distance is worked out anyway (the speed comes from it).
    engine = RiskEngine(land=False)
    t0 = 1_700_000_000.0
    engine.observe({"type": 1, "mmsi": 412_000_002, "lat": 21.5, "lon": 112.0}, t0)
    engine.observe({"type": 1, "mmsi": 412_000_002, "lat": 21.501, "lon": 112.0}, t0 + 60)
    vessel = engine.vessels[412_000_002]
    expected = fast_m(21.5, 112.0, 21.501, 112.0) / 60 / (1852 / 3600)
    assert abs(vessel.speed - expected) < 1e-9


def test_the_ring_keeps_the_last_eight_fixes_in_order():
    engine = RiskEngine(land=False)
    t0 = 1_700_000_000.0
    for i in range(20):
        engine.observe({"type": 1, "mmsi": 412_000_003, "lat": 21.5 + i * 1e-4, "lon": 112.0,
                        "speed": 1.0}, t0 + 10 * i)
    recent = engine.vessels[412_000_003].recent
    assert [f[0] for f in recent] == [t0 + 10 * i for i in range(12, 20)]


def test_breadcrumbs_feed_the_reception_grid_every_twenty_minutes():
    engine = RiskEngine(land=False)
    t0 = 1_700_000_000.0
    for minute in range(0, 61, 5):
        engine.observe({"type": 1, "mmsi": 412_000_004, "lat": 21.55, "lon": 112.05,
                        "speed": 0.0}, t0 + minute * 60)
    vessel = engine.vessels[412_000_004]
    assert [c[0] for c in vessel.crumbs] == [t0, t0 + 1200, t0 + 2400, t0 + 3600]
    assert engine.rx[(215, 1120)][412_000_004] == (t0, t0 + 3600)
    assert engine.rx_seen[(215, 1120)] == t0 + 3600
