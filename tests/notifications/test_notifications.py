"""Notifications: told by name or by function, seen only by recipients, acknowledged one by one."""

from __future__ import annotations

import pytest

from bastion.core.events import Event, may_see
from bastion.core.i18n import lazy
from bastion.notifications import service
from bastion.notifications.models import Severity
from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token, login

TITLE = lazy("Green channel: {vessel} has waited past its deadline")


@pytest.fixture
def agent(session, world):
    agency = make_agency(session, code="SHIP-N", kind=AgencyKind.SHIPPING_AGENCY)
    return make_user(session, agency=agency, role=Role.OFFICER, username="ship.n")


def _send(session, recipients, **extra):
    values = {"title": TITLE, "body": "", "link": "/clearance", "severity": Severity.URGENT,
              "record_kind": "port_call", "record_id": 5, "params": {"vessel": "ZHE HAI 511"}}
    values.update(extra)
    notification = service.notify(session, recipients=recipients, **values)
    session.commit()
    return notification


def test_a_recipient_reads_and_acknowledges(client, session, world):
    sent = _send(session, [world.author, world.b_officer.id])
    headers = api_token(client, "author")
    listed = client.get("/api/v1/notifications", headers=headers).json()
    assert listed["total"] == 1
    item = listed["items"][0]
    assert item["id"] == sent.id and item["severity"] == "urgent" and item["read_at"] is None
    assert "ZHE HAI 511" in item["title"] and item["link"] == "/clearance"
    assert client.get("/api/v1/notifications/count", headers=headers).json() == {
        "unread": 1, "unacknowledged": 1}
    read = client.get(f"/api/v1/notifications/{sent.id}", headers=headers).json()
    assert read["read_at"] is not None and read["acknowledged_at"] is None
    acked = client.post(f"/api/v1/notifications/{sent.id}/acknowledge", headers=headers).json()
    assert acked["acknowledged_at"] is not None
    again = client.post(f"/api/v1/notifications/{sent.id}/acknowledge", headers=headers).json()
    assert again["acknowledged_at"] == acked["acknowledged_at"]  # the first time stays
    assert client.get("/api/v1/notifications/count", headers=headers).json()[
        "unacknowledged"] == 0
    # Each recipient has their own copy: the other one is still to acknowledge.
    other = api_token(client, "b.officer")
    assert client.get("/api/v1/notifications", headers=other).json()["items"][0][
        "acknowledged_at"] is None


def test_others_get_404_and_hear_nothing(client, session, world, agent):
    sent = _send(session, [world.author])
    for username in ("b.officer", "a.super", agent.username):
        headers = api_token(client, username)
        assert client.get("/api/v1/notifications", headers=headers).json()["total"] == 0
        assert client.get(f"/api/v1/notifications/{sent.id}", headers=headers).status_code == 404
        assert client.post(f"/api/v1/notifications/{sent.id}/acknowledge",
                           headers=headers).status_code == 404
    event = Event(id=0, kind="notification.created", at=sent.created_at,
                  record_kind="notification", record_id=sent.id)
    assert may_see(session, world.author, event)
    assert not may_see(session, world.b_officer, event)
    assert not may_see(session, agent, event)


def test_an_agent_is_told_only_what_is_sent_to_them(client, session, world, agent):
    _send(session, [world.author])
    mine = _send(session, [agent], title=lazy("Documents received"), params={},
                 severity=Severity.INFO, link=None)
    headers = api_token(client, agent.username)
    listed = client.get("/api/v1/notifications", headers=headers).json()
    assert [n["id"] for n in listed["items"]] == [mine.id]


