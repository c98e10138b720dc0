"""The supplies pages as each kind of user: the command and a post see theirs (a post only
its own store), outsiders are refused; the forms record movements, kit issues, items,
thresholds and imports, and bad input comes back as a 422 page naming the field."""

from __future__ import annotations

import pytest

from tests.supplies.world import build, on_hand, stock_up
from tests.web_helpers import csrf_token, login


@pytest.fixture
def w(session):
    return build(session)


PAGES = ("/supplies", "/supplies/movements", "/supplies/receipts", "/supplies/items",
         "/supplies/field")


@pytest.mark.parametrize("who, allowed", [
    ("cmd_off", PAGES), ("cmd_viewer", PAGES[:4]), ("post_a", PAGES), ("aux", PAGES[:4]),
    ("police", ()), ("army", ()), ("village", ()), ("agent", ()), ("station", ())])
def test_pages_by_kind_of_user(client, w, who, allowed):
    login(client, w.users[who].username)
    for path in PAGES:
        got = client.get(path)
        assert got.status_code == (200 if path in allowed else 403), (who, path)
    menu = client.get("/dashboard").text
    assert ('id="nav-supplies"' in menu) == bool(allowed)


def test_a_post_sees_its_own_store_only(client, w):
    stock_up(client, w)
    login(client, w.users["post_b"].username)
    page = client.get("/supplies")
    assert 'data-item="VEH-TRI"' not in page.text and "TRI-001" not in page.text
    assert client.get(f"/supplies?agency_id={w.post_a.id}").status_code == 404
    login(client, w.users["cmd_off"].username)
    page = client.get("/supplies")
    assert "TRI-001" in page.text and 'id="stock-chart"' in page.text


def test_forms_record_and_refuse_naming_the_field(client, session, w):
    stock_up(client, w)
    login(client, w.users["post_a"].username)
    token = csrf_token(client, "/supplies/movements")
    bad = client.post("/supplies/movements", data={
        "csrf_token": token, "kind": "issue", "item_code": "MAT-CEMENT", "quantity": "99",
        "from_agency_id": str(w.post_a.id), "person_name": "x"})
    assert bad.status_code == 422 and 'id="error-quantity"' in bad.text
    good = client.post("/supplies/movements", data={
        "csrf_token": token, "kind": "issue", "item_code": "MAT-CEMENT", "quantity": "3",
        "from_agency_id": str(w.post_a.id), "person_name": "何海龙"}, follow_redirects=False)
    assert good.status_code == 303
    assert on_hand(client, w, "post_a", "MAT-CEMENT", w.post_a) == 17
    kit = client.post("/supplies/kit-issue", data={
        "csrf_token": token, "agency_id": str(w.post_a.id), "item_code": "UNI-WINTER",
        "quantity_each": "1", "people": "何海龙\n黄志明\n"}, follow_redirects=False)
    assert kit.status_code == 303 and "issued=2" in kit.headers["location"]
    assert on_hand(client, w, "post_a", "UNI-WINTER", w.post_a) == 8
    short = client.post("/supplies/kit-issue", data={
        "csrf_token": token, "agency_id": str(w.post_a.id), "item_code": "UNI-WINTER",
        "quantity_each": "5", "people": "a\nb"})
    assert short.status_code == 422 and 'id="error-quantity"' in short.text
    login(client, w.users["cmd_off"].username)
    token = csrf_token(client, "/supplies/items")
    dup = client.post("/supplies/items", data={
        "csrf_token": token, "code": "VEH-TRI", "name": "x", "category": "vehicle",
        "unit": "辆"})
    assert dup.status_code == 422 and 'id="error-code"' in dup.text
    made = client.post("/supplies/items", data={
        "csrf_token": token, "code": "TOOL-CUT", "name": "割草机", "category": "tool",
        "unit": "台"}, follow_redirects=False)
    assert made.status_code == 303
    limit = client.post("/supplies/thresholds", data={
        "csrf_token": token, "item_code": "TOOL-CUT", "agency_id": str(w.post_a.id),
        "minimum": "2"}, follow_redirects=False)
    assert limit.status_code == 303
    empty = client.post("/supplies/receipts/import", data={
        "csrf_token": token, "agency_id": str(w.post_a.id), "received_on": "2026-05-01"},
        files={"file": ("", b"", "application/octet-stream")})
    assert empty.status_code == 422 and 'id="error-file"' in empty.text
    bad_file = client.post("/supplies/receipts/import", data={
        "csrf_token": token, "agency_id": str(w.post_a.id), "received_on": "2026-05-01"},
        files={"file": ("r.csv", "物资编码,数量,单价\nNOPE,1,1\n".encode(), "text/csv")})
    assert bad_file.status_code == 422 and 'data-code="UNKNOWN_ITEM"' in bad_file.text


def test_the_field_page_and_its_kit(client, w):
    stock_up(client, w)
    login(client, w.users["post_a"].username)
    assert 'id="supplies-field"' in client.get("/supplies/field").text
    kit = client.get("/api/v1/supplies/field-kit").json()
    assert [s["id"] for s in kit["stores"]] == [w.post_a.id]
    assert {i["code"] for i in kit["items"]} == {"VEH-TRI", "UNI-WINTER", "MAT-CEMENT"}
    assert "/supplies/field" in client.get("/sw.js").text
