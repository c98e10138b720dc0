"""The <=100-byte short-message form: round trips, size, and garbled input refused."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.border.patrols import messages
from bastion.border.patrols.messages import decode, encode
from bastion.core import context
from bastion.core.errors import Invalid


@pytest.fixture(autouse=True)
def english():
    """The refusals are checked for their English words (the zh-CN ones are in the catalogue)."""
    token = context.set_current(context.RequestContext(language="en"))
    yield
    context.reset(token)


PATROL = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b"
AT = datetime(2026, 12, 7, 3, 15, 42, tzinfo=UTC)

codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/-",
                min_size=1, max_size=32)
times = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2088, 12, 1),
                     timezones=st.just(UTC)).map(lambda t: t.replace(microsecond=0))
lats = st.floats(min_value=-90, max_value=90, allow_nan=False)
lons = st.floats(min_value=-180, max_value=180, allow_nan=False)
seqs = st.integers(min_value=0, max_value=messages.MAX_SEQ)
uuids = st.uuids().map(str)


def _check(message, *, kind, patrol, code, at, lat, lon, seq):
    assert message.kind == kind
    assert message.patrol_ref == patrol
    assert message.checkpoint_code == code
    assert message.at == at and message.at.tzinfo is not None
    assert message.seq == seq
    if lat is None:
        assert message.lat is None and message.lon is None
    else:  # 5 decimals: within 0.5e-5 degree (~0.6 m)
        assert abs(message.lat - lat) <= 5.01e-6 and abs(message.lon - lon) <= 5.01e-6


@settings(max_examples=400, deadline=None)
@given(uuids, codes, times, lats, lons, seqs)
def test_check_in_round_trips_within_100_bytes(patrol, code, at, lat, lon, seq):
    text = encode(kind="check_in", patrol_ref=patrol, checkpoint_code=code, at=at, lat=lat,
                  lon=lon, seq=seq)
    assert len(text.encode("ascii")) <= messages.MAX_BYTES
    message = decode(text)
    _check(message, kind="check_in", patrol=patrol, code=code, at=at, lat=lat, lon=lon, seq=seq)
    assert message.text() == text  # re-encoding the decoded message gives the same text
    assert decode(text).op_id == message.op_id


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), uuids), times, st.one_of(st.none(), st.tuples(lats, lons)), seqs,
       st.sampled_from(["sos", "position"]))
def test_sos_and_position_round_trip_within_100_bytes(patrol, at, fix, seq, kind):
    if kind == "position" and (patrol is None or fix is None):
        with pytest.raises(Invalid):
            encode(kind=kind, patrol_ref=patrol, at=at, lat=fix and fix[0],
                   lon=fix and fix[1], seq=seq)
        return
    lat, lon = fix if fix else (None, None)
    text = encode(kind=kind, patrol_ref=patrol, at=at, lat=lat, lon=lon, seq=seq)
    assert len(text.encode("ascii")) <= messages.MAX_BYTES
    _check(decode(text), kind=kind, patrol=patrol, code=None, at=at, lat=lat, lon=lon, seq=seq)


def test_the_longest_message_is_exactly_100_bytes():
    text = encode(kind="check_in", patrol_ref=str(uuid.UUID(int=2**128 - 1)),
                  checkpoint_code="X" * 32, at=messages.EPOCH + timedelta(seconds=messages.MAX_SECONDS),
                  lat=-89.12345, lon=-179.12345, seq=messages.MAX_SEQ)
    assert len(text) == 100


def _sample() -> str:
    return encode(kind="check_in", patrol_ref=PATROL, checkpoint_code="K-017", at=AT,
                  lat=22.01534, lon=106.75752, seq=55)


def test_a_known_message():
    text = _sample()
    assert text.startswith("BX1 C ")
    fields = text.split()
    assert fields[3] == "K-017" and fields[5:7] == ["22.01534", "106.75752"]
    assert fields[7] == "1J"  # 55 in base 36
    message = decode(text)
    assert message.patrol_ref == PATROL
    assert message.at == AT
    assert message.lat == 22.01534 and message.lon == 106.75752
    assert uuid.UUID(message.op_id).version == 5


def test_the_same_text_is_the_same_operation_and_another_number_is_another():
    one = decode(_sample())
    assert decode("  " + _sample().replace(" ", "   ") + "\r\n").op_id == one.op_id
    other = encode(kind="check_in", patrol_ref=PATROL, checkpoint_code="K-017", at=AT,
                   lat=22.01534, lon=106.75752, seq=56)
    assert decode(other).op_id != one.op_id


def test_every_single_character_change_and_neighbour_swap_is_refused():
    text = _sample()
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.-_/ "
    tried = 0
    for i, original in enumerate(text):
        for char in alphabet:
            if char == original:
                continue
            garbled = text[:i] + char + text[i + 1:]
            if " ".join(garbled.split()) == text:  # only white space moved: same message
                continue
            with pytest.raises(Invalid):
                decode(garbled)
            tried += 1
    for i in range(len(text) - 1):
        if text[i] == text[i + 1]:
            continue
        swapped = text[:i] + text[i + 1] + text[i] + text[i + 2:]
        if " ".join(swapped.split()) == text:
            continue
        with pytest.raises(Invalid):
            decode(swapped)
        tried += 1
    assert tried > 3000


def _fields(text: str) -> list[str]:
    return text.split()


def _resign(parts: list[str]) -> str:
    body = " ".join(parts[:-1])
    return f"{body} {messages.crc8(body.encode()):02X}"


@pytest.mark.parametrize(("mutate", "field", "words"), [
    (lambda t: t.replace("22.01534", "22.01535"), "text.check", "changed on the way"),
    (lambda t: t[:-3], "text", "fields"),  # truncated: the check is gone
    (lambda t: "BX2" + t[3:], "text.version", "BX1"),
    (lambda t: t.replace(" C ", " X ", 1), "text.kind", "C (check-in)"),
    (lambda t: t + " 00", "text", "fields"),
    (lambda t: t.replace("K-017", "K-01\u00b7"), "text", "ASCII"),
    (lambda t: "", "text", "empty"),
    (lambda t: t[:-2] + "ZZ", "text.check", "hexadecimal"),
    (lambda t: t + " " + "9" * 100, "text", "at most 100"),
    # made wrong, yet correctly signed: refused by the field's own rule
    (lambda t: _resign([*_fields(t)[:5], "95.00000", *_fields(t)[6:]]), "text.lat", "lat"),
    (lambda t: _resign([*_fields(t)[:6], "181", *_fields(t)[7:]]), "text.lon", "lon"),
    (lambda t: _resign([*_fields(t)[:6], "106.757521", *_fields(t)[7:]]), "text.lon", "5 decimals"),
    (lambda t: _resign([*_fields(t)[:4], "1234567", *_fields(t)[5:]]), "text.time", "base-36"),
    (lambda t: _resign([*_fields(t)[:2], "-", *_fields(t)[3:]]), "text.patrol", "patrol"),
    (lambda t: _resign([*_fields(t)[:2], "Z" * 25, *_fields(t)[3:]]), "text.patrol", "UUID"),
    (lambda t: _resign([*_fields(t)[:3], "K#17", *_fields(t)[4:]]), "text.checkpoint", "code"),
    (lambda t: _resign([*_fields(t)[:7], "10000", *_fields(t)[8:]]), "text.seq", "base-36"),
])
def test_garbled_or_wrong_messages_are_refused_saying_what_is_wrong(mutate, field, words):
    with pytest.raises(Invalid) as refused:
        decode(mutate(_sample()))
    assert refused.value.field == field
    assert words in refused.value.message
    assert refused.value.status_code == 422


def test_a_position_message_needs_a_fix():
    text = _resign(["BX1", "P", _fields(_sample())[2], "4QFXK0", "-", "-", "1", "00"])
    with pytest.raises(Invalid) as refused:
        decode(text)
    assert refused.value.field == "text.lat"


def test_an_sos_without_patrol_or_fix():
    text = encode(kind="sos", patrol_ref=None, at=AT, lat=None, lon=None, seq=0)
    assert text.split()[2] == "-" and text.split()[4:6] == ["-", "-"]
    message = decode(text)
    assert message.kind == "sos" and message.patrol_ref is None and message.lat is None


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"kind": "note"}, "kind"),
    ({"patrol_ref": "not-a-uuid"}, "patrol_ref"),
    ({"checkpoint_code": "K 17"}, "checkpoint_code"),
    ({"checkpoint_code": "X" * 33}, "checkpoint_code"),
    ({"checkpoint_code": "界碑17"}, "checkpoint_code"),
    ({"at": datetime(2019, 12, 31, tzinfo=UTC)}, "at"),
    ({"at": datetime(2026, 1, 1)}, "at"),
    ({"lat": 91.0}, "lat"),
    ({"lon": -181.0}, "lon"),
    ({"lat": None}, "lat"),
    ({"seq": -1}, "seq"),
    ({"seq": 36**4}, "seq"),
])
def test_encode_refuses_what_the_form_cannot_carry(kwargs, field):
    args = {"kind": "check_in", "patrol_ref": PATROL, "checkpoint_code": "K-017", "at": AT,
            "lat": 22.0, "lon": 106.7, "seq": 1} | kwargs
    with pytest.raises(Invalid) as refused:
        encode(**args)
    assert refused.value.field == field


def test_help_is_translated():
    lines = {}
    for language in ("en", "zh-CN"):
        token = context.set_current(context.RequestContext(language=language))
        try:
            lines[language] = messages.help_lines()
        finally:
            context.reset(token)
    assert len(lines["en"]) == len(lines["zh-CN"]) == len(messages.HELP)
    assert all(e != c for e, c in zip(lines["en"], lines["zh-CN"], strict=True))


def test_the_documented_example():
    message = decode("BX1 C 3QMT6WCFB8TOKQ2NV7WCXO3U3 K-017 3M9526 22.01534 106.75752 1J 81")
    assert message.patrol_ref == PATROL and message.at == AT and message.seq == 55
    assert message.checkpoint_code == "K-017"


def test_a_refusal_in_chinese():
    token = context.set_current(context.RequestContext(language="zh-CN"))
    try:
        with pytest.raises(Invalid) as refused:
            decode(_sample().replace("22.01534", "22.01535"))
    finally:
        context.reset(token)
    assert "校验码" in refused.value.message and refused.value.field == "text.check"


@settings(max_examples=500, deadline=None)
@given(st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from(["BX1", "C", "S", "P", "-", "K-017", "3M9526", "22.01534",
                              "106.75752", "1J", "81", "ZZZZZZZZZZZZZZZZZZZZZZZZZZ", "9" * 30,
                              "1e5", "nan", "-0", "00"]), max_size=10).map(" ".join)))
def test_any_text_decodes_or_is_refused_never_crashes(text):
    try:
        message = decode(text)
    except Invalid as refused:
        assert refused.field == "text" or refused.field.startswith("text.")
    else:
        assert message.text() == " ".join(text.split())
