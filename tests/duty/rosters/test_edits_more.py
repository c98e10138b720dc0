"""More edits: fill and clear a cell, publish a hand-made plan that keeps every rule, a trade
of two duties, the progress written while solving."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bastion.duty.rosters import jobs
from bastion.duty.rosters.models import Assignment, Roster, RosterStatus
from tests.duty.rosters.world import START, roster, rotation

API = "/api/v1/duty"


def test_fill_clear_and_publish_a_hand_made_plan(client, session, w):
    r = roster(session, w)
    rows = rotation(session, w, r, status=RosterStatus.DRAFT)
    cmd = w.headers(client, "cmd")
    last = rows[-1]
    cleared = client.delete(f"{API}/rosters/{r.id}/assignments/{last.id}", headers=cmd)
    assert cleared.status_code == 204
    # Half-filled: the demand rule is not checked on an edit, it is at publishing.
    assert client.post(f"{API}/rosters/{r.id}/publish", headers=cmd).status_code == 409
    body = {"day": last.day.isoformat(), "shift_code": "N", "unit_id": w.post_a.id,
            "role_code": "duty_officer", "person_id": last.person_id}
    for change, field in (({"day": (START + timedelta(days=30)).isoformat()}, "day"),
                          ({"unit_id": w.post_b.id}, "unit_id"),
                          ({"shift_code": "Q"}, "shift_code"),
                          ({"role_code": "duty_leader"}, "person_id"),  # not theirs
                          ({"role_code": "duty_oficer"}, "role_code")):  # nobody's
        got = client.post(f"{API}/rosters/{r.id}/assignments", json={**body, **change},
                          headers=cmd)
        assert got.status_code == 422 and got.json()["detail"][0]["loc"][-1] == field, change
    refilled = client.post(f"{API}/rosters/{r.id}/assignments", json=body, headers=cmd)
    assert refilled.status_code == 201, refilled.text
    assert refilled.json()["pinned"] is True
    assert client.post(f"{API}/rosters/{r.id}/assignments", json=body, headers=w.headers(
        client, "a_aux")).status_code == 403
    done = client.post(f"{API}/rosters/{r.id}/publish", headers=cmd)
    assert done.status_code == 200 and done.json()["status"] == "published"


def test_a_trade_of_two_duties(client, session, w):
    r = roster(session, w)
    rows = rotation(session, w, r, status=RosterStatus.PUBLISHED)
    mine, theirs = rows[5], rows[4]  # day 2: a_aux on the night, person 4 on the day
    assert (mine.person_id, theirs.person_id) == (w.people[0].id, w.people[4].id)
    asked = client.post(f"{API}/swaps", json={
        "assignment_id": mine.id, "to_person_id": w.people[4].id,
        "other_assignment_id": theirs.id, "reason": "对调"}, headers=w.headers(client, "a_aux"))
    assert asked.status_code == 201, asked.text
    ok = client.post(f"{API}/swaps/{asked.json()['id']}/approve", json={},
                     headers=w.headers(client, "a_sup"))
    assert ok.status_code == 200, ok.text
    session.expire_all()
    # A trade within one day: the two rows trade their shifts.
    after = {a.person_id: a.shift_code for a in session.scalars(select(Assignment).where(
        Assignment.roster_id == r.id, Assignment.day == mine.day))}
    assert after == {w.people[0].id: "D", w.people[4].id: "N"}
    wrong = client.post(f"{API}/swaps", json={
        "assignment_id": rows[1].id, "to_person_id": w.people[4].id,
        "other_assignment_id": rows[1].id}, headers=w.headers(client, "police"))
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"][-1] == "other_assignment_id"


def test_progress_is_written_in_its_own_transaction(session, session_factory, w):
    r = roster(session, w)
    r.status = RosterStatus.SOLVING
    session.commit()
    jobs._progress(session_factory, r.id, 0.4, "post P (1/2)")
    session.expire_all()
    got = session.scalar(select(Roster).where(Roster.id == r.id))
    assert got.progress == 0.4 and got.progress_note == "post P (1/2)"


def test_an_unknown_role_code_names_the_field_and_the_value(client, session, w):
    r = roster(session, w)
    rows = rotation(session, w, r, status=RosterStatus.DRAFT)
    last = rows[-1]
    assert client.delete(f"{API}/rosters/{r.id}/assignments/{last.id}",
                         headers=w.headers(client, "cmd")).status_code == 204
    body = {"day": last.day.isoformat(), "shift_code": "N", "unit_id": w.post_a.id,
            "role_code": "duty_oficer", "person_id": last.person_id}
    for who in ("cmd", "a_sup"):  # the command's planner; post A's
        got = client.post(f"{API}/rosters/{r.id}/assignments", json=body,
                          headers=w.headers(client, who))
        assert got.status_code == 422, got.text
        detail = got.json()["detail"][0]
        assert detail["loc"][-1] == "role_code" and "duty_oficer" in detail["msg"], detail
    assert client.post(f"{API}/rosters/{r.id}/assignments", json=body,
                       headers=w.headers(client, "a_aux")).status_code == 403
    assert session.scalar(select(Assignment).where(Assignment.id == last.id)) is None
