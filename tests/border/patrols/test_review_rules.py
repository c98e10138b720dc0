"""The reviewer's rules for the patrol backend: an SOS outside a patrol always reaches a
joint-defence command (or is refused), a user records only for posts and segments they may,
plan members come from the command or its partners, phone times are plausible, and targets
and plans take only the post's own segments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bastion.border.patrols import sos as sos_service
from bastion.border.patrols.models import Patrol, PatrolTarget, Sos
from bastion.core.marking import AreaAssignment
from bastion.notifications.models import Notification, NotificationRecipient
from bastion.org.models import AgencyKind, Role
from tests.border.patrols.field_world import at, build, new_id
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

API = "/api/v1/patrols"


@pytest.fixture
def w(session):
    return build(session)


def now_at(hours: float = 0) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


def field_of(response) -> str:
    return response.json()["detail"][0]["loc"][-1]


def told(session, record_kind, record_id) -> set[int]:
    notification = session.scalar(select(Notification).where(
        Notification.record_kind == record_kind, Notification.record_id == record_id))
    assert notification is not None
    return set(session.scalars(select(NotificationRecipient.user_id).where(
        NotificationRecipient.notification_id == notification.id)))


def start(client, w, who, **extra):
    body = {"op_id": new_id(), "patrol_id": new_id(), "device_at": now_at(-1), **extra}
    return client.post(f"{API}/field/start", json=body, headers=w.headers(client, who))


# 1. SOS outside a patrol -----------------------------------------------------------------

@pytest.mark.parametrize("partner", ["police", "army"])
def test_a_partner_s_sos_outside_a_patrol_alarms_the_command(client, session, w, partner):
    raised = client.post(f"{API}/field/sos", headers=w.headers(client, partner), json={
        "client_id": new_id(), "device_at": now_at(), "lon": 107.93, "lat": 21.61})
    assert raised.status_code == 201, raised.text
    got = raised.json()
    assert got["owner_org_id"] == w.command.id
    assert got["post_agency_id"] == w.post_a.id  # the segment nearest the position
    u = w.users
    assert {u["cmd"].id, u["cmd_officer"].id, u["a_officer"].id} <= told(
        session, "patrol_sos", got["id"])
    assert u["b_officer"].id not in told(session, "patrol_sos", got["id"])
    seen = session.scalars(sos_service.visible_query(u["cmd_officer"])).all()
    assert [s.id for s in seen] == [got["id"]]
    live = client.get(f"{API}/live", headers=w.headers(client, "cmd"))
    assert live.status_code == 200, live.text
    assert got["id"] in [s["id"] for s in live.json()["sos"]]
    ack = client.post(f"{API}/sos/{got['id']}/acknowledge", headers=w.headers(client, "cmd"))
    assert ack.status_code == 200


def test_a_partner_s_sos_goes_to_the_command_of_their_last_joint_patrol(client, session, w):
    joint = start(client, w, "a_aux", segment_id=w.seg_a.id, members=[
        {"user_id": w.users["a_aux"].id, "name": "联防员", "agency_id": w.post_a.id,
         "is_leader": True},
        {"user_id": w.users["police"].id, "name": "民警", "agency_id": w.police.id}])
    assert joint.status_code == 201, joint.text
    raised = client.post(f"{API}/field/sos", headers=w.headers(client, "police"), json={
        "client_id": new_id(), "device_at": now_at()})  # no position
    assert raised.status_code == 201, raised.text
    assert raised.json()["owner_org_id"] == w.command.id
    assert raised.json()["post_agency_id"] == w.post_a.id


def test_an_sos_that_cannot_be_routed_is_refused(client, session, w):
    # a partner nobody shares a map with, and who patrolled with nobody
    lone = make_agency(session, kind=AgencyKind.ARMY, name="孤立连队")
    make_user(session, agency=lone, role=Role.OFFICER, username="lone_army")
    session.commit()
    refused = client.post(f"{API}/field/sos", headers=api_token(client, "lone_army"), json={
        "client_id": new_id(), "device_at": now_at(), "lon": 107.93, "lat": 21.61})
    assert refused.status_code == 422, refused.text
    assert field_of(refused) == "patrol_id"
    assert session.scalar(select(Sos.id)) is None


# 2. Field start for another post ---------------------------------------------------------

def test_a_post_user_starts_patrols_only_for_their_own_post(client, session, w):
    other = start(client, w, "a_aux", post_agency_id=w.post_b.id, segment_id=w.seg_b.id)
    assert other.status_code == 422 and field_of(other) == "post_agency_id"
    seg_only = start(client, w, "a_aux", segment_id=w.seg_b.id)
    assert seg_only.status_code == 422 and field_of(seg_only) == "post_agency_id"
    mixed = start(client, w, "a_aux", post_agency_id=w.post_a.id, segment_id=w.seg_b.id)
    assert mixed.status_code == 422 and field_of(mixed) == "segment_id"
    assert session.scalar(select(Patrol.id)) is None
    assert start(client, w, "a_aux", segment_id=w.seg_a.id).status_code == 201
    assert start(client, w, "cmd_officer", post_agency_id=w.post_b.id,
                 segment_id=w.seg_b.id).status_code == 201
    # a partner starts a joint patrol with a post whose segment is shared with them
    assert start(client, w, "police", post_agency_id=w.post_b.id,
                 segment_id=w.seg_b.id).status_code == 201


def test_a_partner_cannot_start_for_a_post_that_shares_nothing_with_them(client, session, w):
    bare = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=w.command,
                       name="无段联防所")
    session.commit()
    assert session.scalar(select(AreaAssignment.id).where(
        AreaAssignment.agency_id == bare.id)) is None
    got = start(client, w, "police", post_agency_id=bare.id)
    assert got.status_code == 422 and field_of(got) == "post_agency_id"


# 3. Plan members from outside ------------------------------------------------------------

def plan_body(w, **extra):
    return {"client_id": new_id(), "post_agency_id": w.post_a.id, "segment_id": w.seg_a.id,
            "planned_start": at("2026-12-08T08:30:00"), "planned_end": at("2026-12-08T11:30:00"),
            "members": [{"user_id": w.users["a_aux"].id, "name": "联防员 甲",
                         "agency_id": w.post_a.id, "is_leader": True}], **extra}


def test_plan_members_come_from_the_command_or_its_partners(client, session, w):
    outsider = {"user_id": w.users["agent"].id, "name": "船代", "agency_id": w.agent_org.id}
    body = plan_body(w)
    body["members"].append(outsider)
    got = client.post(f"{API}/plans", json=body, headers=w.headers(client, "a_officer"))
    assert got.status_code == 422 and field_of(got) == "members[1].user_id"
    body["members"][1] = {"name": "村民", "agency_id": w.village.id}
    got = client.post(f"{API}/plans", json=body, headers=w.headers(client, "a_officer"))
    assert got.status_code == 422 and field_of(got) == "members[1].agency_id"
    assert session.scalar(select(Patrol.id)) is None
    body["members"][1] = {"user_id": w.users["army"].id, "name": "战士", "agency_id": w.army.id}
    ok = client.post(f"{API}/plans", json=body, headers=w.headers(client, "a_officer"))
    assert ok.status_code == 201, ok.text


def test_field_start_members_from_outside_are_refused(client, session, w):
    got = start(client, w, "a_aux", segment_id=w.seg_a.id, members=[
        {"user_id": w.users["port"].id, "name": "边检", "agency_id": w.port.id}])
    assert got.status_code == 422 and field_of(got) == "members[0].user_id"


# 4. Device times --------------------------------------------------------------------------

def test_device_times_far_ahead_or_long_ago_are_refused(client, session, w):
    for when in ("9999-12-31T00:00:00+00:00", "1999-12-31T00:00:00+00:00", now_at(25)):
        got = start(client, w, "a_aux", segment_id=w.seg_a.id, device_at=when)
        assert got.status_code == 422 and field_of(got) == "device_at", when
    assert session.scalar(select(Patrol.id)) is None
    ok = start(client, w, "a_aux", segment_id=w.seg_a.id, device_at=now_at(1))
    assert ok.status_code == 201, ok.text
    pid = ok.json()["patrol"]["client_id"]
    headers = w.headers(client, "a_aux")
    far = "9999-12-31T00:00:00+00:00"
    routes = [
        (f"{API}/field/{pid}/status", {"op_id": new_id(), "action": "pause"}),
        (f"{API}/field/{pid}/check-ins", {"client_id": new_id(), "checkpoint_id": w.cp_a.id,
                                          "method": "geofence", "lon": 107.95, "lat": 21.62}),
        (f"{API}/field/{pid}/observations", {"client_id": new_id(),
                                             "category_code": "illegal_crossing"}),
        (f"{API}/field/sos", {"client_id": new_id(), "patrol_id": pid}),
    ]
    for url, body in routes:
        got = client.post(url, json={**body, "device_at": far}, headers=headers)
        assert got.status_code == 422 and field_of(got) == "device_at", (url, got.text)
    later = client.post(f"{API}/field/{pid}/status", headers=headers, json={
        "op_id": new_id(), "action": "pause", "device_at": now_at(2)})
    assert later.status_code == 201, later.text
    assert session.scalar(select(Sos.id)) is None


# 5. Targets and plans on another post's segment -------------------------------------------

def test_targets_and_plans_take_only_the_post_s_segments(client, session, w):
    target = client.post(f"{API}/targets", headers=w.headers(client, "cmd_officer"), json={
        "post_agency_id": w.post_b.id, "segment_id": w.seg_a.id, "period": "day"})
    assert target.status_code == 422 and field_of(target) == "segment_id"
    assert session.scalar(select(PatrolTarget.id)) is None
    plan = client.post(f"{API}/plans", headers=w.headers(client, "cmd_officer"),
                       json=plan_body(w, post_agency_id=w.post_b.id,
                                      members=[{"name": "联防员", "agency_id": w.post_b.id}]))
    assert plan.status_code == 422 and field_of(plan) == "segment_id"
    assert session.scalar(select(Patrol.id)) is None
    assert client.post(f"{API}/targets", headers=w.headers(client, "cmd_officer"), json={
        "post_agency_id": w.post_b.id, "segment_id": w.seg_b.id,
        "period": "day"}).status_code == 201
