"""CSV and xlsx imports: template headings in English and Chinese, encodings, row errors."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from bastion.screening.importers import (
    Document,
    PersonEntry,
    VesselEntry,
    headings,
    read_watchlist,
    template,
)

EN = headings("en")
ZH = headings("zh-CN")
TEMPLATES = Path(__file__).resolve().parents[3] / "src/bastion/screening/importers/templates"


def row(**cells):
    """A row in template order from keyword cells named like COLUMNS keys."""
    keys = ["source_id", "type", "name", "aliases", "birth_date", "gender", "nationality",
            "document_type", "document_number", "issuing_state", "imo", "mmsi", "callsign",
            "flag", "reason", "valid_from", "valid_until"]
    return [cells.get(k, "") for k in keys]


PERSON = row(source_id="P-1", type="person", name="王芳", aliases="Wang Fang；ONG Hong",
             birth_date="1980-02", gender="女", nationality="CHN; vn",
             document_type="passport", document_number="E98765432", issuing_state="CN",
             reason="走私案件", valid_from="2024-01-01", valid_until="2026-12-31")
VESSEL = row(source_id="V-1", type="vessel", name="海星88", aliases="HAI XING 88",
             imo="IMO 9876543", mmsi="412345678", callsign="bxyz", flag="PAN")


def write_csv(tmp_path, rows, header=EN, encoding="utf-8-sig", delimiter=",", name="list.csv"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
    path = tmp_path / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def check_good(result):
    assert result.ok, result.errors
    person, vessel = result.entries
    assert person == PersonEntry(
        source_id="P-1", names=["王芳"], aliases=["Wang Fang", "ONG Hong"], birth_date="1980-02",
        gender="female", nationalities=["CHN", "VNM"],
        documents=[Document("E98765432", "passport", "CHN")], reason="走私案件",
        valid_from=date(2024, 1, 1), valid_until=date(2026, 12, 31))
    assert vessel == VesselEntry(source_id="V-1", name="海星88", aliases=["HAI XING 88"],
                                 imo=9876543, mmsi=412345678, callsign="BXYZ", flag="PAN")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030", "utf-16"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    check_good(read_watchlist(write_csv(tmp_path, [PERSON, VESSEL], encoding=encoding)))


def test_gb18030_bytes_really_differ_from_utf8(tmp_path):
    path = write_csv(tmp_path, [PERSON], header=ZH, encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    assert read_watchlist(path).persons[0].names == ["王芳"]


def test_chinese_headings_and_semicolon_delimiter(tmp_path):
    check_good(read_watchlist(write_csv(tmp_path, [PERSON, VESSEL], header=ZH, delimiter=";")))


def test_loosely_typed_headings_match(tmp_path):
    header = ["source_id", "TYPE", "name", "Aliases", "DOB", *EN[5:]]
    check_good(read_watchlist(write_csv(tmp_path, [PERSON, VESSEL], header=header)))


def test_empty_rows_skipped_and_rows_numbered_as_in_a_spreadsheet(tmp_path):
    blank = [""] * len(EN)
    bad = row(source_id="P-2", type="person", name="x", birth_date="03/04/1975")
    result = read_watchlist(write_csv(tmp_path, [blank, PERSON, [], bad]))
    [error] = result.errors
    assert (error.row, error.column, error.code, error.sheet) == (5, "Date of birth",
                                                                   "BAD_DATE", None)
    assert result.entries == []


@pytest.mark.parametrize(("cells", "code", "column"), [
    ({"name": ""}, "MISSING_NAME", "Name"),
    ({"source_id": ""}, "MISSING_SOURCE_ID", "Source ID"),
    ({"type": "company"}, "BAD_TYPE", "Type (person|vessel)"),
    ({"birth_date": "1975-02-30"}, "BAD_DATE", "Date of birth"),
    ({"birth_date": "2999"}, "BAD_DATE", "Date of birth"),
    ({"valid_from": "2024"}, "BAD_DATE", "Valid from"),
    ({"nationality": "CHN; XYZ"}, "BAD_COUNTRY", "Nationality (ISO alpha-3, ; separated)"),
    ({"issuing_state": "China"}, "BAD_COUNTRY", "Issuing state"),
    ({"gender": "unknown"}, "BAD_GENDER", "Gender"),
    ({"document_type": "licence"}, "BAD_DOCUMENT_TYPE", "Document type"),
    ({"document_number": ""}, "MISSING_DOCUMENT_NUMBER", "Document number"),
    ({"valid_until": "2023-12-31"}, "BAD_VALIDITY", "Valid until"),
    ({"imo": "9876543"}, "NOT_APPLICABLE", "IMO"),
])
def test_person_row_errors(tmp_path, cells, code, column):
    bad = list(PERSON)
    for key, value in cells.items():
        bad[list(row(**{key: "§"})).index("§")] = value
    result = read_watchlist(write_csv(tmp_path, [VESSEL, bad]))
    assert [(e.code, e.row, e.column, e.file) for e in result.errors] == [
        (code, 3, column, "list.csv")]
    assert result.entries == []


@pytest.mark.parametrize(("cells", "code", "column"), [
    ({"imo": "9876542"}, "BAD_IMO_CHECK_DIGIT", "IMO"),
    ({"imo": "12345"}, "BAD_IMO", "IMO"),
    ({"mmsi": "4123456789"}, "BAD_MMSI", "MMSI"),
    ({"mmsi": "41234567A"}, "BAD_MMSI", "MMSI"),
    ({"callsign": "B-X?"}, "BAD_CALLSIGN", "Call sign"),
    ({"flag": "XX"}, "BAD_COUNTRY", "Flag"),
    ({"birth_date": "1975"}, "NOT_APPLICABLE", "Date of birth"),
])
def test_vessel_row_errors(tmp_path, cells, code, column):
    bad = list(VESSEL)
    for key, value in cells.items():
        bad[list(row(**{key: "§"})).index("§")] = value
    result = read_watchlist(write_csv(tmp_path, [PERSON, bad]))
    assert [(e.code, e.row, e.column) for e in result.errors] == [(code, 3, column)]


def test_every_bad_cell_of_a_row_is_reported(tmp_path):
    bad = row(source_id="P-9", type="person", name="", birth_date="1975-00", gender="?")
    codes = {(e.code, e.column) for e in read_watchlist(write_csv(tmp_path, [bad])).errors}
    assert codes == {("MISSING_NAME", "Name"), ("BAD_DATE", "Date of birth"),
                     ("BAD_GENDER", "Gender")}


def test_duplicate_source_id(tmp_path):
    result = read_watchlist(write_csv(tmp_path, [PERSON, VESSEL, PERSON]))
    [error] = result.errors
    assert (error.code, error.row, error.column) == ("DUPLICATE_SOURCE_ID", 4, "Source ID")
    assert "row 2" in error.message


def test_heading_errors(tmp_path):
    header = [h for h in EN if h != "Name"] + ["Remarks"]
    result = read_watchlist(write_csv(tmp_path, [], header=header))
    assert {(e.code, e.row, e.column) for e in result.errors} == {
        ("UNKNOWN_COLUMN", 1, "Remarks"), ("MISSING_COLUMN", 1, "Name")}


def test_value_without_heading_is_an_error(tmp_path):
    result = read_watchlist(write_csv(tmp_path, [PERSON + ["stray"]]))
    assert [(e.code, e.row) for e in result.errors] == [("UNKNOWN_COLUMN", 2)]


def test_xlsx_round_trip_with_typed_cells_and_an_instructions_sheet(tmp_path):
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["本表为边境管控名单"])
    ws = wb.create_sheet("名单")
    ws.append([])  # data may start below an empty first row
    ws.append(ZH)
    typed_person = list(PERSON)
    typed_person[15] = datetime(2024, 1, 1)  # Excel date cells come back as datetimes
    typed_person[16] = date(2026, 12, 31)
    typed_vessel = list(VESSEL)
    typed_vessel[10], typed_vessel[11] = 9876543, 412345678.0  # numbers typed into cells
    ws.append(typed_person)
    ws.append(typed_vessel)
    bad = list(VESSEL)
    bad[0], bad[11] = "V-2", 12345
    ws.append(bad)
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    result = read_watchlist(path)
    [error] = result.errors
    assert (error.file, error.sheet, error.row, error.column, error.code) == (
        "名单.xlsx", "名单", 5, "MMSI", "BAD_MMSI")
    ws.delete_rows(5)
    wb.save(path)
    result = read_watchlist(path)
    check_good(result)
    assert result.skipped == {"sheet without template headings: 说明": 1}


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_downloaded_templates_read_back(tmp_path, language):
    path = tmp_path / "t.xlsx"
    path.write_bytes(template("xlsx", language))
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == headings(language)
    assert wb.worksheets[1].title in ("Instructions", "填写说明")
    assert [e.code for e in read_watchlist(path).errors] == ["NO_ENTRIES"]  # headings only
    ws.append(PERSON)
    ws.append(VESSEL)
    wb.save(path)
    check_good(read_watchlist(path))
    csv_path = tmp_path / "t.csv"
    csv_path.write_bytes(template("csv", language) + "\r\n".join(
        ",".join(cells) for cells in ([PERSON[:3] + [""] * 14])).encode())
    assert read_watchlist(csv_path).persons[0].names == ["王芳"]


def test_committed_templates_match_the_function():
    assert (TEMPLATES / "watchlist-template.csv").read_bytes() == template("csv", "en")
    assert (TEMPLATES / "watchlist-template.zh-CN.csv").read_bytes() == template("csv", "zh-CN")
    assert template("csv").startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8


def test_xls_and_missing_files(tmp_path):
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert read_watchlist(old).errors[0].code == "UNKNOWN_FORMAT"
    assert read_watchlist(tmp_path / "absent.csv").errors[0].code == "UNREADABLE_FILE"


def test_damaged_workbooks_are_errors(tmp_path):
    whole = template("xlsx")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    assert [e.code for e in read_watchlist(cut).errors] == ["BAD_XLSX"]
    import zipfile

    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert [e.code for e in read_watchlist(other).errors] == ["BAD_XLSX"]
