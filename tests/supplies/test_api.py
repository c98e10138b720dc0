"""Supplies through the API as each kind of user: the catalogue, receipts with their value,
stock computed from the movements, issues and returns (tracked items by serial), the kit
issue, repairs and conditions, need-to-know (a post its own store, the command all; the
army, police, station, villages and agents nothing), idempotent replays and bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bastion.audit.models import AuditEntry
from bastion.supplies.models import Movement
from tests.supplies.world import API, build, new_id, on_hand, stock_up


@pytest.fixture
def w(session):
    return build(session)


def test_receipt_value_and_stock_as_the_command_and_the_post(client, session, w):
    stock_up(client, w)
    cmd = w.headers(client, "cmd_off")
    rows = client.get(f"{API}/stock", headers=cmd).json()["items"]
    by_code = {r["item_code"]: r for r in rows}
    assert by_code["VEH-TRI"]["quantity"] == 2 and by_code["VEH-TRI"]["value_cny"] == 13600
    assert by_code["UNI-WINTER"]["value_cny"] == 3000 and by_code["MAT-CEMENT"]["value_cny"] == 510
    totals = client.get(f"{API}/totals", headers=cmd).json()
    assert totals["total_cny"] == 13600 + 3000 + 510
    assert totals["by_project"] == [{"project": "边境基础设施项目", "value_cny": 17110}]
    assert totals["by_funder"][0]["funder"] == "县财政局"
    assert {c["category"] for c in totals["by_category"]} == {"vehicle", "uniform", "material"}
    # the post sees its own store; post B sees nothing of post A's
    assert on_hand(client, w, "aux", "UNI-WINTER", w.post_a) == 10
    assert client.get(f"{API}/stock", headers=w.headers(client, "post_b")).json()["items"] == []
    assert client.get(f"{API}/stock", params={"agency_id": w.post_a.id},
                      headers=w.headers(client, "post_b")).status_code == 404
    assert client.get(f"{API}/receipts", headers=w.headers(client, "post_b")).json()["total"] == 0
    assert client.get(f"{API}/receipts", headers=w.headers(client, "post_a")).json()["total"] == 1
    # another command sees none of it
    other = w.headers(client, "other_cmd")
    assert client.get(f"{API}/stock", headers=other).json()["items"] == []
    assert client.get(f"{API}/movements", headers=other).json()["total"] == 0


@pytest.mark.parametrize("who", ["station", "police", "army", "village", "agent"])
def test_outsiders_see_nothing(client, w, who):
    h = w.headers(client, who)
    for path in ("/stock", "/movements", "/receipts", "/items", "/totals"):
        assert client.get(API + path, headers=h).status_code == 403, path
    assert client.post(f"{API}/movements", headers=h, json={
        "kind": "issue", "item_code": "X", "from_agency_id": w.post_a.id}).status_code == 403


def test_a_viewer_reads_but_does_not_move_and_a_post_does_not_receive(client, w):
    stock_up(client, w)
    got = client.post(f"{API}/movements", headers=w.headers(client, "aux"), json={
        "kind": "issue", "item_code": "UNI-WINTER", "from_agency_id": w.post_a.id,
        "person_name": "何海龙"})
    assert got.status_code == 403
    got = client.post(f"{API}/receipts", headers=w.headers(client, "post_a"), json={
        "received_on": "2026-03-01", "lines": [
            {"item_code": "UNI-WINTER", "quantity": 1, "unit_price": 300}]})
    assert got.status_code == 403
    assert client.post(f"{API}/items", headers=w.headers(client, "post_a"), json={
        "code": "X1", "name": "x", "category": "tool", "unit": "把"}).status_code == 403


def test_issue_and_return_to_a_person_and_the_audit(client, session, w):
    stock_up(client, w)
    h = w.headers(client, "post_a")
    body = {"client_id": new_id(), "kind": "issue", "item_code": "MAT-CEMENT", "quantity": 5,
            "from_agency_id": w.post_a.id, "person_name": "何海龙", "note": "修便道"}
    got = client.post(f"{API}/movements", json=body, headers=h)
    assert got.status_code == 201, got.text
    assert got.json()["value_cny"] == 127.5 and not got.json()["duplicate"]
    again = client.post(f"{API}/movements", json=body, headers=h)
    assert again.status_code == 200 and again.json()["duplicate"]
    assert again.json()["id"] == got.json()["id"]
    assert on_hand(client, w, "post_a", "MAT-CEMENT", w.post_a) == 15
    back = client.post(f"{API}/movements", headers=h, json={
        "kind": "return", "item_code": "MAT-CEMENT", "quantity": 2, "to_agency_id": w.post_a.id,
        "person_name": "何海龙"})
    assert back.status_code == 201, back.text
    assert on_hand(client, w, "post_a", "MAT-CEMENT", w.post_a) == 17
    held = client.get(f"{API}/holdings", params={"agency_id": w.post_a.id}, headers=h).json()
    assert held["items"] == [{"person": "何海龙", "item_code": "MAT-CEMENT", "item_name": "水泥",
                              "quantity": 3}]
    audited = session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.record_kind == "supply_movement"))
    assert audited == 2


def test_bad_movements_are_422_naming_the_field(client, w):
    stock_up(client, w)
    h = w.headers(client, "post_a")

    def move(**body):
        return client.post(f"{API}/movements", headers=h, json={
            "kind": "issue", "item_code": "MAT-CEMENT", "from_agency_id": w.post_a.id,
            "person_name": "x", **body})

    too_many = move(quantity=21)
    assert too_many.status_code == 422 and too_many.json()["detail"][0]["loc"][-1] == "quantity"
    assert move(item_code="NOPE").json()["detail"][0]["loc"][-1] == "item_code"
    assert move(kind="transfer").json()["detail"][0]["loc"][-1] == "to_agency_id"
    assert move(quantity=0).status_code == 422
    assert move(kind="receipt").status_code == 422
    assert move(item_code="VEH-TRI").json()["detail"][0]["loc"][-1] == "serial"
    assert move(item_code="VEH-TRI", serial="TRI-999").json()["detail"][0]["loc"][-1] == "serial"
    assert move(serial="TRI-001").json()["detail"][0]["loc"][-1] == "serial"
    # a person by account is one of the organisation's, never another's (no name leaks)
    assert move(person_user_id=w.users["station"].id).json()["detail"][0]["loc"][-1] == \
        "person_user_id"
    mine = move(quantity=1, person_name="", person_user_id=w.users["aux"].id)
    assert mine.status_code == 201 and mine.json()["person_name"] == w.users["aux"].display_name
    # a write-off leaves the store
    assert move(kind="write_off", quantity=2, person_name="", note="受潮结块").status_code == 201
    assert on_hand(client, w, "post_a", "MAT-CEMENT", w.post_a) == 17
    # post A cannot move post B's store
    assert move(from_agency_id=w.post_b.id).status_code == 404
    assert client.post(f"{API}/movements", headers=h, json={
        "kind": "issue", "item_code": "MAT-CEMENT"}).json()["detail"][0]["loc"][-1] == "from_agency_id"


def test_a_tricycle_goes_to_a_person_to_repair_and_back(client, session, w):
    stock_up(client, w)
    h = w.headers(client, "post_a")

    def move(**body):
        got = client.post(f"{API}/movements", headers=h, json={"item_code": "VEH-TRI", **body})
        return got

    assert move(kind="issue", serial="TRI-001", from_agency_id=w.post_a.id,
                person_name="农文光").status_code == 201
    # it is with the person, not in the store: it cannot be issued again
    assert move(kind="issue", serial="TRI-001", from_agency_id=w.post_a.id,
                person_name="x").json()["detail"][0]["loc"][-1] == "serial"
    assert move(kind="return", serial="TRI-001", to_agency_id=w.post_a.id,
                person_name="农文光", condition="damaged").status_code == 201
    assets = client.get(f"{API}/assets", headers=h).json()["items"]
    tri = next(a for a in assets if a["serial"] == "TRI-001")
    assert tri["condition"] == "damaged" and tri["agency_id"] == w.post_a.id
    assert move(kind="repair_out", serial="TRI-001", from_agency_id=w.post_a.id,
                note="县城维修点").status_code == 201
    assert on_hand(client, w, "post_a", "VEH-TRI", w.post_a) == 1
    assert move(kind="repair_in", serial="TRI-002", to_agency_id=w.post_a.id).json()["detail"][0]["loc"][-1] == "serial"
    assert move(kind="repair_in", serial="TRI-001", to_agency_id=w.post_a.id,
                condition="good").status_code == 201
    tri = next(a for a in client.get(f"{API}/assets", headers=h).json()["items"]
               if a["serial"] == "TRI-001")
    assert tri["condition"] == "good" and not tri["at_repair"]
    set_worn = client.post(f"{API}/assets/{tri['id']}/condition", headers=h,
                           json={"condition": "worn", "note": "轮胎磨损"})
    assert set_worn.status_code == 200 and set_worn.json()["condition"] == "worn"
    assert client.post(f"{API}/assets/{tri['id']}/condition",
                       headers=w.headers(client, "post_b"),
                       json={"condition": "lost"}).status_code == 404


def test_transfer_between_stores_by_the_command(client, w):
    stock_up(client, w)
    got = client.post(f"{API}/movements", headers=w.headers(client, "cmd_off"), json={
        "kind": "transfer", "item_code": "MAT-CEMENT", "quantity": 8,
        "from_agency_id": w.post_a.id, "to_agency_id": w.post_b.id})
    assert got.status_code == 201, got.text
    assert on_hand(client, w, "post_b", "MAT-CEMENT", w.post_b) == 8
    assert on_hand(client, w, "post_a", "MAT-CEMENT", w.post_a) == 12
    # post B returns some to the command's store, which it may not list
    back = client.post(f"{API}/movements", headers=w.headers(client, "post_b"), json={
        "kind": "return", "item_code": "MAT-CEMENT", "quantity": 3,
        "from_agency_id": w.post_b.id, "to_agency_id": w.command.id})
    assert back.status_code == 201, back.text
    assert on_hand(client, w, "cmd_off", "MAT-CEMENT", w.command) == 3


def test_the_winter_uniform_kit_issue(client, session, w):
    stock_up(client, w)
    h = w.headers(client, "post_a")
    people = client.get(f"{API}/people", params={"agency_id": w.post_a.id}, headers=h).json()
    assert {p["user_id"] for p in people["items"]} == {
        w.users[k].id for k in ("post_a", "aux", "aux2")}
    body = {"client_id": new_id(), "agency_id": w.post_a.id, "item_code": "UNI-WINTER",
            "people": ["黄志明", "韦丽萍"], "user_ids": [w.users["aux"].id]}
    got = client.post(f"{API}/kit-issues", json=body, headers=h)
    assert got.status_code == 201, got.text
    assert got.json()["issued"] == 3 and got.json()["value_cny"] == 900
    assert client.post(f"{API}/kit-issues", json=body, headers=h).json()["duplicate"]
    assert on_hand(client, w, "post_a", "UNI-WINTER", w.post_a) == 7
    # everyone of the post (no names): the three accounts and the two names already issued to
    everyone = client.post(f"{API}/kit-issues", headers=h, json={
        "agency_id": w.post_a.id, "item_code": "UNI-WINTER"})
    assert everyone.json()["issued"] == 5
    # all or none: two left, five people
    short = client.post(f"{API}/kit-issues", headers=h, json={
        "agency_id": w.post_a.id, "item_code": "UNI-WINTER"})
    assert short.status_code == 422 and short.json()["detail"][0]["loc"][-1] == "quantity"
    assert on_hand(client, w, "post_a", "UNI-WINTER", w.post_a) == 2
    assert client.post(f"{API}/kit-issues", headers=w.headers(client, "post_b"), json={
        "agency_id": w.post_a.id, "item_code": "UNI-WINTER"}).status_code == 404
    assert client.post(f"{API}/kit-issues", headers=h, json={
        "agency_id": w.post_a.id, "item_code": "VEH-TRI"}).json()["detail"][0]["loc"][-1] == "item_code"


def test_movements_list_is_paginated_and_exports(client, w):
    stock_up(client, w)
    h = w.headers(client, "cmd_off")
    page = client.get(f"{API}/movements", params={"limit": 2}, headers=h).json()
    assert page["total"] == 4 and len(page["items"]) == 2 and page["next_offset"] == 2
    for path in ("/stock.xlsx", "/movements.xlsx"):
        got = client.get(API + path, headers=h)
        assert got.status_code == 200 and got.content.startswith(b"PK")
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(client.get(f"{API}/stock.xlsx", headers=h).content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][1] == "编码 Code" and len(rows) == 4


def test_movement_rows_are_never_a_stored_total(session, client, w):
    stock_up(client, w)
    assert session.scalar(select(func.count(Movement.id))) == 4
