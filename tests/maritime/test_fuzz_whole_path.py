"""The whole AIS path under mutated real lines (#10): decode -> pipeline -> picture with storage
on the test database. Nothing raises; whatever is not taken is counted by reason."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bastion.maritime.ais.nmea import checksum
from bastion.maritime.ais.pipeline import Pipeline
from bastion.maritime.feeds import build_engine
from bastion.maritime.picture import Picture

DATA = Path(__file__).resolve().parents[1] / "data" / "ais"
REAL = [line for name in ("sample.aivdm", "libais-test.aivdm", "libais-tagblock.nmea")
        for line in (DATA / name).read_bytes().splitlines() if line]


def _resum(line: bytes) -> bytes:
    """The line with its sentence checksum made right again, so the mutation reaches the
    decoder instead of stopping at the checksum."""
    start = max(line.rfind(b"!"), line.rfind(b"$"))
    star = line.find(b"*", start)
    if start < 0 or star < 0:
        return line
    return line[:star + 1] + b"%02X" % checksum(line[start + 1:star]) + line[star + 3:]


@st.composite
def mutated(draw) -> bytes:
    line = draw(st.sampled_from(REAL))
    kind = draw(st.sampled_from(["flip", "cut", "insert", "suffix", "tag", "payload", "as is"]))
    if kind == "flip" and line:
        at = draw(st.integers(0, len(line) - 1))
        line = line[:at] + bytes([draw(st.integers(0, 255))]) + line[at + 1:]
    elif kind == "cut":
        line = line[:draw(st.integers(0, len(line)))]
    elif kind == "insert":
        at = draw(st.integers(0, len(line)))
        line = line[:at] + draw(st.binary(max_size=12)) + line[at:]
    elif kind == "suffix":  # receiver times: seconds, milliseconds, nonsense
        digits = draw(st.one_of(st.integers(0, 10**25), st.sampled_from(
            [1000000000000, 1418172113, 99999999999, 10**11 + 1])))
        line = line + b"," + str(digits).encode()
    elif kind == "tag":
        value = draw(st.one_of(st.integers(-10**20, 10**20).map(str), st.floats().map(str),
                               st.text("0123456789.e-", max_size=25)))
        block = b"c:" + value.encode()
        line = b"\\" + block + b"*%02X\\" % checksum(block) + line.split(b"\\")[-1]
    elif kind == "payload":
        fields = line.split(b",")
        if len(fields) > 6:
            fields[5] = draw(st.text("0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw",
                                     max_size=90)).encode()
            fields[6] = b"%d*00" % draw(st.integers(0, 5))
            line = b",".join(fields[:7])
    return _resum(line) if draw(st.booleans()) else line


@hypothesis_settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(mutated(), min_size=1, max_size=40))
def test_mutated_real_lines_never_stop_the_picture(session_factory, settings, world, session,
                                                   lines):
    session.commit()  # the world is visible to the picture's own sessions
    picture = Picture(sessions=session_factory, settings=settings,
                      engine=build_engine(None, settings), batch=10)
    pipeline = Pipeline()
    taken = decoded = 0
    for message in pipeline.run(lines):
        decoded += 1
        taken += picture.ingest(message)
    picture.finish()
    stats = pipeline.stats
    assert stats.lines == len(lines)
    assert decoded == stats.messages
    assert taken + sum(picture.skipped.values()) == decoded
    # Every line is a message, a skip by reason, or a fragment of a multi-part message.
    assert stats.messages + sum(stats.skipped.values()) <= stats.lines
