"""Multi-part messages: in order, out of order, by tag-block group, lost and expired parts."""

from __future__ import annotations

from bastion.maritime.ais.pipeline import Pipeline

# A type 5 in two sentences, from gpsd's sample.aivdm (EVER DIADEM).
PART1 = (b"!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C")
PART2 = b"!AIVDM,2,2,1,A,88888888880,2*25"
OTHER = b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"


def _tag(line: bytes, tags: str) -> bytes:
    from bastion.maritime.ais.nmea import checksum

    return f"\\{tags}*{checksum(tags.encode()):02X}\\".encode() + line


def _reseq(line: bytes, seq_id: bytes) -> bytes:
    """The same sentence with another sequence id and a checksum to match."""
    from bastion.maritime.ais.nmea import checksum

    body = line[1:line.index(b"*")].replace(b",1,A,", b"," + seq_id + b",A,")
    return b"!" + body + f"*{checksum(body):02X}".encode()


def test_in_order_with_traffic_between():
    pipeline = Pipeline()
    out = list(pipeline.run([PART1, OTHER, PART2]))
    assert [m["type"] for m in out] == [1, 5]
    assert out[1]["shipname"] == "EVER DIADEM" and out[1]["destination"] == "NEW YORK"


def test_out_of_order():
    pipeline = Pipeline()
    out = list(pipeline.run([PART2, PART1]))
    assert [m["shipname"] for m in out] == ["EVER DIADEM"]
    assert pipeline.reassembler.pending == {}


def test_lost_fragment_counted_when_sequence_id_is_reused():
    pipeline = Pipeline()
    out = list(pipeline.run([PART1, PART1, PART2]))
    assert len(out) == 1
    assert pipeline.stats.skipped == {"incomplete_multipart": 1}


def test_end_of_stream_counts_the_incomplete():
    pipeline = Pipeline()
    assert list(pipeline.run([PART1])) == []
    assert pipeline.stats.skipped == {"incomplete_multipart": 1}


def test_stale_fragment_expires_by_data_time():
    pipeline = Pipeline(timeout=60)
    first = _tag(PART1, "c:1000000000")
    late = _tag(PART2, "c:1000000100")  # 100 s later: past the 60 s timeout
    assert list(pipeline.run([first, late])) == []
    assert pipeline.stats.skipped["expired_fragment"] == 1
    # a fresh pair after that still decodes, with the first sentence's time
    fresh = list(Pipeline().run([_tag(PART1, "c:1000000200"), _tag(PART2, "c:1000000201")]))
    assert fresh[0]["time"] == "2001-09-09T01:50:00Z"


def test_stale_fragment_expires_by_line_count_without_time():
    pipeline = Pipeline(max_lines=100)
    for _ in pipeline.run([PART1] + [OTHER] * 300):
        pass
    assert pipeline.stats.skipped == {"expired_fragment": 1}


def test_tag_block_group_reassembles_across_channels_and_ids():
    pipeline = Pipeline()
    # group 1604 of 2: the NMEA sequence ids differ, the tag-block group ties them
    one = _tag(_reseq(PART1, b"7"), "g:1-2-1604,s:r1,c:1418169601")
    two = _tag(_reseq(PART2, b"3"), "g:2-2-1604,s:r1,c:1418169601")
    assert [m["mmsi"] for m in pipeline.run([two, one])] == [351759000]
