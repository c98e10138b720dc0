"""The ``bastion clearance`` commands through typer's runner, and the templates."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from bastion.clearance import template
from bastion.clearance.cli import app
from bastion.clearance.declarations.forms import FORMS

from .build import DATA, changed

runner = CliRunner()


def test_validate_clean_file_prints_nothing_and_exits_0():
    result = runner.invoke(app, ["validate", str(DATA / "crew.csv"), "--form", "crew",
                                 "--arrival", "2026-03-01", "--departure", "2026-03-03"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_validate_prints_json_lines_and_exits_1(tmp_path):
    path = tmp_path / "crew.csv"
    path.write_bytes(changed("crew", Family_name="", Gender="?"))
    result = runner.invoke(app, ["validate", str(path), "--form", "crew", "--language", "en"])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(p["sheet"], p["row"], p["column"], p["code"], p["severity"]) for p in lines] == [
        (None, 2, "Family name", "MISSING_FAMILY_NAME", "error"),
        (None, 2, "Gender", "BAD_GENDER", "error")]
    assert lines[0]["message"] == "Family name is required"


def test_warnings_alone_exit_0(tmp_path):
    path = tmp_path / "general.csv"
    path.write_bytes(changed("general", IMO_number="9074728"))
    result = runner.invoke(app, ["validate", str(path), "--form", "general"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["code"] == "BAD_IMO_CHECK_DIGIT"


def test_expired_document_against_the_stay():
    result = runner.invoke(app, ["validate", str(DATA / "crew.csv"), "--form", "crew",
                                 "--arrival", "2029-12-20", "--departure", "2030-01-05"])
    assert result.exit_code == 1
    assert [(p["row"], p["code"]) for p in map(json.loads, result.stdout.splitlines())] == [
        (4, "EXPIRED_DOCUMENT")]


def test_bad_option_values():
    assert runner.invoke(app, ["validate", str(DATA / "crew.csv"), "--form", "cargo"]).exit_code == 2
    assert runner.invoke(app, ["validate", str(DATA / "crew.csv"), "--form", "crew",
                               "--arrival", "01/03/2026"]).exit_code == 2


def test_template_command_writes_xlsx(tmp_path):
    out = tmp_path / "crew.xlsx"
    result = runner.invoke(app, ["template", "--form", "crew", "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0
    heads = [c.value for c in load_workbook(out).worksheets[0][1]]
    assert heads == ["No", "Family name", "Given names", "Rank or rating", "Nationality",
                     "Date of birth", "Place of birth", "Gender", "Document type", "Document number",
                     "Issuing state", "Expiry date", "Port of embarkation", "Visa number"]


def test_passenger_template_headings_csv():
    text = template("passengers", "csv").decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == [
        "No", "Family name", "Given names", "Nationality", "Date of birth", "Place of birth",
        "Gender", "Document type", "Document number", "Issuing state", "Expiry date",
        "Port of embarkation", "Port of disembarkation", "Transit", "Visa number"]


def test_chinese_crew_template():
    heads = [c.value for c in load_workbook(io.BytesIO(template("crew", "xlsx", "zh-CN")))
             .worksheets[0][1]]
    assert heads[:4] == ["序号", "姓", "名", "职务"]
    assert "有效期至" in heads and "登船港" in heads


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_every_template_is_read_back_as_its_form(form, fmt, language):
    from .build import check

    result = check(form, template(form, fmt, language))
    assert result.errors == [] or [p.code for p in result.errors] == ["NO_ROWS"]
    assert all(p.code == "NO_ROWS" for p in result.warnings)
