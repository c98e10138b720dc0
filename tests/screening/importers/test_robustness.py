"""Property tests: no file content makes the reader raise, and the result is all-or-nothing."""

from __future__ import annotations

import csv
import io
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.screening.importers import headings, parse_watchlist

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def contract(result):
    assert result.ok == (not result.errors)
    if result.errors:
        assert result.entries == [] and result.deleted == []
    for error in result.errors:
        assert error.row >= 1 and error.code.isupper() and error.message
    return result


@FAST
@given(text=st.text(), name=st.sampled_from(["a.csv", "a.jsonl", "a.json", "a", "a.xlsx"]))
def test_arbitrary_text_never_raises(text, name):
    contract(parse_watchlist(text.encode("utf-8"), filename=name))


@FAST
@given(data=st.binary(max_size=2000), fmt=st.sampled_from([None, "csv", "ftm", "xlsx"]))
def test_arbitrary_bytes_never_raise(data, fmt):
    contract(parse_watchlist(data, filename="upload", format=fmt))


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@FAST
@given(rows=st.lists(st.lists(cell, min_size=1, max_size=20), max_size=6),
       encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_template_shaped_csv_with_arbitrary_cells_never_raises(rows, encoding):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([headings("en"), *rows])
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return
    contract(parse_watchlist(data, filename="a.csv"))


@FAST
@given(lines=st.lists(st.one_of(
    st.fixed_dictionaries({"id": cell, "schema": st.sampled_from(["Person", "Vessel", "X"]),
                           "properties": st.dictionaries(
                               st.sampled_from(["name", "birthDate", "imoNumber", "mmsi",
                                                "nationality", "flag", "gender", "holder"]),
                               st.lists(cell, max_size=3))}),
    st.recursive(st.none() | st.integers() | cell, lambda c: st.lists(c) | st.dictionaries(
        cell, c), max_leaves=5)), max_size=6))
def test_json_lines_with_arbitrary_values_never_raise(lines):
    import json

    data = "\n".join(json.dumps(line) for line in lines).encode()
    contract(parse_watchlist(data, filename="a.jsonl"))


names = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Lo")), min_size=1,
                max_size=20)


@FAST
@given(people=st.lists(names, min_size=1, max_size=5, unique=True))
def test_names_in_any_script_survive_gb18030_or_utf8(people):
    rows = [[f"P-{i}", "person", name] for i, name in enumerate(people)]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([headings("zh-CN")[:3], *rows])
    for encoding in ("utf-8-sig", "gb18030"):
        result = contract(parse_watchlist(buffer.getvalue().encode(encoding), filename="a.csv"))
        # stored NFC-normalised (canonically equivalent: CJK compatibility ideographs unify)
        expected = [" ".join(unicodedata.normalize("NFC", n).split()) for n in people]
        assert [p.names[0] for p in result.persons] == expected
