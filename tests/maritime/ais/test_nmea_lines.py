"""Line formats: tag blocks, receiver suffixes, talkers, checksums, and the skip reasons."""

from __future__ import annotations

from tests.maritime.ais.conftest import DATA, decode_file

from bastion.maritime.ais.nmea import checksum, parse_line
from bastion.maritime.ais.pipeline import Pipeline, decode_lines

PLAIN = b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"


def test_checksum_matches_the_line():
    assert checksum(PLAIN[1:PLAIN.index(b"*")]) == 0x4A
    long_body = b"A" * 300  # longer than the integer fold handles: the fallback path
    assert checksum(long_body) == 0


def test_tag_block_time_and_station():
    frag = parse_line(b"\\s:rORBCOMM104,q:u,c:1418172113,T:2014-12-10 00.41.53*55\\"
                      b"!AIVDM,1,1,,B,13F?Vv700<DJuLEtvep`iToV0<00,0*78")
    assert frag.time == 1418172113 and frag.station == b"rORBCOMM104"
    assert parse_line(b"\\s:x,c:1418172113*00\\" + PLAIN) == "bad_tagblock"


def test_uscg_suffix_time_is_the_first_epoch():
    messages, pipeline = decode_file("libais-test.aivdm")
    first = messages[0]
    assert first["time"] == "2010-04-28T00:00:27Z"  # ",b003669794,1272412827"
    assert all(m["time"] is not None for m in messages)
    assert pipeline.stats.skipped["comment"] == 47


def _retalk(sentence: bytes, talker: bytes) -> bytes:
    """The same real payload under another talker, with its checksum recomputed."""
    body = talker + sentence[6:sentence.index(b"*")]
    return b"!" + body + b"*%02X" % checksum(body)


def test_double_epoch_suffix_and_other_talkers():
    # USCG NAIS style: ",<receive epoch>,<forward epoch>" after the checksum; base stations
    # and satellites use other talkers (ABVDM, BSVDM, SAVDM). Payloads from libais's test set.
    real = [line for line in (DATA / "libais-test.aivdm").read_bytes().splitlines()
            if line.startswith(b"!AIVDM,1,1")][:4]
    lines = [_retalk(line.split(b",b")[0], talker) + b",1541030311,1541030400"
             for line, talker in zip(real, (b"ABVDM", b"BSVDM", b"SAVDM", b"AIVDO"))]
    lines.append(b",1541030400")  # a bare trailer line, as NAIS feeds emit
    messages = list(decode_lines(lines))
    assert len(messages) == 4
    assert {m["time"] for m in messages} == {"2018-10-31T23:58:31Z"}  # the first epoch


def test_reasons_are_counted_and_the_stream_continues():
    pipeline = Pipeline()
    lines = [b"", b"# comment", b"garbage", PLAIN[:-1] + b"B", b"$GPGGA,1*00",
             b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ*4A",
             b"!AIVDM,1,1,,A,~~~,0*" + f"{checksum(b'AIVDM,1,1,,A,~~~,0'):02X}".encode(),
             PLAIN]
    lines[4] = b"$GPGGA,1*" + f"{checksum(b'GPGGA,1'):02X}".encode()
    messages = list(pipeline.run(lines))
    assert [m["mmsi"] for m in messages] == [371798000]
    # the line without its fill-bit field fails the checksum, which covers every field
    assert pipeline.stats.skipped == {"empty": 1, "comment": 1, "not_nmea": 1, "bad_checksum": 2,
                                      "not_ais": 1, "bad_payload": 1}


def test_empty_payloads_of_pyais_sample_are_skipped():
    messages, pipeline = decode_file("pyais-nmea_data_sample.txt")
    assert len(messages) > 700
    assert pipeline.stats.skipped["bad_payload"] >= 1


def test_mixed_talkers_file_skips_non_ais():
    messages, pipeline = decode_file("pyais-mixed.txt")
    assert messages and pipeline.stats.skipped["not_ais"] >= 2
