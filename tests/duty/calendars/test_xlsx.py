"""The roster as xlsx: who may download it, headings in the user's language, names that look
like formulas kept as text."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.duty.calendars.test_month import SEES
from tests.web_helpers import login


@pytest.mark.parametrize("who", list(SEES))
def test_who_may_download(client, duty, who):
    login(client, duty.users[who].username)
    published, draft = SEES[who]
    assert client.get(f"/duty/rosters/{duty.published.id}.xlsx").status_code == published
    assert client.get(f"/duty/rosters/{duty.draft.id}.xlsx").status_code == draft


def _book(client, duty):
    response = client.get(f"/duty/rosters/{duty.published.id}.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response.headers["content-disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_headings_in_chinese_and_every_duty_listed(client, duty):
    login(client, duty.users["aux_on"].username)  # zh-CN
    book = _book(client, duty)
    month, duties = book.worksheets
    assert month.title == "月历" and duties.title == "值班明细"
    heads = [c.value for c in duties[1]]
    assert heads == ["日期", "星期", "单位", "班次", "岗位", "人员", "开始", "结束", "已锁定"]
    rows = list(duties.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 21  # 7 days × (post A day, post A night, post B day)
    he = [r for r in rows if r[5] == "何辅警"]
    assert len(he) == 3 and all(r[3] == "白班" and r[4] == "值班员" for r in he)
    assert he[0][6].hour == 8 and he[0][7].hour == 20  # local times
    assert he[0][8] == "是"  # the pinned first day
    grid_heads = [c.value for c in month[4]]
    assert grid_heads[:2] == ["日期", "星期"]
    assert any("竹山联防所 · 白班" in (h or "") for h in grid_heads)


def test_headings_in_english(client, session, duty):
    duty.users["planner"].language = "en"
    session.commit()
    login(client, duty.users["planner"].username)
    book = _book(client, duty)
    heads = [c.value for c in book.worksheets[1][1]]
    assert heads[:6] == ["Date", "Weekday", "Unit", "Shift", "Duty role", "Person"]


def test_a_name_like_a_formula_stays_text(client, duty):
    login(client, duty.users["planner"].username)
    book = _book(client, duty)
    cells = [c for row in book.worksheets[1].iter_rows(min_row=2) for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.value.startswith("'=") and c.data_type != "f" for c in cells)
    grid = [c for row in book.worksheets[0].iter_rows() for c in row
            if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert grid and all(c.data_type != "f" and not c.value.startswith("=") for c in grid)
