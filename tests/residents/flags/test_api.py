"""The flag queue through the API and the page, as each kind of user: who sees which flags
(the person's need-to-know), who may decide and send a visit; invisible is 404, no
capability 403, bad input a 422 naming the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bastion.residents.crossings.models import Crossing, Direction
from bastion.residents.flags import service
from bastion.residents.visits.models import VisitTask
from tests.web_helpers import login

NOW = datetime.now(UTC)


@pytest.fixture
def flagged(session, rw):
    for person, number in ((rw.anh, "T100"), (rw.binh, "T200")):
        session.add(Crossing(resident_id=person.id, at=NOW - timedelta(hours=5),
                             direction=Direction.IN, path="念井小道", designated=False,
                             doc_number=number))
        session.flush()
        service.recompute(session, resident=person)
    session.commit()
    ids = {}
    for person in (rw.anh, rw.binh):
        ids[person.name] = session.scalar(
            select(service.RiskFlag.id).where(service.RiskFlag.resident_id == person.id))
    return ids


@pytest.mark.parametrize(("who", "expected"), [
    ("command", {"Nguyễn Văn Anh", "Lê Văn Bình"}),
    ("post_a", {"Nguyễn Văn Anh"}),
    ("post_b", {"Lê Văn Bình"}),
    ("police", {"Nguyễn Văn Anh", "Lê Văn Bình"}),
    ("aux_a", 403), ("village", 403), ("station", 403), ("agent", 403),
])
def test_who_sees_which_flags(client, rw, flagged, who, expected):
    response = client.get("/api/v1/residents/flags", headers=rw.headers(client, who))
    if isinstance(expected, int):
        assert response.status_code == expected
        return
    assert response.status_code == 200, response.text
    body = response.json()
    assert {item["person"] for item in body["items"]} == expected
    assert body["total"] == len(expected) and "next_offset" in body
    item = body["items"][0]
    assert item["flag"] == "undesignated_crossing" and item["rule"].startswith("RES-04")
    assert item["why"][0]["params"]["place"] == "念井小道" and item["why_text"]


def test_deciding_as_each_user(client, rw, flagged):
    anh = flagged["Nguyễn Văn Anh"]
    url = f"/api/v1/residents/flags/{anh}/decide"
    assert client.post(url, json={"status": "in_hand"},
                       headers=rw.headers(client, "post_b")).status_code == 404
    for who in ("aux_a", "village", "station", "agent"):
        assert client.post(url, json={"status": "in_hand"},
                           headers=rw.headers(client, who)).status_code == 403, who
    bad = client.post(url, json={"status": "closed"}, headers=rw.headers(client, "post_a"))
    assert bad.status_code == 422 and "status" in bad.text
    no_outcome = client.post(url, json={"status": "confirmed"},
                             headers=rw.headers(client, "post_a"))
    assert no_outcome.status_code == 422
    assert no_outcome.json()["detail"][0]["loc"] == ["body", "outcome"]
    ok = client.post(url, json={"status": "confirmed", "outcome": "已走访，警告并登记"},
                     headers=rw.headers(client, "post_a"))
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"
    assert client.post(url, json={"status": "dismissed", "outcome": "x"},
                       headers=rw.headers(client, "police")).status_code == 200
    assert client.get(f"/api/v1/residents/flags/{anh}",
                      headers=rw.headers(client, "post_b")).status_code == 404
    assert client.get("/api/v1/residents/flags/99999999",
                      headers=rw.headers(client, "command")).status_code == 404
    assert client.get("/api/v1/residents/flags?kind=nonsense",
                      headers=rw.headers(client, "command")).status_code == 422


def test_a_home_visit_from_a_flag(client, session, rw, flagged):
    anh = flagged["Nguyễn Văn Anh"]
    url = f"/api/v1/residents/flags/{anh}/visit"
    assert client.post(url, json={}, headers=rw.headers(client, "post_b")).status_code == 404
    assert client.post(url, json={}, headers=rw.headers(client, "agent")).status_code == 403
    assert client.post(url, json={"due": "someday"},
                       headers=rw.headers(client, "post_a")).status_code == 422
    made = client.post(url, json={"due": "2026-12-05"}, headers=rw.headers(client, "post_a"))
    assert made.status_code == 201, made.text
    task = session.get(VisitTask, made.json()["id"])
    assert task.flag_id == anh and task.post_agency_id == rw.post_a.id
    assert "undesignated_crossing" in task.reason
    flag = client.get(f"/api/v1/residents/flags/{anh}", headers=rw.headers(client, "post_a"))
    assert flag.json()["status"] == "in_hand"


def test_the_queue_page_in_chinese_with_the_article(client, session, rw, flagged):
    token = login(client, rw.users["post_a"].username)
    page = client.get("/residents/queue")
    assert page.status_code == 200
    assert "出境入境管理法 第二十四条、第七十一条" in page.text
    assert "Nguyễn Văn Anh" in page.text and "Lê Văn Bình" not in page.text
    assert "念井小道" in page.text
    anh = flagged["Nguyễn Văn Anh"]
    refused = client.post(f"/residents/queue/{anh}/decide",
                          data={"status": "dismissed", "csrf_token": token})
    assert refused.status_code == 422
    done = client.post(f"/residents/queue/{anh}/decide",
                       data={"status": "dismissed", "outcome": "误报", "csrf_token": token},
                       follow_redirects=False)
    assert done.status_code == 303
    visit = client.post(f"/residents/queue/{anh}/visit",
                        data={"due": "2026-12-05", "csrf_token": token}, follow_redirects=False)
    assert visit.status_code == 303
    assert session.scalar(select(VisitTask.id).where(VisitTask.flag_id == anh)) is not None
    bins = flagged["Lê Văn Bình"]
    assert client.post(f"/residents/queue/{bins}/decide",
                       data={"status": "in_hand", "csrf_token": token}).status_code == 404
    decided = client.get("/residents/queue?show=decided")
    assert "误报" in decided.text


@pytest.mark.parametrize("who", ["station", "agent", "village", "aux_a"])
def test_the_queue_page_is_refused_without_the_capability(client, rw, who):
    login(client, rw.users[who].username)
    assert client.get("/residents/queue").status_code == 403
