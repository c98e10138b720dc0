"""Whatever arrives on a feed, the pipeline returns a dict or None and counts the rest."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.maritime.ais.nmea import checksum
from bastion.maritime.ais.pipeline import Pipeline

ARMOUR = "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw"


def _sentence(payload: str, fill: int, count: int, number: int, seq: str) -> bytes:
    body = f"AIVDM,{count},{number},{seq},A,{payload},{fill}"
    return f"!{body}*{checksum(body.encode()):02X}".encode()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=120), max_size=20))
def test_random_bytes_never_raise(lines):
    pipeline = Pipeline()
    for message in pipeline.run(lines):
        assert isinstance(message, dict)
    assert pipeline.stats.lines == len(lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(ARMOUR, max_size=90), st.integers(0, 7), st.integers(0, 9),
                          st.integers(0, 9), st.sampled_from(["", "1", "9"])), max_size=12))
def test_valid_sentences_with_random_payloads_never_raise(parts):
    pipeline = Pipeline()
    lines = [_sentence(*part) for part in parts]
    decoded = list(pipeline.run(lines))
    assert all(isinstance(m["type"], int) and isinstance(m["mmsi"], int) for m in decoded)
    assert pipeline.stats.messages == len(decoded)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_text_lines_never_raise(text):
    pipeline = Pipeline()
    assert pipeline.feed(text) is None or pipeline.stats.messages == 1
