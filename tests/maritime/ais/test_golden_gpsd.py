"""Every field of every message in gpsd's golden logs, against Bastion's decode: 100 %.

gpsd's ``sample.aivdm`` (97 messages, types 1-27, scaled and unscaled JSON) and its six-bit
text log (types 5, 19, 21, 24). ``gpsd_fields.py`` holds the translation (names, units, what
gpsd only renders, what Bastion does not decode); ``maritime/ais/conventions.py`` holds the
fixes these comparisons led to. A failure lists each disagreement by message and field.
"""

from __future__ import annotations

from collections import Counter

import pytest
from tests.maritime.ais import gpsd_fields as g
from tests.maritime.ais.conftest import DATA, decode_file

from bastion.maritime.ais.pipeline import Pipeline

# gpsd emits a type 24 only when it holds part A and part B of the same MMSI (its comments in
# sample.aivdm: "24B ... without 24A", "Discarding previous sentence 24A"); Bastion emits each
# part as it comes and the picture merges them. These parts have no gpsd record.
UNPAIRED = [(24, 271041815, 1), (24, 271041511, 0), (24, 271020195, 1)]
# Application messages (type 6/8 DAC/FID) whose fields Bastion keeps as ``data`` (pyais has
# no layout for them): gpsd decodes these fields, Bastion does not.
NOT_DECODED = {
    (6, 235, 10): {"off_pos", "alarm", "stat_ext", "ana_int", "ana_ext1", "ana_ext2", "racon",
                   "light"},
    (6, 1, 12): {"lastport", "departure", "nextport", "eta", "dangerous", "imdcat", "unid",
                 "amount", "unit"},
    (6, 1, 14): {"month", "day", "tidals"}, (6, 1, 32): {"month", "day", "tidals"},
    (6, 1, 30): {"linkage", "text"},
}


def _pair(ours: list[dict], records: list[dict]) -> tuple[list[tuple[dict, dict]], list]:
    """gpsd's records with Bastion's messages, both in file order; a type 24 record takes the
    part B and the latest part A of its MMSI before it. Returns pairs and Bastion's leftovers."""
    pairs, used, i = [], set(), 0
    for record in records:
        key = (record["type"], record["mmsi"])
        while i < len(ours) and not ((ours[i]["type"], ours[i]["mmsi"]) == key and (
                key[0] != 24 or ours[i]["partno"] == 1)):
            i += 1
        assert i < len(ours), f"gpsd decoded a message Bastion did not: {record}"
        message = ours[i]
        used.add(i)
        if key[0] == 24:
            part_a = max(j for j in range(i) if j not in used and ours[j]["type"] == 24
                         and ours[j]["mmsi"] == key[1] and ours[j]["partno"] == 0)
            used.add(part_a)
            message = ours[part_a] | message
        pairs.append((message, record))
        i += 1
    left = [(m["type"], m["mmsi"], m.get("partno")) for j, m in enumerate(ours) if j not in used]
    return pairs, left


def compare(pairs: list[tuple[dict, dict, dict | None]]) -> tuple[Counter, list[str]]:
    """(count of gpsd fields by class, disagreements) over (ours, unscaled, scaled) triples."""
    counts, wrong = Counter(), []
    for ours, raw, scaled in pairs:
        kind = ours["type"]
        app = (kind, raw.get("dac"), raw.get("fid"))
        for field in raw:
            if field in g.IGNORED:
                continue
            what = g.classify(kind, raw, ours, field)
            counts[what] += 1
            if what == "not_decoded" and field not in NOT_DECODED.get(app, ()):
                wrong.append(f"type {kind} mmsi {ours['mmsi']} {field}: gpsd {raw[field]!r}, "
                             "Bastion has no such field")
            if what != "compared":
                continue
            value = g.bastion_value(kind, raw, ours, field)
            verdicts = []
            if scaled is not None:
                verdicts.append(g.agrees(kind, scaled, field, value, True))
            if scaled is None or g.compared_in_raw(kind, field, scaled[field]):
                verdicts.append(g.agrees(kind, raw, field, value, False))
            if False in verdicts or not any(verdicts):
                wrong.append(f"type {kind} mmsi {ours['mmsi']} {field}: Bastion {value!r}, "
                             f"gpsd {raw[field]!r}" + (f" / {scaled[field]!r}" if scaled else ""))
    return counts, wrong


