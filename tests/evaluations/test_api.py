"""Evaluations through the API as each kind of user: who may assess whom (403 without the
function, 404 for a person out of sight), what a score may be (422 naming the field), the
total, the annual rating by the rule and a supervisor's override, versioned indicators, and
the audited history."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bastion.audit.models import AuditAction, AuditEntry
from tests.evaluations.world import API, SCORES, assess, build_eval


@pytest.fixture
def w(session):
    return build_eval(session)


def test_who_may_assess_whom(client, w):
    expect = {  # who: (auxiliary at post A, auxiliary at post B, party member at the station)
        "cmd": (201, 201, 404), "cmd_officer": (200, 200, 404), "cmd_viewer": (403, 403, 403),
        "a_officer": (200, 404, 404), "a_aux": (403, 403, 403), "b_officer": (404, 200, 404),
        "port": (403, 403, 403), "port_super": (404, 404, 201),
        "village": (403, 403, 403), "agent": (403, 403, 403), "police": (403, 403, 403),
        "army": (403, 403, 403),
    }
    for who, statuses in expect.items():
        got = tuple(assess(client, w, who, p).status_code for p in (w.a1, w.b1, w.m1))
        assert got == statuses, who


def test_who_sees_what(client, w):
    assess(client, w, "cmd", w.a1)
    assess(client, w, "cmd", w.b1)
    assess(client, w, "port_super", w.m1)

    def people(who):
        r = client.get(f"{API}/people", headers=w.headers(client, who))
        return r.status_code, {p["id"] for p in r.json().get("items", [])}

    assert people("cmd") == (200, {w.a1.id, w.a2.id, w.b1.id})
    assert people("a_officer") == (200, {w.a1.id, w.a2.id})
    assert people("port_super") == (200, {w.m1.id})
    for who in ("village", "agent", "police", "a_aux"):
        assert people(who)[0] == 403, who

    def listed(who):
        r = client.get(f"{API}/assessments", headers=w.headers(client, who))
        assert r.status_code == 200, who
        return {a["person_id"] for a in r.json()["items"]}

    assert listed("cmd") == {w.a1.id, w.b1.id}
    assert listed("b_officer") == {w.b1.id}
    assert listed("port_super") == {w.m1.id}
    one = client.get(f"{API}/assessments", headers=w.headers(client, "cmd")).json()["items"][0]
    assert client.get(f"{API}/assessments/{one['id']}",
                      headers=w.headers(client, "port_super")).status_code == 404


def test_scores_are_checked(client, w):
    bad = assess(client, w, "cmd", w.a1, scores={**SCORES, "patrol": 11})
    assert bad.status_code == 422 and "scores.patrol" in bad.text
    missing = {k: v for k, v in SCORES.items() if k != "reporting"}
    bad = assess(client, w, "cmd", w.a1, scores=missing)
    assert bad.status_code == 422 and "scores.reporting" in bad.text
    bad = assess(client, w, "cmd", w.a1, scores={**SCORES, "cooking": 3})
    assert bad.status_code == 422 and "scores.cooking" in bad.text
    bad = assess(client, w, "cmd", w.a1, month="November")
    assert bad.status_code == 422 and "month" in bad.text
    bad = assess(client, w, "cmd", w.a1, scores={**SCORES, "patrol": -1})
    assert bad.status_code == 422
    assert assess(client, w, "cmd", w.a1, comments="x" * 5000).status_code == 422
    assert client.get(f"{API}/annual?year=99999",
                      headers=w.headers(client, "cmd")).status_code == 422


def test_total_and_rewrite(client, w):
    made = assess(client, w, "cmd", w.a1)
    assert made.status_code == 201
    # 100 * (25*.95 + 30*.95 + 20*.9 + 10*.9 + 15*1) / 100
    assert made.json()["total"] == 94.2
    again = assess(client, w, "cmd", w.a1, scores={k: 5 for k in SCORES})
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    assert again.json()["total"] == 50.0


def test_the_annual_rating_and_its_override(client, w):
    for month in range(1, 11):
        assert assess(client, w, "cmd", w.a1, month=f"2026-{month:02d}").status_code == 201
    for month in range(1, 10):
        assess(client, w, "cmd", w.a2, month=f"2026-{month:02d}")
    got = client.get(f"{API}/annual?year=2026", headers=w.headers(client, "cmd")).json()
    by_person = {r["person_id"]: r for r in got["people"]["items"]}
    assert by_person[w.a1.id]["rating"] == "excellent" and by_person[w.a1.id]["months"] == 10
    assert by_person[w.a2.id]["rating"] is None  # 9 months: too few for the rule
    assert got["counts"]["excellent"] == 1
    body = {"person_id": w.a1.id, "year": 2026, "rating": "competent", "reason": ""}
    no_reason = client.post(f"{API}/ratings", json=body, headers=w.headers(client, "cmd"))
    assert no_reason.status_code == 422 and "reason" in no_reason.text
    body["reason"] = "两次脱岗"
    assert client.post(f"{API}/ratings", json=body,
                       headers=w.headers(client, "cmd_officer")).status_code == 403
    assert client.post(f"{API}/ratings", json=body,
                       headers=w.headers(client, "a_officer")).status_code == 403
    set_ = client.post(f"{API}/ratings", json=body, headers=w.headers(client, "cmd"))
    assert set_.status_code == 200, set_.text
    assert set_.json()["rating"] == "competent" and set_.json()["derived"] == "excellent"
    back = client.post(f"{API}/ratings", json={**body, "rating": None},
                       headers=w.headers(client, "cmd"))
    assert back.json()["rating"] == "excellent"


def test_versions_keep_past_scores(client, w):
    old = assess(client, w, "cmd", w.a1, month="2026-05").json()
    new_set = {"valid_from": "2026-06", "rating_rule": {
        "min_months": 1, "bands": [{"rating": "excellent", "min": 80}]},
        "indicators": [{"code": "patrol", "name_zh": "巡边", "name_en": "Patrol", "weight": 1,
                        "max_score": 100}]}
    assert client.post(f"{API}/indicators", json=new_set,
                       headers=w.headers(client, "cmd_officer")).status_code == 403
    made = client.post(f"{API}/indicators", json=new_set, headers=w.headers(client, "cmd"))
    assert made.status_code == 201 and made.json()["version"] == 2
    june = assess(client, w, "cmd", w.a1, month="2026-06", scores={"patrol": 85})
    assert june.status_code == 201 and june.json()["total"] == 85.0
    assert june.json()["set_id"] != old["set_id"]
    may = client.get(f"{API}/assessments/{old['id']}", headers=w.headers(client, "cmd")).json()
    assert set(may["scores"]) == set(SCORES) and may["set_id"] == old["set_id"]
    # May is rewritten against May's indicators, not June's
    assert assess(client, w, "cmd", w.a1, month="2026-05").status_code == 200
    assert client.get(f"{API}/indicators?month=2026-05",
                      headers=w.headers(client, "cmd")).json()["version"] == 1
    dup = {**new_set, "indicators": new_set["indicators"] * 2}
    bad = client.post(f"{API}/indicators", json=dup, headers=w.headers(client, "cmd"))
    assert bad.status_code == 422 and "indicators[1].code" in bad.text


def test_history_is_an_audited_read(client, session, w):
    assess(client, w, "a_officer", w.a1)
    got = client.get(f"{API}/people/{w.a1.id}/history", headers=w.headers(client, "a_officer"))
    assert got.status_code == 200 and got.json()["assessments"][0]["total"] == 94.2
    reads = session.scalars(select(AuditEntry).where(
        AuditEntry.action == AuditAction.READ, AuditEntry.record_kind == "duty_person",
        AuditEntry.record_id == w.a1.id)).all()
    assert reads
    assert client.get(f"{API}/people/{w.a1.id}/history",
                      headers=w.headers(client, "b_officer")).status_code == 404
    assert client.get(f"{API}/people/{w.a1.id}/history",
                      headers=w.headers(client, "village")).status_code == 403