def test_capability_holders_are_resolved_when_sent(session, world):
    # accounts.manage: administrators of most kinds; in A that is a.admin only.
    sent = service.notify(session, recipients=[service.Holders("accounts.manage", world.a.id)],
                          title=TITLE, params={"vessel": "X"})
    assert sent is not None
    assert set(service.recipients_of(session, sent)) == {world.a_admin.id}
    # notices.read: everyone in A and its duty team, each once even when also named.
    wide = service.notify(session, recipients=[service.Holders("notices.read", world.a.id),
                                               world.author], title=TITLE)
    assert set(service.recipients_of(session, wide)) == {
        world.author.id, world.a_viewer.id, world.a_supervisor.id, world.a_admin.id,
        world.a_unit_officer.id}
    assert service.notify(session, recipients=[], title=TITLE) is None


def test_links_stay_inside_bastion(session, world):
    for link in ("https://evil.example/", "//evil.example", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            service.notify(session, recipients=[world.author], title=TITLE, link=link)


def test_unacknowledged_come_first_then_newest(client, session, world):
    first = _send(session, [world.author])
    second = _send(session, [world.author])
    third = _send(session, [world.author])
    headers = api_token(client, "author")
    client.post(f"/api/v1/notifications/{third.id}/acknowledge", headers=headers)
    order = [n["id"] for n in client.get("/api/v1/notifications", headers=headers).json()["items"]]
    assert order == [second.id, first.id, third.id]
    pending = client.get("/api/v1/notifications?unacknowledged=true&limit=1",
                         headers=headers).json()
    assert pending["total"] == 2 and pending["next_offset"] == 1


def test_page_badge_and_acknowledging_from_the_page(client, session, world):
    sent = _send(session, [world.author])
    token = login(client, "author")
    dashboard = client.get("/dashboard").text
    assert 'id="notification-badge"' in dashboard and 'class="badge count"' in dashboard
    page = client.get("/notifications")
    assert page.status_code == 200 and "ZHE HAI 511" in page.text
    response = client.post(f"/notifications/{sent.id}/acknowledge",
                           data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert 'class="badge count"' not in client.get("/notifications/badge").text
    follow = client.get(f"/notifications/{sent.id}", follow_redirects=False)
    assert follow.status_code == 303 and follow.headers["location"] == "/clearance"
    login(client, "b.officer")
    assert client.get(f"/notifications/{sent.id}", follow_redirects=False).status_code == 404


def test_shown_in_each_readers_language(client, session, world):
    from bastion.core.i18n import lazy as mark

    sent = service.notify(session, recipients=[world.author, world.b_officer],
                          title=mark("No such record."), body=mark("{what}: {vessel}"),
                          params={"what": "Warning", "vessel": "Warning"}, translate=("what",))
    session.commit()
    chinese = client.get(f"/api/v1/notifications/{sent.id}", headers={
        **api_token(client, "author"), "Cookie": "bastion_lang=zh-CN"}).json()
    assert chinese["title"] == "没有这条记录。" and chinese["body"] == "{what}: {vessel}".format(
        what="警告", vessel="Warning")  # a name is never translated, a word is


def test_a_time_is_kept_in_utc_and_shown_in_each_readers_zone(client, session, world):
    from datetime import UTC, datetime

    from bastion.core.i18n import lazy as mark

    due = datetime(2026, 12, 7, 16, 30, tzinfo=UTC)  # 00:30 the next day in Beijing
    sent = service.notify(session, recipients=[world.author, world.b_officer],
                          title=mark("No such record."), body=mark("{what}: {vessel}"),
                          params={"what": due, "vessel": "-"}, times=("what", "vessel"))
    assert sent.params["what"] == "2026-12-07T16:30+00:00"  # stored as UTC
    world.b_officer.timezone = "Europe/Lisbon"
    session.commit()
    beijing = client.get(f"/api/v1/notifications/{sent.id}",
                         headers=api_token(client, "author")).json()
    assert beijing["body"] == "2026-12-08 00:30: -"  # a value that is no time stays as it is
    lisbon = client.get(f"/api/v1/notifications/{sent.id}",
                        headers=api_token(client, "b.officer")).json()
    assert lisbon["body"] == "2026-12-07 16:30: -"
