"""Rosters through the API as each kind of user: who sees, who may act (invisible 404, no
function 403), edits refused naming the hard rule, publish only from solved, swaps."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bastion.audit.models import AuditEntry
from bastion.core.events import EventRecord
from bastion.duty.rosters.models import Assignment, Roster, RosterStatus
from bastion.notifications.models import NotificationRecipient
from tests.duty.rosters.world import START, roster, rotation

API = "/api/v1/duty"


def test_create_list_and_who_sees_a_draft(client, session, w):
    body = {"name": "十二月", "start": START.isoformat(), "days": 7, "unit_ids": [w.post_a.id],
            "rules": {"min_rest_hours": 11}, "partner_agency_ids": [w.police.id]}
    made = client.post(f"{API}/rosters", json=body, headers=w.headers(client, "cmd"))
    assert made.status_code == 201, made.text
    rid = made.json()["id"]
    assert made.json()["status"] == "draft" and made.json()["tlp"] == "green"
    # A post's planner plans only their own post.
    assert client.post(f"{API}/rosters", json={**body, "partner_agency_ids": []},
                       headers=w.headers(client, "a_sup")).status_code == 201
    other = client.post(f"{API}/rosters", json={**body, "unit_ids": [w.post_b.id]},
                        headers=w.headers(client, "a_sup"))
    assert other.status_code == 422 and other.json()["detail"][0]["loc"][-1] == "unit_ids[0]"
    # No planning function: 403.
    for who in ("a_aux", "a_officer", "police", "village", "agent"):
        assert client.post(f"{API}/rosters", json=body,
                           headers=w.headers(client, who)).status_code == 403, who
    # A draft: the planners of the organisation see it; nobody else (404), no function 403.
    assert client.get(f"{API}/rosters/{rid}", headers=w.headers(client, "b_sup")).status_code \
        == 200
    for who in ("a_aux", "police", "army", "port_sup"):
        assert client.get(f"{API}/rosters/{rid}",
                          headers=w.headers(client, who)).status_code == 404, who
    for who in ("village", "agent"):
        assert client.get(f"{API}/rosters/{rid}",
                          headers=w.headers(client, who)).status_code == 403, who
        assert client.get(f"{API}/rosters", headers=w.headers(client, who)).status_code == 403
    listed = client.get(f"{API}/rosters", headers=w.headers(client, "a_aux")).json()
    assert listed["items"] == [] and listed["total"] == 0


@pytest.mark.parametrize(("change", "field"), [
    ({"rules": {"min_rest_hours": 99}}, "rules.min_rest_hours"),
    ({"rules": {"nap": 1}}, "rules.nap"),
    ({"days": 0}, "days"),
    ({"unit_ids": [999_999]}, "unit_ids[0]"),
    ({"start": "2026-02-30"}, "start"),
    ({"partner_agency_ids": [999_999]}, "agency_ids"),
])
def test_bad_rosters_name_the_field(client, w, change, field):
    body = {"name": "x", "start": START.isoformat(), "days": 7, "unit_ids": [w.post_a.id],
            **change}
    got = client.post(f"{API}/rosters", json=body, headers=w.headers(client, "cmd"))
    assert got.status_code == 422, got.text
    assert got.json()["detail"][0]["loc"][-1] == field


def test_solve_is_queued_not_run(client, session, w):
    r = roster(session, w)
    got = client.post(f"{API}/rosters/{r.id}/solve", headers=w.headers(client, "cmd"))
    assert got.status_code == 202 and got.json()["status"] == "queued"
    again = client.post(f"{API}/rosters/{r.id}/solve", headers=w.headers(client, "cmd"))
    assert again.status_code == 409
    assert client.post(f"{API}/rosters/{r.id}/solve",
                       headers=w.headers(client, "a_aux")).status_code == 403
    assert client.post(f"{API}/rosters/{r.id}/solve",
                       headers=w.headers(client, "port_sup")).status_code == 404
    assert session.scalars(select(Assignment).where(Assignment.roster_id == r.id)).all() == []
    kinds = session.scalars(select(EventRecord.kind).where(
        EventRecord.record_kind == "duty_roster", EventRecord.record_id == r.id)).all()
    assert "duty.roster.queued" in kinds


def test_publish_only_from_solved_and_people_are_told(client, session, w):
    r = roster(session, w)
    draft = client.post(f"{API}/rosters/{r.id}/publish", headers=w.headers(client, "cmd"))
    assert draft.status_code == 409 and "草稿" in draft.json()["detail"]
    rotation(session, w, r)
    assert client.post(f"{API}/rosters/{r.id}/publish",
                       headers=w.headers(client, "a_aux")).status_code == 403
    done = client.post(f"{API}/rosters/{r.id}/publish", headers=w.headers(client, "cmd"))
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "published"
    told = set(session.scalars(select(NotificationRecipient.user_id)).all())
    assert {w.users[k].id for k in ("a_aux", "police", "a_officer", "a_aux2")} <= told
    again = client.post(f"{API}/rosters/{r.id}/publish", headers=w.headers(client, "cmd"))
    assert again.status_code == 409
    # Published: the post's people see it, the police officer standing on it too; the army
    # (not on it, not named) does not; the village committee and the agent have no function.
    for who, status in (("a_aux", 200), ("b_aux", 200), ("police", 200), ("army", 404),
                        ("village", 403), ("agent", 403), ("port_sup", 404)):
        got = client.get(f"{API}/rosters/{r.id}", headers=w.headers(client, who))
        assert got.status_code == status, who
    seen = client.get(f"{API}/rosters/{r.id}", headers=w.headers(client, "police")).json()
    assert len(seen["assignments"]) == 14 and seen["may_plan"] is False
    summaries = session.scalars(select(AuditEntry.summary).where(
        AuditEntry.record_kind == "duty_roster", AuditEntry.record_id == r.id)).all()
    assert f"duty roster {r.id} published" in summaries


def test_edits_pin_and_refuse_a_broken_rule(client, session, w):
    r = roster(session, w)
    rows = rotation(session, w, r)
    url = f"{API}/rosters/{r.id}/assignments"
    first = rows[0]  # day 0, D, person 0
    pinned = client.post(f"{url}/{first.id}/pin", json={"pinned": True},
                         headers=w.headers(client, "cmd"))
    assert pinned.status_code == 200 and pinned.json()["pinned"] is True
    assert client.post(f"{url}/{first.id}/pin", json={"pinned": True},
                       headers=w.headers(client, "a_aux")).status_code == 403
    # Day 0's night goes to person 1: give day 0's day shift to person 1 too -> one shift a day.
    broken = client.patch(f"{url}/{first.id}", json={"person_id": w.people[1].id},
                          headers=w.headers(client, "cmd"))
    assert broken.status_code == 422, broken.text
    detail = broken.json()["detail"][0]
    assert detail["loc"][-1] == "person_id" and detail["type"] == "one_shift_a_day"
    # Person 1 works day 0's night (till 08:00 on day 1): day 1's day shift breaks the rest.
    day1 = rows[2]
    rest = client.patch(f"{url}/{day1.id}", json={"person_id": w.people[1].id},
                        headers=w.headers(client, "cmd"))
    assert rest.status_code == 422 and rest.json()["detail"][0]["type"] == "min_rest_hours"
    # A fine change: person 4 is free on day 0.
    ok = client.patch(f"{url}/{first.id}", json={"person_id": w.people[4].id},
                      headers=w.headers(client, "cmd"))
    assert ok.status_code == 200, ok.text
    session.refresh(r)
    assert r.version == 3 and r.status == RosterStatus.SOLVED
    unknown = client.patch(f"{url}/{first.id}", json={"person_id": 999_999},
                           headers=w.headers(client, "cmd"))
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"][-1] == "person_id"
    assert client.patch(f"{url}/999999", json={"person_id": w.people[4].id},
                        headers=w.headers(client, "cmd")).status_code == 404


def test_swaps_asked_by_the_person_and_decided_by_the_planner(client, session, w):
    r = roster(session, w)
    rows = rotation(session, w, r, status=RosterStatus.PUBLISHED)
    mine = rows[0]  # a_aux (person 0), day 0 D
    body = {"assignment_id": mine.id, "to_person_id": w.people[4].id, "reason": "家里有事"}
    # Only the person whose duty it is asks; someone else's duty on a roster they see: 403.
    assert client.post(f"{API}/swaps", json=body,
                       headers=w.headers(client, "a_aux2")).status_code == 403
    for who, status in (("village", 403), ("agent", 403), ("army", 404)):
        assert client.post(f"{API}/swaps", json=body,
                           headers=w.headers(client, who)).status_code == status, who
    bad = client.post(f"{API}/swaps", json={**body, "to_person_id": w.people[0].id},
                      headers=w.headers(client, "a_aux"))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "to_person_id"
    asked = client.post(f"{API}/swaps", json=body, headers=w.headers(client, "a_aux"))
    assert asked.status_code == 201, asked.text
    sid = asked.json()["id"]
    assert [s["id"] for s in client.get(f"{API}/swaps", headers=w.headers(
        client, "cmd")).json()["items"]] == [sid]
    assert client.get(f"{API}/swaps", headers=w.headers(client, "a_aux2")).json()["total"] == 0
    assert client.get(f"{API}/swaps", headers=w.headers(client, "village")).status_code == 403
    assert client.post(f"{API}/swaps/{sid}/approve", json={},
                       headers=w.headers(client, "a_aux")).status_code == 403
    assert client.post(f"{API}/swaps/{sid}/approve", json={},
                       headers=w.headers(client, "port_sup")).status_code == 404
    ok = client.post(f"{API}/swaps/{sid}/approve", json={"note": "同意"},
                     headers=w.headers(client, "cmd"))
    assert ok.status_code == 200, ok.text
    session.refresh(mine)
    assert mine.person_id == w.people[4].id
    told = session.scalars(select(NotificationRecipient.user_id)).all()
    assert w.users["a_aux"].id in told


def test_swap_approval_refused_when_it_breaks_a_rule(client, session, w):
    r = roster(session, w)
    rows = rotation(session, w, r, status=RosterStatus.PUBLISHED)
    # Person 2 (a_officer) gives day 1's day shift to person 1, who works day 0's night.
    duty = rows[2]
    asked = client.post(f"{API}/swaps", json={"assignment_id": duty.id,
                                              "to_person_id": w.people[1].id},
                        headers=w.headers(client, "a_officer"))
    assert asked.status_code == 201, asked.text
    refused = client.post(f"{API}/swaps/{asked.json()['id']}/approve", json={},
                          headers=w.headers(client, "cmd"))
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["type"] == "min_rest_hours"
    session.expire_all()
    assert session.get(Assignment, duty.id).person_id == w.people[2].id
    no = client.post(f"{API}/swaps/{asked.json()['id']}/refuse", json={"note": "休息不足"},
                     headers=w.headers(client, "cmd"))
    assert no.status_code == 200 and no.json()["status"] == "refused"
    assert session.get(Roster, r.id).status == RosterStatus.PUBLISHED


def test_a_fresh_installation_knows_the_holidays_from_its_first_roster(client, session, w):
    from bastion.duty.rosters.models import CalendarDay, DayKind

    session.query(CalendarDay).delete()
    session.flush()
    body = {"name": "国庆", "start": "2026-10-01", "days": 7, "unit_ids": [w.post_a.id]}
    assert client.post(f"{API}/rosters", json=body,
                       headers=w.headers(client, "cmd")).status_code == 201
    national_day = session.scalar(select(CalendarDay).where(
        CalendarDay.day == START.replace(year=2026, month=10, day=1)))
    assert national_day is not None and national_day.kind == DayKind.REST
