"""``bastion residents check FILE --on DATE --json`` on the check workbook (planted violations
and clean traps) flags exactly the planted ones; the same rows as a folder and a zip of CSV
files give the same flags; a broken file gives errors by sheet, row and column and no flags."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from bastion.cli import app
from tests.residents.imports import workbook

runner = CliRunner()
SHIPPED = Path(__file__).resolve().parents[2] / "data" / "residents-check.xlsx"


def _check(path: Path, day: str = workbook.CHECK_DAY):
    result = runner.invoke(app, ["residents", "check", str(path), "--on", day, "--json"])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else None


def test_the_shipped_workbook_is_what_the_script_builds(tmp_path):
    built = workbook.build(tmp_path / "built.xlsx")
    for name, rows in workbook.SHEETS.items():
        for book in (SHIPPED, built):
            ws = load_workbook(book, read_only=True)[name]
            got = [tuple("" if v is None else str(v) for v in row) for row in ws.iter_rows(
                values_only=True)]
            assert got == [tuple(str(v) for v in row) for row in rows], (book, name)


def test_check_flags_exactly_the_planted_violations():
    code, out = _check(SHIPPED)
    assert code == 0 and out["errors"] == []
    assert {(f["person_id"], f["flag"]) for f in out["flags"]} == workbook.EXPECTED
    for flag in out["flags"]:
        assert set(flag) == {"person_id", "flag", "rule", "article", "why"}
        assert flag["rule"].startswith("RES-") and flag["article"] and flag["why"]
        assert all(set(w) == {"message", "params"} for w in flag["why"])
    by = {(f["person_id"], f["flag"]): f for f in out["flags"]}
    assert by[("P06", "overstay")]["article"] == "出境入境管理法 第七十八条"
    assert by[("P09", "no_lodging_registration")]["article"] == "出境入境管理法 第三十九条、第七十六条"
    assert by[("P11", "undesignated_crossing")]["why"][0]["params"]["place"] == "念井小道"


def test_the_day_matters_the_end_of_it_in_the_units_zone():
    code, out = _check(SHIPPED, "2026-11-20")  # P06's pass is valid through 20 November
    assert code == 0
    found = {(f["person_id"], f["flag"]) for f in out["flags"]}
    assert ("P06", "overstay") not in found and ("P06", "expired_document") not in found
    code, out = _check(SHIPPED, "2026-11-21")
    assert ("P06", "overstay") in {(f["person_id"], f["flag"]) for f in out["flags"]}


def test_a_folder_and_a_zip_of_csv_files_read_the_same(tmp_path):
    folder = workbook.write_csv(tmp_path / "sheets")
    code, out = _check(folder)
    assert code == 0, out
    assert {(f["person_id"], f["flag"]) for f in out["flags"]} == workbook.EXPECTED
    archive = tmp_path / "sheets.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for csv_file in folder.iterdir():
            z.write(csv_file, f"export/{csv_file.name}")
    code, out = _check(archive)
    assert code == 0 and {(f["person_id"], f["flag"]) for f in out["flags"]} == workbook.EXPECTED


def test_errors_by_sheet_row_and_column_and_no_flags(tmp_path):
    sheets = {k: list(v) for k, v in workbook.SHEETS.items()}
    sheets["crossings"].append(("P01", "2026-13-45 08:00", "in", "东兴", "T0001"))
    sheets["crossings"].append(("P01", "2026-11-21 08:00", "sideways", "东兴", "T0001"))
    sheets["lodgings"].append(("P99", "2026-11-21 08:00", ""))
    sheets["documents"].append(("P02", "laissez-passer", "X1", "", "2027-01-01", ""))
    sheets["crossings"].append(("P02", "2026-11-21 08:00", "in", "东兴", "NOPE"))
    bad = workbook.build(tmp_path / "bad.xlsx", sheets)
    code, out = _check(bad)
    assert code == 1 and out["flags"] == []
    got = {(e["sheet"], e["row"], e["column"], e["code"]) for e in out["errors"]}
    n = len(workbook.CROSSINGS)
    assert (("crossings", n + 1, "时间 Time", "BAD_TIME") in got)
    assert (("crossings", n + 2, "方向 Direction", "BAD_DIRECTION") in got)
    assert (("lodgings", len(workbook.LODGINGS) + 1, "Person ID", "UNKNOWN_PERSON") in got)
    assert (("documents", len(workbook.DOCUMENTS) + 1, "证件类型 Document type", "BAD_DOC_TYPE")
            in got)
    assert (("crossings", n + 3, "Document number", "UNKNOWN_DOCUMENT") in got)
    assert all(e["message"] for e in out["errors"])


def test_hostile_and_missing_files_are_refused_not_crashed(tmp_path):
    no_persons = tmp_path / "only"
    no_persons.mkdir()
    (no_persons / "crossings.csv").write_text("person_id,time,direction,crossing_point\n")
    code, out = _check(no_persons)
    assert code == 1 and out["errors"][0]["code"] == "MISSING_SHEET"
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("persons.csv", "person_id,name\n" + "0" * (30 * 1024 * 1024))
    code, out = _check(bomb)
    assert code == 1 and out["errors"][0]["code"] in {"ZIP_BOMB", "FILE_TOO_LARGE"}
    missing = runner.invoke(app, ["residents", "check", str(tmp_path / "nope.xlsx"), "--on",
                                  "2026-11-30", "--json"])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    bad_day = runner.invoke(app, ["residents", "check", str(SHIPPED), "--on", "30/11/2026"])
    assert bad_day.exit_code == 2 and "--on" in bad_day.output
