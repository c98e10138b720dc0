"""Our decode of gpsd's sample.aivdm against gpsd's own output, field by field.

gpsd writes two JSON files: scaled (degrees, knots) and unscaled (raw AIS integers). The raw
one is compared exactly; the scaled one within gpsd's printing precision. Documented peer
quirks: gpsd prints type 17 and 27 positions to 0.1 degree in scaled mode, so those get a
0.05 degree tolerance there (and are exact against the unscaled file).
"""

from __future__ import annotations

import json

import pytest
from tests.maritime.ais.conftest import DATA, decode_file

# Raw position units per degree: 1/10000 minute for most types, 1/10 minute for 17 and 27
# (ITU-R M.1371 tables for types 1, 17 and 27).
RAW_PER_DEGREE = {17: 600, 27: 600}
# Unscaled "not available" encodings gpsd keeps as numbers, which we report as None.
POSITION_TYPES = {1, 2, 3, 4, 9, 11, 17, 18, 19, 21, 27}  # binary payloads (6, 8) differ by DAC
NA_RAW = {"lat": {91 * 600000, 91 * 600}, "lon": {181 * 600000, 181 * 600},
          "heading": {511}, "speed": {1023}, "course": {3600}}


def _gpsd(suffix: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / f"sample.aivdm.{suffix}").open()]


def _pair(ours: list[dict], theirs: list[dict]) -> list[tuple[dict, dict]]:
    """Match each gpsd record to our next unused message of the same type and MMSI."""
    used: set[int] = set()
    pairs = []
    for record in theirs:
        for i, message in enumerate(ours):
            if i not in used and (message["type"], message["mmsi"]) == (record["type"],
                                                                          record["mmsi"]):
                used.add(i)
                pairs.append((message, record))
                break
        else:
            pytest.fail(f"gpsd decoded a message we did not: {record}")
    return pairs


@pytest.fixture(scope="module")
def ours() -> list[dict]:
    messages, _ = decode_file("sample.aivdm")
    return messages


def test_every_gpsd_message_is_decoded(ours):
    theirs = _gpsd("js.chk")
    assert len(theirs) == 97
    assert len(_pair(ours, theirs)) == 97


def test_unscaled_positions_speed_course_exact(ours):
    checked = 0
    for message, record in _pair(ours, _gpsd("ju.chk")):
        kind = message["type"]
        per_degree = RAW_PER_DEGREE.get(kind, 600000)
        for key in ("lat", "lon"):
            if kind in POSITION_TYPES:
                if message[key] is None:
                    assert record[key] in NA_RAW[key]
                else:
                    assert round(message[key] * per_degree) == record[key], (kind, key)
                checked += 1
        if kind in (1, 2, 3, 18, 19):
            for key, scale in (("speed", 10), ("course", 10)):
                expected = record[key]
                got = message[key]
                assert (expected in NA_RAW[key]) if got is None else round(got * scale) == expected
                checked += 1
        if kind == 9:  # SAR aircraft: whole knots, 1023 = not available (M.1371 table 49)
            assert message["speed"] == record["speed"]
            checked += 1
        if "heading" in record:
            got = message["heading"]
            assert record["heading"] == (511 if got is None else got)
        if "status" in record:
            assert message["status"] == record["status"]
    assert checked > 50


@pytest.mark.parametrize("field", ["shipname", "callsign", "destination", "imo", "draught",
                                   "to_bow", "to_stern", "to_port", "to_starboard"])
def test_scaled_static_fields(ours, field):
    compared = 0
    for message, record in _pair(ours, _gpsd("js.chk")):
        # static-data types; in truncated type 6 payloads pyais gives None where gpsd gives ""
        if message["type"] in (5, 19, 21, 24) and field in record and field in message:
            assert message[field] == record[field], (message["mmsi"], field)
            compared += 1
    assert compared >= 3


def test_scaled_ship_type_and_positions(ours):
    for message, record in _pair(ours, _gpsd("js.chk")):
        if "shiptype" in record and "ship_type" in message:
            assert message["ship_type"] == record["shiptype"]
        if message["type"] in POSITION_TYPES and message["lat"] is not None:
            # gpsd's documented 0.1-degree printing of types 17 and 27
            tolerance = 0.05 + 1e-9 if message["type"] in (17, 27) else 0.5e-6 + 1e-9
            assert message["lat"] == pytest.approx(record["lat"], abs=tolerance)
            assert message["lon"] == pytest.approx(record["lon"], abs=tolerance)
