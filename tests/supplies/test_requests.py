"""A post asks the command for items; the command's officers are told; the command fulfils
(an issue from its store to the post) or refuses with a reason; the post is told. A post sees
its own requests only and cannot decide; outsiders see nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bastion.notifications.models import NotificationRecipient
from tests.supplies.world import API, build, new_id, on_hand, stock_up
from tests.web_helpers import csrf_token, login


@pytest.fixture
def w(session):
    return build(session)


def _told(session, user) -> int:
    session.expire_all()
    return session.scalar(select(func.count(NotificationRecipient.id)).where(
        NotificationRecipient.user_id == user.id)) or 0


def test_a_post_asks_and_the_command_fulfils_or_refuses(client, session, w):
    stock_up(client, w)
    cmd, post = w.headers(client, "cmd_off"), w.headers(client, "post_b")
    # the command's store holds 10 bags of cement
    assert client.post(f"{API}/receipts", headers=cmd, json={
        "agency_id": w.command.id, "received_on": "2026-06-01", "lines": [
            {"item_code": "MAT-CEMENT", "quantity": 10, "unit_price": 26}]}).status_code == 201
    body = {"client_id": new_id(), "item_code": "MAT-CEMENT", "quantity": 6,
            "note": "修补百南便道"}
    asked = client.post(f"{API}/requests", headers=post, json=body)
    assert asked.status_code == 201, asked.text
    assert client.post(f"{API}/requests", headers=post, json=body).json()["duplicate"]
    rid = asked.json()["id"]
    assert asked.json()["agency_id"] == w.post_b.id and asked.json()["status"] == "open"
    assert _told(session, w.users["cmd_off"]) == 1 and _told(session, w.users["post_a"]) == 0
    # post A sees nothing of it; post B cannot decide it
    assert client.get(f"{API}/requests", headers=w.headers(client, "post_a")).json()["total"] == 0
    assert client.post(f"{API}/requests/{rid}/decision", headers=post,
                       json={"action": "fulfil"}).status_code == 404
    assert client.get(f"{API}/requests", headers=w.headers(client, "police")).status_code == 403
    done = client.post(f"{API}/requests/{rid}/decision", headers=cmd, json={"action": "fulfil"})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "fulfilled" and done.json()["movement_id"]
    assert on_hand(client, w, "post_b", "MAT-CEMENT", w.post_b) == 6
    assert on_hand(client, w, "cmd_off", "MAT-CEMENT", w.command) == 4
    assert _told(session, w.users["post_b"]) == 1
    again = client.post(f"{API}/requests/{rid}/decision", headers=cmd, json={"action": "refuse",
                                                                              "note": "x"})
    assert again.status_code == 409
    # too much to fulfil: 422 naming the quantity, the request stays open; refused with a reason
    big = client.post(f"{API}/requests", headers=post, json={"item_code": "MAT-CEMENT",
                                                             "quantity": 50}).json()["id"]
    short = client.post(f"{API}/requests/{big}/decision", headers=cmd, json={"action": "fulfil"})
    assert short.status_code == 422 and short.json()["detail"][0]["loc"][-1] == "quantity"
    no_reason = client.post(f"{API}/requests/{big}/decision", headers=cmd,
                            json={"action": "refuse"})
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["loc"][-1] == "note"
    refused = client.post(f"{API}/requests/{big}/decision", headers=cmd,
                          json={"action": "refuse", "note": "库存不足，下月采购"})
    assert refused.json()["status"] == "refused"
    listed = client.get(f"{API}/requests", headers=post).json()
    assert listed["total"] == 2 and {r["status"] for r in listed["items"]} == {"fulfilled",
                                                                                "refused"}
    # a viewer reads, does not ask; the command does not ask itself
    assert client.post(f"{API}/requests", headers=w.headers(client, "aux"), json={
        "item_code": "MAT-CEMENT", "quantity": 1}).status_code == 403
    assert client.post(f"{API}/requests", headers=cmd, json={
        "item_code": "MAT-CEMENT", "quantity": 1}).json()["detail"][0]["loc"][-1] == "agency_id"


def test_requests_on_the_stock_page(client, w):
    stock_up(client, w)
    login(client, w.users["post_a"].username)
    token = csrf_token(client, "/supplies")
    made = client.post("/supplies/requests", data={
        "csrf_token": token, "item_code": "MAT-CEMENT", "quantity": "5", "note": "水毁"},
        follow_redirects=False)
    assert made.status_code == 303
    assert 'data-status="open"' in client.get("/supplies").text
    login(client, w.users["cmd_off"].username)
    token = csrf_token(client, "/supplies")
    page = client.get("/supplies").text
    rid = page.split('data-request="')[1].split('"')[0]
    short = client.post(f"/supplies/requests/{rid}/decision", data={
        "csrf_token": token, "action": "fulfil"})
    assert short.status_code == 422 and f'id="error-decision-{rid}"' in short.text
    done = client.post(f"/supplies/requests/{rid}/decision", data={
        "csrf_token": token, "action": "refuse", "note": "指挥部库存为零"}, follow_redirects=False)
    assert done.status_code == 303
    assert 'data-status="refused"' in client.get("/supplies").text
