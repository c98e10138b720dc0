"""Holes found walking the product as the demo users (review of issue #13): a planner who
types a bad rule reads the problem in the page's language, not the solver's English."""

from __future__ import annotations

import pytest

from tests.duty.rosters.world import START, build

API = "/api/v1/duty"


@pytest.fixture
def w(session):
    return build(session)


@pytest.mark.parametrize(("rules", "field", "words"), [
    ({"min_rest_hours": -5}, "rules.min_rest_hours", "-5"),
    ({"min_rest_hour": 12}, "rules.min_rest_hour", "没有这条规则"),
    ({"min_rest_hours": "abc"}, "rules.min_rest_hours", "数字"),
    ({"max_consecutive_nights": 2.5}, "rules.max_consecutive_nights", "整数"),
])
def test_a_bad_rule_is_named_in_chinese(client, w, rules, field, words):
    body = {"name": "x", "start": START.isoformat(), "days": 7, "unit_ids": [w.post_a.id],
            "rules": rules}
    headers = {**w.headers(client, "cmd"), "Accept-Language": "zh-CN"}
    got = client.post(f"{API}/rosters", json=body, headers=headers)
    assert got.status_code == 422, got.text
    problem = got.json()["detail"][0]
    assert problem["loc"][-1] == field
    assert words in problem["msg"], problem["msg"]
    for english in ("must be", "unknown field", "not a number", "whole number"):
        assert english not in problem["msg"], problem["msg"]


def test_a_bad_rule_reads_in_english_for_an_english_user(client, w):
    body = {"name": "x", "start": START.isoformat(), "days": 7, "unit_ids": [w.post_a.id],
            "rules": {"min_rest_hours": 99}}
    headers = {**w.headers(client, "cmd"), "Accept-Language": "en"}
    got = client.post(f"{API}/rosters", json=body, headers=headers)
    assert got.status_code == 422
    assert "between 0 and 48, not 99" in got.json()["detail"][0]["msg"]


def test_a_person_put_at_another_post_is_refused_naming_both_posts(client, session, w):
    """The refusal named the person's own post by its code (``NP-JDC-PM``), not its name."""
    from tests.duty.rosters.world import roster, rotation

    r = roster(session, w)
    r.unit_ids = [w.post_a.id, w.post_b.id]  # a rotation over both posts
    session.flush()
    rows = rotation(session, w, r)
    headers = {**w.headers(client, "cmd"), "Accept-Language": "zh-CN"}
    other = client.post(f"{API}/people", headers=headers, json={
        "name": "乙所值班员", "unit_id": w.post_b.id, "roles": ["duty_officer"]})
    assert other.status_code == 201, other.text
    got = client.patch(f"{API}/rosters/{r.id}/assignments/{rows[0].id}", headers=headers,
                       json={"person_id": other.json()["id"]})
    assert got.status_code == 422, got.text
    problem = got.json()["detail"][0]
    assert problem["type"] == "own_post" and problem["loc"][-1] == "person_id", problem
    assert w.post_b.name in problem["msg"] and w.post_a.name in problem["msg"], problem["msg"]
    assert w.post_b.code not in problem["msg"], problem["msg"]
