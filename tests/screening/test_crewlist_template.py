"""Screening the app's own FAL 5 / FAL 6 templates: the heading row is found on the list
sheet, the instructions sheet beside it is skipped, and no spurious error is shown (issue 11)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bastion.clearance.declarations.templates import template
from bastion.screening.crewlist import read_people
from tests.web_helpers import api_token, login

DATA = Path(__file__).resolve().parents[1] / "data" / "watchlist"


def _filled(form: str, language: str, rows: list[dict[str, str]]) -> bytes:
    """The downloadable template with rows typed under its heading row, as an agent would."""
    wb = load_workbook(io.BytesIO(template(form, "xlsx", language)))
    ws = wb.worksheets[0]
    heads = [c.value for c in ws[1]]
    for i, row in enumerate(rows, start=2):  # the template's rows are pre-formatted as text
        for j, head in enumerate(heads, start=1):
            ws.cell(row=i, column=j, value=row.get(head) or None)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("form", ["crew", "passengers"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_an_empty_template_gives_no_error(tmp_path, form, fmt, language):
    path = tmp_path / f"list.{fmt}"
    path.write_bytes(template(form, fmt, language))
    assert read_people(path) == ([], [])


def test_a_filled_template_is_read_under_its_heading_row(tmp_path):
    path = tmp_path / "crew.xlsx"
    path.write_bytes(_filled("crew", "en", [
        {"No": "1", "Family name": "ZHANG", "Given names": "WEI", "Date of birth": "1975-03-02",
         "Nationality": "chn", "Document number": "E1234"},
        {"No": "2", "Family name": "王", "Given names": "小明", "Date of birth": "1980-01-01"}]))
    people, problems = read_people(path)
    assert problems == []
    assert [(p.name, p.dob, p.nationality, p.ref) for p in people] == [
        ("ZHANG WEI", "1975-03-02", "CHN", "row 2 (No 1)"), ("王小明", "1980-01-01", None,
                                                             "row 3 (No 2)")]


def test_a_title_row_above_the_heading_row_is_skipped(tmp_path):
    path = tmp_path / "crew.csv"
    path.write_bytes(b"Crew list of EXAMPLE STAR\nNo,Family name,Given names,Date of birth\n"
                     b"1,LI,NA,1992-12-01\n")
    people, problems = read_people(path)
    assert problems == [] and [p.name for p in people] == ["LI NA"]


def test_a_list_without_name_columns_says_so_once(tmp_path):
    path = tmp_path / "stores.xlsx"
    path.write_bytes(template("stores", "xlsx", "en"))
    people, problems = read_people(path)
    assert people == [] and len(problems) == 1 and problems[0].row == 1 and problems[0].message


def test_screening_the_filled_template_in_the_web_page(client, world):
    sup = api_token(client, "a.super")
    wl = client.post("/api/v1/watchlists", headers=sup, json={
        "name": "Wanted", "tlp": "amber", "distribution": "all"}).json()
    client.post(f"/api/v1/watchlists/{wl['id']}/import", headers=sup, files={
        "file": ("s.jsonl", (DATA / "bastion-ftm-sample.jsonl").read_bytes())})
    token = login(client, "author")
    body = _filled("crew", "zh-CN", [{"序号": "1", "姓": "ZHANG", "名": "WEI",
                                      "出生日期": "1975-03-02", "国籍": "CHN"}])
    page = client.post("/screening/screen", data={"csrf_token": token}, files={
        "file": ("crew.xlsx", body)})
    assert page.status_code == 200
    assert 'class="error"' not in page.text  # no problem listed for the heading row
    assert "outcome-check" in page.text and "ZHANG WEI" in page.text
