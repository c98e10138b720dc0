"""Out-of-range times (issue #10): a millisecond epoch is read as milliseconds, anything else
that is not a time between 1970 and 2100 is counted as ``bad_time``; nothing raises."""

from __future__ import annotations

from typer.testing import CliRunner

from bastion.maritime.ais.cli import app
from bastion.maritime.ais.nmea import parse_line, plausible_time
from bastion.maritime.ais.pipeline import Pipeline

# The line: a real class A report with a 13-digit (millisecond) receiver suffix.
MS_SUFFIX = b"!AIVDM,1,1,,A,13AC<v?01K0r414OoKvnrUW:08Ev,0*68,1000000000000"
SENTENCE = MS_SUFFIX[:MS_SUFFIX.index(b"*") + 3]


def _tag(block: bytes) -> bytes:
    from bastion.maritime.ais.nmea import checksum

    return b"\\" + block + b"*%02X\\" % checksum(block) + SENTENCE


def test_millisecond_suffix_is_read_as_milliseconds():
    message = Pipeline().feed(MS_SUFFIX)
    assert message["mmsi"] == 219467000 and message["time"] == "2001-09-09T01:46:40Z"
    assert Pipeline().feed(_tag(b"c:1418172113000"))["time"] == "2014-12-10T00:41:53Z"


def test_plausible_time():
    assert plausible_time(1418172113) == 1418172113
    assert plausible_time(1418172113123) == 1418172113.123
    for value in (-1.0, 1e20, 5e10, float("nan"), float("inf")):  # 5e10 s is the year 3554
        assert plausible_time(value) is None


def test_impossible_times_are_counted_not_raised():
    pipeline = Pipeline()
    lines = [SENTENCE + b",99999999999999999999", SENTENCE + b",50000000000",
             _tag(b"c:99999999999999999999"), _tag(b"c:nan"), _tag(b"c:-5"), _tag(b"c:1e400"),
             SENTENCE + b",1418172113", MS_SUFFIX]
    decoded = list(pipeline.run(lines))
    assert len(decoded) == 2
    assert pipeline.stats.skipped["bad_time"] == 6
    assert parse_line(SENTENCE + b",123456789e9999") == "bad_time"


def test_decode_command_goes_on_after_a_bad_time(tmp_path):
    path = tmp_path / "feed.nmea"
    path.write_bytes(b"\n".join([SENTENCE + b",99999999999999999999", MS_SUFFIX,
                                 SENTENCE + b",1418172113"]) + b"\n")
    result = CliRunner().invoke(app, ["decode", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 2
    summary = result.stderr if result.stderr_bytes is not None else result.output
    assert "skipped bad_time: 1" in summary
