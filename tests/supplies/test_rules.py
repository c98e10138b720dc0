"""Low-stock warnings (once per crossing below the threshold, to the store's officers), the
materials a hazard work order draws (a reaction to ``hazards.materials_drawn``: all lines or
none, ``Invalid`` naming the line), and the xlsx imports (all rows or none, problems by
sheet, row and column)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bastion.core import reactions
from bastion.core.errors import Invalid
from bastion.notifications.models import Notification, NotificationRecipient
from bastion.supplies.models import Item, LowStock, Movement
from tests.supplies.world import API, build, on_hand, stock_up


@pytest.fixture
def w(session):
    return build(session)


def _told(session, user) -> int:
    return session.scalar(select(func.count(NotificationRecipient.id)).where(
        NotificationRecipient.user_id == user.id)) or 0


def test_low_stock_warns_the_post_once_per_crossing(client, session, w):
    stock_up(client, w)
    cmd, post = w.headers(client, "cmd_off"), w.headers(client, "post_a")
    got = client.post(f"{API}/thresholds", headers=cmd, json={
        "item_code": "MAT-CEMENT", "agency_id": w.post_a.id, "minimum": 10})
    assert got.status_code == 200, got.text

    def issue(n):
        r = client.post(f"{API}/movements", headers=post, json={
            "kind": "issue", "item_code": "MAT-CEMENT", "quantity": n,
            "from_agency_id": w.post_a.id})
        assert r.status_code == 201, r.text

    issue(8)  # 12 left: not low
    assert _told(session, w.users["post_a"]) == 0
    issue(5)  # 7 left: below 10
    session.expire_all()
    assert _told(session, w.users["post_a"]) == 1
    assert _told(session, w.users["aux"]) == 0  # a viewer moves nothing: not told
    assert _told(session, w.users["post_b"]) == 0
    note = session.scalar(select(Notification).order_by(Notification.id.desc()))
    assert note.params["item"] == "水泥" and note.params["quantity"] == 7
    issue(1)  # still low: not told again
    session.expire_all()
    assert _told(session, w.users["post_a"]) == 1
    low = client.get(f"{API}/low-stock", headers=post).json()["items"]
    assert [(r["item_code"], r["quantity"], r["minimum"]) for r in low] == [("MAT-CEMENT", 6, 10)]
    page = client.get("/supplies", headers=post)
    assert 'id="low-stock"' in page.text
    # back above, then below again: told a second time
    client.post(f"{API}/receipts", headers=cmd, json={
        "agency_id": w.post_a.id, "received_on": "2026-04-01", "lines": [
            {"item_code": "MAT-CEMENT", "quantity": 10, "unit_price": "25.5"}]})
    assert session.scalar(select(func.count(LowStock.id)).where(
        LowStock.closed_at.is_(None))) == 0
    issue(7)
    session.expire_all()
    assert _told(session, w.users["post_a"]) == 2


def _draw(session, w, lines, work_order_id=41):
    reactions.fire(session, "hazards.materials_drawn", work_order_id=work_order_id,
                   post_agency_id=w.post_a.id, lines=lines, actor_id=w.users["post_a"].id)


def test_a_work_order_draws_materials_from_the_post(client, session, w):
    stock_up(client, w)
    _draw(session, w, [{"item_code": "MAT-CEMENT", "quantity": 6},
                       {"item_code": "MAT-CEMENT", "quantity": 2.0}])
    session.commit()
    drawn = session.scalars(select(Movement).where(Movement.work_order_id == 41)).all()
    assert [(m.kind.value, m.quantity, m.from_agency_id) for m in drawn] == [
        ("issue", 6, w.post_a.id), ("issue", 2, w.post_a.id)]
    assert all(m.recorded_by_id == w.users["post_a"].id for m in drawn)
    assert on_hand(client, w, "post_a", "MAT-CEMENT", w.post_a) == 12
    listed = client.get(f"{API}/movements", params={"kind": "issue"},
                        headers=w.headers(client, "post_a")).json()["items"]
    assert {m["work_order_id"] for m in listed} == {41}


@pytest.mark.parametrize("lines, field, words", [
    ([{"item_code": "MAT-CEMENT", "quantity": 1}, {"item_code": "NOPE", "quantity": 1}],
     "lines.1.item_code", "line 2"),
    ([{"item_code": "MAT-CEMENT", "quantity": 15}, {"item_code": "MAT-CEMENT", "quantity": 6}],
     "lines.1.quantity", "line 2"),
    ([{"item_code": "MAT-CEMENT", "quantity": 0}], "lines.0.quantity", "line 1"),
    ([{"item_code": "MAT-CEMENT", "quantity": 1.5}], "lines.0.quantity", "line 1"),
    ([{"item_code": "VEH-TRI", "quantity": 1}], "lines.0.item_code", "line 1"),
])
def test_a_work_order_that_cannot_be_supplied_is_refused_whole(client, session, w, lines,
                                                               field, words):
    stock_up(client, w)
    before = session.scalar(select(func.count(Movement.id)))
    with pytest.raises(Invalid) as refused:
        _draw(session, w, lines)
    n = words.split()[-1]  # the line is named in the message, in either language
    assert refused.value.field == field
    assert words in refused.value.message.lower() or f"第 {n} 行" in refused.value.message
    assert session.scalar(select(func.count(Movement.id))) == before


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "物资"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_catalogue_import_is_all_or_none(client, session, w):
    h = w.headers(client, "cmd_off")
    bad = _xlsx([["编码", "名称", "英文名称", "类别", "单位", "按编号管理"],
                 ["TOOL-CUT", "割草机", "Grass cutter", "工具", "台", "是"],
                 ["TOOL-SPR", "喷雾器", "Sprayer", "gadget", "台", "no"],
                 ["TOOL-CUT", "割草机", "", "tool", "", "maybe"]])
    got = client.post(f"{API}/items/import", headers=h,
                      files={"file": ("items.xlsx", bad, "application/octet-stream")})
    assert got.status_code == 422
    problems = {(e["sheet"], e["row"], e["column"], e["code"]) for e in got.json()["errors"]}
    assert ("物资", 3, "类别", "BAD_CATEGORY") in problems
    assert ("物资", 4, "编码", "DUPLICATE_CODE") in problems
    assert ("物资", 4, "单位", "REQUIRED") in problems
    assert ("物资", 4, "按编号管理", "BAD_FLAG") in problems
    assert session.scalar(select(func.count(Item.id))) == 0
    good = _xlsx([["Code", "Name", "English name", "Category", "Unit", "Tracked by serial"],
                  ["TOOL-CUT", "割草机", "Grass cutter", "工具", "台", "是"],
                  ["TOOL-SPR", "喷雾器", "Sprayer", "tool", "台", ""]])
    got = client.post(f"{API}/items/import", headers=h,
                      files={"file": ("items.xlsx", good, "application/octet-stream")})
    assert got.status_code == 201, got.text
    assert got.json()["codes"] == ["TOOL-CUT", "TOOL-SPR"]
    assert session.scalar(select(Item.tracked).where(Item.code == "TOOL-CUT"))
    assert client.post(f"{API}/items/import", headers=w.headers(client, "post_a"),
                       files={"file": ("i.xlsx", good, "application/octet-stream")}
                       ).status_code == 403


def test_receipt_import_is_all_or_none(client, session, w):
    stock_up(client, w)
    h = w.headers(client, "cmd_off")
    form = {"agency_id": str(w.post_b.id), "received_on": "2026-05-10",
            "project": "边境基础设施项目", "funder": "县财政局"}
    bad = _xlsx([["物资编码", "数量", "单价（元）", "编号"],
                 ["MAT-CEMENT", "10", "25.50", ""],
                 ["NOPE", "1", "1", ""],
                 ["VEH-TRI", "2", "6800", "TRI-101"],
                 ["MAT-CEMENT", "x", "1.234", ""]])
    got = client.post(f"{API}/receipts/import", headers=h, data=form,
                      files={"file": ("r.xlsx", bad, "application/octet-stream")})
    assert got.status_code == 422
    problems = {(e["row"], e["column"], e["code"]) for e in got.json()["errors"]}
    assert problems == {(3, "物资编码", "UNKNOWN_ITEM"), (4, "编号", "BAD_SERIALS"),
                        (5, "数量", "BAD_QUANTITY"), (5, "单价（元）", "BAD_PRICE")}
    assert on_hand(client, w, "cmd_off", "MAT-CEMENT", w.post_b) == 0
    good = _xlsx([["物资编码", "数量", "单价（元）", "编号"],
                  ["MAT-CEMENT", "10", "25.50", ""],
                  ["VEH-TRI", "2", "6800", "TRI-101, TRI-102"]])
    got = client.post(f"{API}/receipts/import", headers=h, data=form,
                      files={"file": ("r.xlsx", good, "application/octet-stream")})
    assert got.status_code == 201, got.text
    assert got.json()["value_cny"] == 255 + 13600 and got.json()["lines"] == 3
    assert on_hand(client, w, "cmd_off", "VEH-TRI", w.post_b) == 2
