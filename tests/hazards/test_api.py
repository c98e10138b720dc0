"""Hazards through the API as each kind of user: who reports, who sees (posts their own area,
the command all, partners read, a village committee only its own reports, port agencies and
shipping agents nothing), the workflow (403 for the wrong actor, 409 in the wrong state, 422
naming the field), the materials reaction, replays, and bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bastion.audit.models import AuditEntry
from bastion.core import reactions
from bastion.hazards.models import Hazard, MaterialLine
from tests.hazards.world import API, act, body, build, field_of, new_id, report, through

DRAWN: list[dict] = []
reactions.on("hazards.materials_drawn", lambda session, **facts: DRAWN.append(facts))


@pytest.fixture
def w(session):
    return build(session)


def due(days: int = 7) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


def test_a_post_reports_a_line_and_a_replay_changes_nothing(client, session, w):
    sent = body(client_id=new_id())
    made = client.post(API, json=sent, headers=w.headers(client, "post_a"))
    assert made.status_code == 201, made.text
    h = made.json()
    assert h["status"] == "reported" and h["duplicate"] is False
    assert h["post_agency_id"] == w.post_a.id and h["owner_org_id"] == w.command.id
    assert h["geometry"]["type"] == "LineString" and 300 < h["length_m"] < 400
    assert h["tlp"] == "green" and h["unit"] == "km" and h["title"]
    assert [e["action"] for e in h["history"]] == ["reported"]
    again = client.post(API, json=sent, headers=w.headers(client, "post_a"))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["id"] == h["id"]
    changed = client.post(API, json={**sent, "category": "fence"},
                          headers=w.headers(client, "post_a"))
    assert changed.status_code == 409 and "category" in changed.json()["detail"]
    assert session.scalar(select(func.count()).select_from(Hazard)) == 1
    assert session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.summary == f"hazard {h['id']} reported")) == 1


def test_who_sees_a_post_s_hazard(client, w):
    h = report(client, w)
    url = f"{API}/{h['id']}"
    for who, status in (("cmd", 200), ("cmd_viewer", 200), ("post_a", 200), ("aux", 200),
                        ("post_b", 404), ("police", 200), ("army", 200), ("village", 404),
                        ("station", 403), ("agent", 403)):
        assert client.get(url, headers=w.headers(client, who)).status_code == status, who
    for who, total in (("cmd", 1), ("post_a", 1), ("post_b", 0), ("police", 1), ("village", 0)):
        got = client.get(API, headers=w.headers(client, who))
        assert got.status_code == 200 and got.json()["total"] == total, who
    for who in ("station", "agent"):
        assert client.get(API, headers=w.headers(client, who)).status_code == 403, who
        assert client.post(API, json=body(), headers=w.headers(client, who)).status_code == 403
    for who in ("police", "army", "cmd_viewer"):  # read, never report
        assert client.post(API, json=body(), headers=w.headers(client, who)).status_code == 403


def test_a_village_committee_reports_and_sees_only_its_own(client, w):
    mine = report(client, w, who="village", category="water_source",
                  geometry={"type": "Point", "coordinates": [105.95, 22.97]},
                  post_agency_id=w.post_a.id)
    assert mine["reported_by_agency_id"] == w.village.id and mine["post_agency_id"] == w.post_a.id
    other = report(client, w, who="post_a")
    for who, status in (("village", 200), ("village2", 200), ("cmd", 200), ("post_a", 200),
                        ("post_b", 404)):
        got = client.get(f"{API}/{mine['id']}", headers=w.headers(client, who))
        assert got.status_code == status, who
    assert client.get(f"{API}/{other['id']}",
                      headers=w.headers(client, "village")).status_code == 404
    listed = client.get(API, headers=w.headers(client, "village")).json()
    assert [i["id"] for i in listed["items"]] == [mine["id"]]
    refused = client.post(API, json=body(), headers=w.headers(client, "village"))
    assert refused.status_code == 422 and field_of(refused) == "post_agency_id"
    assert act(client, w, mine["id"], "village", action="triage").status_code == 403


def test_a_smuggling_trail_is_amber(client, w):
    trail = report(client, w, who="post_a", category="smuggling_trail",
                   geometry={"type": "Point", "coordinates": [105.95, 22.97]})
    assert trail["tlp"] == "amber"
    for who, status in (("post_a", 200), ("cmd", 200), ("police", 200), ("army", 200),
                        ("aux", 404), ("cmd_viewer", 404)):
        got = client.get(f"{API}/{trail['id']}", headers=w.headers(client, who))
        assert got.status_code == status, who
    own = report(client, w, who="aux", category="smuggling_trail",
                 geometry={"type": "Point", "coordinates": [105.95, 22.97]})
    assert client.get(f"{API}/{own['id']}", headers=w.headers(client, "aux")).status_code == 200


def test_the_workflow(client, session, w):
    DRAWN.clear()
    h = report(client, w)
    hid = h["id"]
    assert act(client, w, hid, "post_a", action="triage").status_code == 403
    assert act(client, w, hid, "cmd", action="verify").status_code == 409
    assert act(client, w, hid, "cmd", action="bogus").status_code == 422
    triaged = act(client, w, hid, "cmd", action="triage")
    assert triaged.status_code == 200 and triaged.json()["status"] == "triaged"
    assert triaged.json()["actions"] == ["reject", "order"]
    missing = act(client, w, hid, "cmd", action="order", assignee_agency_id=w.post_a.id)
    assert missing.status_code == 422 and field_of(missing) == "due_on"
    past = act(client, w, hid, "cmd", action="order", assignee_agency_id=w.post_a.id,
               due_on=due(-2))
    assert past.status_code == 422 and field_of(past) == "due_on"
    stranger = act(client, w, hid, "cmd", action="order",
                   assignee_agency_id=w.village.id, due_on=due())
    assert stranger.status_code == 422 and field_of(stranger) == "assignee_agency_id"
    bad_line = act(client, w, hid, "cmd", action="order", assignee_agency_id=w.post_a.id,
                   due_on=due(), materials=[{"item_code": "MAT-GRAVEL", "quantity": -1}])
    assert bad_line.status_code == 422 and field_of(bad_line).startswith("materials")
    ordered = act(client, w, hid, "cmd", action="order", assignee_agency_id=w.post_a.id,
                  due_on=due(), team="维修小组", materials=[
                      {"item_code": "MAT-GRAVEL", "item_name": "碎石", "quantity": 12,
                       "unit": "m³"}, {"item_code": "MAT-CEMENT", "quantity": 20}])
    assert ordered.status_code == 200, ordered.text
    order = ordered.json()["work_order"]
    assert [m["item_code"] for m in order["materials"]] == ["MAT-GRAVEL", "MAT-CEMENT"]
    assert DRAWN == [{"work_order_id": order["id"], "post_agency_id": w.post_a.id,
                      "actor_id": w.users["cmd"].id,
                      "lines": [{"item_code": "MAT-GRAVEL", "quantity": 12.0},
                                {"item_code": "MAT-CEMENT", "quantity": 20.0}]}]
    assert session.scalar(select(func.count()).select_from(MaterialLine)) == 2
    assert act(client, w, hid, "post_b", action="complete", quantity=1).status_code == 404
    assert act(client, w, hid, "aux", action="complete", quantity=1).status_code == 403
    no_quantity = act(client, w, hid, "post_a", action="complete")
    assert no_quantity.status_code == 422 and field_of(no_quantity) == "quantity"
    future = act(client, w, hid, "post_a", action="complete", quantity=0.3, done_on=due(3))
    assert future.status_code == 422 and field_of(future) == "done_on"
    done = act(client, w, hid, "post_a", action="complete", quantity=0.3)
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert done.json()["work_order"]["quantity"] == 0.3
    assert act(client, w, hid, "post_a", action="verify").status_code == 403
    no_reason = act(client, w, hid, "cmd", action="return")
    assert no_reason.status_code == 422 and field_of(no_reason) == "reason"
    back = act(client, w, hid, "cmd", action="return", reason="只修了一半")
    assert back.json()["status"] == "ordered" and back.json()["work_order"]["quantity"] is None
    assert act(client, w, hid, "post_a", action="complete", quantity=0.35).status_code == 200
    verified = act(client, w, hid, "cmd", action="verify")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    history = verified.json()["history"]
    assert [e["action"] for e in history] == ["reported", "triage", "order", "complete",
                                              "return", "complete", "verify"]
    assert history[4]["reason"] == "只修了一半" and history[4]["by_id"] == w.users["cmd"].id
    assert act(client, w, hid, "cmd", action="triage").status_code == 409


def test_reject_needs_a_reason_and_rejected_is_final(client, w):
    h = report(client, w)
    refused = act(client, w, h["id"], "cmd", action="reject", reason="  ")
    assert refused.status_code == 422 and field_of(refused) == "reason"
    rejected = act(client, w, h["id"], "cmd", action="reject", reason="重复报告")
    assert rejected.json()["status"] == "rejected" and rejected.json()["reject_reason"] == "重复报告"
    assert act(client, w, h["id"], "cmd", action="triage").status_code == 409


def test_work_orders_and_the_triage_queue(client, w):
    a = report(client, w)
    b = report(client, w, who="post_b")
    through(client, w, a["id"], to="ordered")
    through(client, w, b["id"], to="ordered", assignee=w.post_b)
    c = report(client, w)
    queue = client.get(f"{API}/triage", headers=w.headers(client, "cmd")).json()
    assert [i["id"] for i in queue["items"]] == [c["id"]]
    assert client.get(f"{API}/triage", headers=w.headers(client, "post_a")).status_code == 403
    mine = client.get(f"{API}/work-orders", headers=w.headers(client, "post_a")).json()
    assert [i["id"] for i in mine["items"]] == [a["id"]]
    everyone = client.get(f"{API}/work-orders", headers=w.headers(client, "cmd")).json()
    assert {i["id"] for i in everyone["items"]} == {a["id"], b["id"]}
    assert client.get(f"{API}/work-orders", headers=w.headers(client, "aux")).status_code == 403


@pytest.mark.parametrize(("change", "field"), [
    ({"category": "volcano"}, "category"),
    ({"geometry": {"type": "Polygon", "coordinates": []}}, "geometry"),
    ({"geometry": {"type": "Point", "coordinates": [200, 22]}}, "geometry"),
    ({"geometry": {"type": "LineString", "coordinates": [[105.9, 22.9]]}}, "geometry"),
    ({"geometry": {"type": "Point", "coordinates": ["a", "b"]}}, "geometry"),
    ({"geometry": None}, "geometry"),
    ({"estimate": -1}, "estimate"),
    ({"observed_at": "2999-01-01T00:00:00+00:00"}, "observed_at"),
    ({"observation_id": 2147483647}, "observation_id"),
    ({"post_agency_id": 2147483647}, "post_agency_id"),
])
def test_bad_reports_name_the_field(client, session, w, change, field):
    got = client.post(API, json=body(**change), headers=w.headers(client, "cmd"))
    assert got.status_code == 422, got.text
    assert field_of(got).split(".")[0] == field
    assert session.scalar(select(func.count()).select_from(Hazard)) == 0


def test_the_command_reports_for_its_own_posts_only(client, session, w):
    from bastion.org.models import AgencyKind
    from tests.factories import make_agency

    other = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND)
    foreign = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=other)
    session.commit()
    got = client.post(API, json=body(post_agency_id=foreign.id), headers=w.headers(client, "cmd"))
    assert got.status_code == 422 and field_of(got) == "post_agency_id"
    unassigned = report(client, w, who="cmd")
    assert unassigned["post_agency_id"] is None
