"""The tabular kit reads what people save (Excel's CSV in UTF-8, UTF-8 with BOM, GB18030,
UTF-16; xlsx) and refuses hostile files before parsing them."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from bastion.core.tabular import (
    Collector,
    Column,
    Problem,
    Problems,
    read_table,
    reader,
    records,
    template,
)
from tests import bombs

COLUMNS = [Column("code", "Code", "代码", True), Column("name", "Name", "名称", True),
           Column("kind", "Kind", "类型", False, ("Type",))]


def _read(data: bytes, **options) -> tuple[list, Collector]:
    out = Collector("f.csv")
    sheets = read_table(data, out, filename="f.csv", **options)
    return sheets, out


def _xlsx(rows: list[list[str]]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_csv_encodings_and_delimiters_are_detected():
    text = "代码;名称\nA1;边检站\n"
    for data in (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("gb18030"),
                 text.encode("utf-16")):
        sheets, out = _read(data)
        assert not out.problems
        assert sheets[0].rows == [(1, ["代码", "名称"]), (2, ["A1", "边检站"])]


def test_unreadable_and_old_files_are_problems_not_exceptions():
    _sheets, out = _read(b"\xff\xfe\x00garbage\x81\x30" * 3 + b"\x80")
    assert [p.code for p in out.problems] in (["BAD_ENCODING"], ["BAD_CSV"])
    _sheets, out = _read(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    assert [p.code for p in out.problems] == ["UNKNOWN_FORMAT"]
    _sheets, out = _read(b"", max_bytes=10)
    assert [p.code for p in out.problems] == ["EMPTY_FILE"]
    _sheets, out = _read(b"a,b\n" * 10, max_bytes=10)
    assert [p.code for p in out.problems] == ["FILE_TOO_LARGE"]
    _sheets, out = _read(b"PK\x03\x04 not really a zip")
    assert [p.code for p in out.problems] == ["BAD_XLSX"]


def test_too_many_rows_stop_the_read():
    _sheets, out = _read(b"a,b\n" * 50, max_rows=10)
    assert [p.code for p in out.problems] == ["TOO_MANY_ROWS"]
    _sheets, out = _read(_xlsx([["a", "b"]] * 50), max_rows=10)
    assert [p.code for p in out.problems] == ["TOO_LARGE_RANGE"]  # its declared range says so
    undeclared = _patch_sheet(_xlsx([["a", "b"]] * 50),
                              lambda xml: re.sub(rb"<dimension [^>]*>", b"", xml))
    _sheets, out = _read(undeclared, max_rows=10)
    assert [p.code for p in out.problems] == ["TOO_MANY_ROWS"]


def _patch_sheet(xlsx: bytes, change) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as patched:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                changed = change(data)
                assert changed != data
                data = changed
            patched.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_a_deflate_bomb_is_refused_before_parsing():
    data = _patch_sheet(_xlsx([["a"]]), lambda xml: xml.replace(
        b"</sheetData>", b" " * (40 * 1024 * 1024) + b"</sheetData>"))
    assert len(data) < 1024 * 1024
    _sheets, out = _read(data)
    assert [p.code for p in out.problems] == ["XLSX_BOMB"]


def test_an_absurd_declared_range_is_refused_before_parsing():
    data = _patch_sheet(_xlsx([["a", "b"], ["1", "2"]]), lambda xml: re.sub(
        rb"<dimension [^>]*>", b'<dimension ref="A1:XFD1048576"/>', xml))
    _sheets, out = _read(data)
    assert [p.code for p in out.problems] == ["TOO_LARGE_RANGE"]


def test_headings_match_in_either_language_and_problems_carry_their_place():
    data = ("说明：单位表\n代码,Name,类型（可选）,备注\nA1,一队,customs,x\n,,,\nA2,二队,,\n"
            .encode("gb18030"))
    out = Collector("units.csv")
    rows = records(read_table(data, out, filename="units.csv"), COLUMNS, out)
    assert [(r.row, r.cells) for r in rows] == [
        (3, {"code": "A1", "name": "一队", "kind": "customs"}),
        (5, {"code": "A2", "name": "二队", "kind": ""})]
    assert rows[0].headings == {"code": "代码", "name": "Name", "kind": "类型（可选）"}
    assert out.problems == [Problem("units.csv", None, 2, "备注", "UNKNOWN_COLUMN",
                                    out.problems[0].message)]
    assert out.problems[0].located().startswith("units.csv, row 2, column 备注: UNKNOWN_COLUMN")


def test_missing_and_repeated_headings():
    out = Collector("x.csv")
    records(read_table(b"Code,code\nA,B\n", out), COLUMNS, out)
    assert [(p.row, p.column, p.code) for p in out.problems] == [
        (1, "code", "DUPLICATE_COLUMN"), (1, "Name", "MISSING_COLUMN")]
    out = Collector("x.csv")
    records(read_table(b"what,ever\n1,2\n", out), COLUMNS, out)
    assert [p.code for p in out.problems] == ["NO_HEADING_ROW"]


def test_templates_in_both_languages_read_back():
    for format in ("xlsx", "csv"):
        data = template(COLUMNS, format=format)
        out = Collector(f"t.{format}")
        sheets = read_table(data, out)
        assert sheets[0].rows[0][1] == ["代码 Code", "名称 Name", "类型 Kind"]
        assert records(sheets, COLUMNS, out) == [] and not out.problems
    workbook = load_workbook(io.BytesIO(template(COLUMNS, format="xlsx", language="zh-CN")))
    assert [c.value for c in workbook.worksheets[0][1]] == ["代码", "名称", "类型"]
    assert workbook.worksheets[0]["A2"].number_format == "@"  # Excel keeps "0012" as typed


def test_problems_keep_the_web_contract():
    """web/app.py turns a 422 BastionError's ``errors`` (dataclasses) into JSON rows."""
    error = Problems([Problem("f.xlsx", "Sheet1", 3, "代码", "BAD_CODE", "…")])
    assert error.status_code == 422
    assert [dataclasses.asdict(e) for e in error.errors] == [
        {"file": "f.xlsx", "sheet": "Sheet1", "row": 3, "column": "代码", "code": "BAD_CODE",
         "message": "…", "severity": "error"}]


