"""A month's scores as a workbook: the export lists everyone one assesses (the form to fill);
the import stores every row or none, each problem named by sheet, row and column."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from tests.evaluations.world import API, assess, build_eval


@pytest.fixture
def w(session):
    return build_eval(session)


def book(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "11月"
    ws.append(["人员编号", "姓名", "出勤值守", "巡边护边", "信息报送", "政策宣传", "遵规守纪", "评语"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, w, who, data, month="2026-11"):
    return client.post(f"{API}/import", data={"month": month},
                       files={"file": ("scores.xlsx", data, "application/octet-stream")},
                       headers=w.headers(client, who))


def test_export_then_import(client, w):
    assess(client, w, "a_officer", w.a1)
    got = client.get(f"{API}/export.xlsx?month=2026-11&language=zh-CN",
                     headers=w.headers(client, "a_officer"))
    assert got.status_code == 200
    ws = load_workbook(io.BytesIO(got.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("人员编号", "姓名", "出勤值守")
    assert {r[0] for r in rows[1:]} == {w.a1.id, w.a2.id}  # post A's only
    assert next(r for r in rows[1:] if r[0] == w.a1.id)[-1] == 94.2
    assert client.get(f"{API}/export.xlsx", headers=w.headers(client, "village")).status_code == 403

    done = upload(client, w, "a_officer", book([[w.a1.id, "农振华", 8, 8, 8, 8, 8, "好"],
                                                [w.a2.id, "马文斌", 10, 10, 10, 10, 10, ""]]))
    assert done.status_code == 201, done.text
    assert done.json()["created"] == 1 and done.json()["updated"] == 1
    items = client.get(f"{API}/assessments?month=2026-11",
                       headers=w.headers(client, "a_officer")).json()["items"]
    assert {i["person_id"]: i["total"] for i in items} == {w.a1.id: 80.0, w.a2.id: 100.0}


def test_all_or_none(client, w):
    bad = upload(client, w, "a_officer", book([[w.a1.id, "农振华", 8, 8, 8, 8, 8, ""],
                                               [w.b1.id, "陆海峰", 8, 8, 8, 8, 8, ""],
                                               [w.a2.id, "马文斌", 8, 12, 8, 8, "x", ""]]))
    assert bad.status_code == 422
    errors = bad.json()["errors"]
    places = {(e["sheet"], e["row"], e["column"], e["code"]) for e in errors}
    assert places == {("11月", 3, "人员编号", "UNKNOWN_PERSON"), ("11月", 4, "巡边护边", "BAD_SCORE"),
                      ("11月", 4, "遵规守纪", "BAD_SCORE")}
    items = client.get(f"{API}/assessments", headers=w.headers(client, "a_officer")).json()
    assert items["total"] == 0  # nothing stored
    assert upload(client, w, "a_aux", book([])).status_code == 403
    assert upload(client, w, "a_officer", b"not a workbook").status_code == 422