@pytest.fixture(scope="module")
def sample() -> list[tuple[dict, dict, dict]]:
    ours, _ = decode_file("sample.aivdm")
    raw, scaled = g.load_json(DATA / "sample.aivdm.ju.chk"), g.load_json(
        DATA / "sample.aivdm.js.chk")
    assert len(raw) == len(scaled) == 97
    pairs, left = _pair(ours, raw)
    assert left == UNPAIRED
    return [(m, r, s) for (m, r), s in zip(pairs, scaled, strict=True)]


@pytest.fixture(scope="module")
def sixbit() -> list[tuple[dict, dict, None]]:
    lines = (DATA / "gpsd-ais_unpack_sixbit.log.chk").read_bytes().splitlines()
    ours = list(Pipeline().run([line for line in lines if line.startswith(b"!")]))
    records = [g.load_json_line(line) for line in lines if line.startswith(b"{")]
    assert len(records) == 12
    pairs, left = _pair(ours, records)
    assert left == []
    return [(m, r, None) for m, r in pairs]


def test_every_field_of_sample_aivdm_agrees(sample):
    counts, wrong = compare(sample)
    assert not wrong, f"{len(wrong)} disagreements:\n" + "\n".join(wrong)
    assert counts["compared"] == 1363  # of 1446 gpsd fields: 50 renderings, 28 not decoded, 5 unset
    assert counts["not_decoded"] == sum(
        len(fields) * n for fields, n in ((NOT_DECODED[(6, 235, 10)], 1),
                                          (NOT_DECODED[(6, 1, 12)], 1),
                                          (NOT_DECODED[(6, 1, 14)], 1),
                                          (NOT_DECODED[(6, 1, 32)], 2),
                                          (NOT_DECODED[(6, 1, 30)], 1)))


def test_every_field_of_the_sixbit_log_agrees(sixbit):
    counts, wrong = compare(sixbit)
    assert not wrong, f"{len(wrong)} disagreements:\n" + "\n".join(wrong)
    assert counts["not_decoded"] == 0 and counts["compared"] >= 200


def test_the_disagreements_that_were_found_stay_fixed(sample, sixbit):
    """The fields gpsd's logs showed wrong, each by value (conventions.py says why)."""
    ours = {(m["type"], m["mmsi"], r.get("dac")): m for m, r, _ in sample + sixbit}
    assert ours[(5, 244538000, None)]["ship_type"] == 38  # reserved code, not 0
    assert ours[(4, 972158237, None)]["epfd"] == 14
    assert ours[(21, 4000003, None)]["name"] == "IBC G BUOY"  # not "IBC G BUOY@?????????"
    assert ours[(21, 993672009, None)]["name"] == "FORT PIERCE INLET LB 6"
    assert ours[(7, 655901842, None)]["mmsi3"] == 836359488  # 24 of 30 bits, left-aligned
    assert ours[(26, 84148325, None)].get("app_id") is None  # unstructured: no app id
    assert ours[(22, 3160048, None)]["ne_lat"] == pytest.approx(45.55)  # degrees


def test_compare_reports_a_disagreement(sample):
    """The comparison can fail: one wrong field is named with its message."""
    ours, raw, scaled = next(p for p in sample if p[0]["type"] == 5)
    _counts, wrong = compare([({**ours, "callsign": "@" + ours["callsign"]}, raw, scaled)])
    expected = (f"type 5 mmsi {ours['mmsi']} callsign: Bastion '@{raw['callsign']}', "
                f"gpsd '{raw['callsign']}' / '{scaled['callsign']}'")
    assert wrong == [expected]