@pytest.mark.parametrize("name", sorted(bombs.BOMBS))
def test_each_bomb_is_refused_by_the_limit_it_breaks(name):
    """Far cell (declared or not), deflate bomb, many sheets, huge shared strings, a million
    tiny rows, one giant line, one line of millions of columns: one problem, naming the limit."""
    _build, filename, code = bombs.BOMBS[name]
    out = Collector(filename)
    assert read_table(bombs.build(name), out, filename=filename) == []
    assert [p.code for p in out.problems] == [code]


def test_a_sheet_part_over_its_limit_and_parts_where_the_relationships_put_them():
    # A sheet under a name of its own is still counted and sized as a sheet.
    xlsx = _xlsx([["a", "b"]])
    moved = bombs._repack(xlsx, lambda name, data: data.replace(
        b'Target="/xl/worksheets/sheet1.xml"', b'Target="/xl/elsewhere.xml"').replace(
        b'Target="worksheets/sheet1.xml"', b'Target="elsewhere.xml"'))
    with zipfile.ZipFile(io.BytesIO(moved)) as archive:
        sheet_parts, _shared = reader._workbook_parts(archive)
    assert "xl/elsewhere.xml" in sheet_parts
    big = (b"<worksheet>" + b"<!-- -->" * (reader.MAX_SHEET_BYTES // 8 + 1) + b"</worksheet>")
    out = Collector()
    assert not reader.check_xlsx(bombs._repack(xlsx, add={"xl/worksheets/sheet9.xml": big}), out)
    assert [p.code for p in out.problems] == ["SHEET_TOO_LARGE"]


def test_the_time_budget_stops_a_slow_read():
    _sheets, out = _read(b"a,b\n" * 5000, max_seconds=0)
    assert [p.code for p in out.problems] == ["TIME_LIMIT"]
    _sheets, out = _read(_xlsx([["a", "b"]] * 1500), max_seconds=0)
    assert [p.code for p in out.problems] == ["TIME_LIMIT"]


def test_the_cell_budget_stops_a_read_of_wide_rows():
    _sheets, out = _read(b",".join([b"x"] * 30) + b"\n" * 1 + (b",".join([b"x"] * 30) + b"\n") * 9,
                         max_rows=10)
    assert [p.code for p in out.problems] == ["TOO_MANY_CELLS"]
def test_cells_a_spreadsheet_would_run_are_neutralised():
    from bastion.core.tabular import append, csv_row, neutralise, put

    hostile = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    assert [neutralise(v) for v in hostile] == ["'" + v for v in hostile]
    assert csv_row(["plain", -5, 2.5, None, "a=b", "中文"]) == ["plain", -5, 2.5, None, "a=b",
                                                                "中文"]
    wb = Workbook()
    ws = wb.active
    append(ws, hostile)
    put(ws, 2, 1, "=1+1\x01")  # a control character xlsx cannot hold is dropped
    put(ws, 2, 2, -7)
    book = load_workbook(io.BytesIO(_saved(wb)))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert book.active["A2"].value == "'=1+1" and book.active["B2"].value == -7


def _saved(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# Writers that make files for a program, not for a person's spreadsheet: a row converted to
# CSV to be parsed at once by the importer, demo upload files, reference data builds, and a
# scoring tool that echoes its own input. Everything else writes through core.tabular.
NOT_FOR_PEOPLE = {"clearance/declarations/jsonrows.py", "screening/service.py",
                  "clearance/demo.py", "clearance/data/build_ports.py",
                  "clearance/data/build_unlocode.py", "screening/names/cli.py"}


def test_every_spreadsheet_writer_goes_through_the_neutraliser():
    from pathlib import Path

    import bastion

    root = Path(bastion.__file__).parent
    writers = re.compile(r"csv\.(writer|DictWriter)\(|Workbook\(\)")
    bare = []
    for path in root.rglob("*.py"):
        name = path.relative_to(root).as_posix()
        if name.startswith("core/tabular/") or name in NOT_FOR_PEOPLE:
            continue
        text = path.read_text(encoding="utf-8")
        if writers.search(text) and not re.search(r"\b(csv_row|append|put)\(", text):
            bare.append(name)
        if re.search(r"\bws\.append\(\[[^\]]", text) or "help_ws.append(" in text:
            bare.append(f"{name}: ws.append")
    assert not bare, bare
