"""The handovers list counts the open items its reader may read, as the handover's own page
and the API do; the items withheld from the reader are counted apart ("n withheld"), as the
page says "not shown because you may not read them: n" and the API gives
``withheld_items``, and never named."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.web_helpers import login

API = "/api/v1/duty"


@pytest.fixture
def handed(client, w):
    """a_officer logs an AMBER entry (own agency) and a GREEN one, then hands over to the
    auxiliary (a viewer), who may not open the AMBER entry."""
    h = w.headers(client, "a_officer")
    when = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    amber = client.post(f"{API}/log", headers=h, json={
        "occurred_at": when, "content": "越方渔民求助（来电人身份待核）",
        "marking": {"tlp": "amber", "distribution": "own"}})
    green = client.post(f"{API}/log", headers=h, json={
        "occurred_at": when, "content": "界河边有陌生人徘徊"})
    assert amber.status_code == green.status_code == 201
    made = client.post(f"{API}/handovers", headers=h,
                       json={"incoming_user_id": w.users["a_aux"].id, "situation": "平稳"})
    assert made.status_code == 201, made.text
    assert len(made.json()["open_items"]) == 2
    return made.json()["id"]


def listed_count(client, w, who: str, hid: int, language: str = "zh-CN") -> str:
    login(client, w.users[who].username)
    client.cookies.set("bastion_lang", language)
    page = client.get("/duty/handovers")
    assert page.status_code == 200, who
    cell = re.search(rf'<td class="open-count" data-handover="{hid}">(.*?)</td>', page.text, re.DOTALL)
    assert cell, f"{who} does not see handover {hid} in the list"
    return re.sub(r"<[^>]+>", "", cell.group(1)).strip()


def test_the_incoming_auxiliary_sees_the_count_of_what_they_may_read(client, w, handed):
    assert listed_count(client, w, "a_aux", handed) == "1 （1 项无权查看）"
    assert listed_count(client, w, "a_aux", handed, "en") == "1 (1 withheld)"
    # the same figures as the API and the handover's page give the same reader
    got = client.get(f"{API}/handovers/{handed}", headers=w.headers(client, "a_aux")).json()
    assert (len(got["open_items"]), got["withheld_items"]) == (1, 1)
    listed = client.get(f"{API}/handovers", headers=w.headers(client, "a_aux")).json()
    row = next(x for x in listed["items"] if x["id"] == handed)
    assert (len(row["open_items"]), row["withheld_items"]) == (1, 1)


@pytest.mark.parametrize("who", ["a_officer", "cmd"])
def test_who_may_read_every_item_sees_the_whole_count_and_nothing_withheld(client, w, handed,
                                                                           who):
    assert listed_count(client, w, who, handed) == "2"
    assert listed_count(client, w, who, handed, "en") == "2"


def test_a_post_that_may_not_see_the_handover_does_not_list_it(client, w, handed):
    login(client, w.users["b_officer"].username)
    page = client.get("/duty/handovers")
    assert page.status_code == 200
    assert f'data-handover="{handed}"' not in page.text
