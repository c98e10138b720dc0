"""Arbitrary input never raises: the engine is fed by network sources."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.maritime.risk import RiskEngine

ENGINE = RiskEngine()
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
                    st.binary(max_size=4))
keys = st.sampled_from(["type", "mmsi", "time", "lat", "lon", "speed", "course", "heading",
                        "status", "shipname", "callsign", "imo", "ship_type", "destination"])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(keys, scalars), st.one_of(st.none(), st.floats(), st.integers()))
def test_arbitrary_dicts_never_raise(message, t):
    assert isinstance(ENGINE.observe(message, t), list)


position = st.fixed_dictionaries({
    "type": st.sampled_from([1, 3, 5, 18, 19, 24, 27]),
    "mmsi": st.integers(1, 999_999_999),
    "time": st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)).map(
        lambda d: d.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
    "lat": st.floats(-90, 90), "lon": st.floats(-180, 180),
    "speed": st.one_of(st.none(), st.floats(0, 102.3)), "status": st.integers(0, 15),
    "shipname": st.one_of(st.none(), st.text(max_size=20)), "imo": st.integers(0, 2**30),
    "ship_type": st.integers(0, 99)})


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(position, max_size=40), st.integers(1, 5))
def test_plausible_message_sequences_never_raise(messages, mmsis):
    engine = RiskEngine()
    for message in messages:
        message["mmsi"] = 412_000_000 + message["mmsi"] % mmsis  # a few vessels meet often
        for event in engine.observe(message):
            assert event.action in {"opened", "updated", "closed", "retracted"}
            event.alert.to_dict()
    engine.tick(2_000_000_000.0)
    engine.finish()
    assert engine.stats["bad_message"] == 0
