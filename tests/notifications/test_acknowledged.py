"""Acknowledged notifications (#17.3): agencies and ship agents acknowledging for their
people, the sender's view, reminders and escalation on a ladder, and the e-mail and SMS
outbox sent after commit to a real SMTP server and a real HTTP gateway."""

from __future__ import annotations

import email
from datetime import timedelta
from email import policy

import pytest
from sqlalchemy import select

from bastion.core.db import utcnow
from bastion.core.errors import Invalid
from bastion.core.i18n import lazy
from bastion.notifications import outbox, service, watch
from bastion.notifications.models import (
    DeliveryStatus,
    Notification,
    NotificationDelivery,
    NotificationReminder,
    ReminderKind,
    Severity,
)
from bastion.notifications.service import ForAgency, Holders
from bastion.notifications.settings import NotificationSettings
from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.notifications.servers import SMSGateway, SMTPServer, running
from tests.web_helpers import api_token, login

TITLE = lazy("Typhoon warning: move {vessel} to shelter")


@pytest.fixture
def agents(session, world):
    agency = make_agency(session, code="SHIP-A", kind=AgencyKind.SHIPPING_AGENCY)
    return agency, [make_user(session, agency=agency, role=Role.OFFICER, username=f"agent.{i}")
                    for i in (1, 2)]


def _send(session, sender, recipients, **extra):
    values = {"title": TITLE, "params": {"vessel": "ZHE HAI 511"}, "severity": Severity.URGENT,
              "link": "/notifications", "sender": sender, "channels": ()}
    values.update(extra)
    sent = service.notify(session, recipients=recipients, **values)
    session.commit()
    return sent


def test_one_agent_acknowledges_for_the_agency_and_the_sender_sees_who(client, session, world,
                                                                      agents):
    agency, (first, second) = agents
    sent = _send(session, world.author,
                 [ForAgency(agency.id, vessel="ZHE HAI 511"), world.b_officer])
    # Both of the agency's people are told; the second acknowledges for the agency.
    for person in (first, second):
        listed = client.get("/api/v1/notifications", headers=api_token(
            client, person.username)).json()
        assert [n["id"] for n in listed["items"]] == [sent.id]
    acked = client.post(f"/api/v1/notifications/{sent.id}/acknowledge",
                        headers=api_token(client, second.username)).json()
    assert acked["acknowledged_at"] and acked["acknowledged_by_id"] == second.id
    theirs = client.get(f"/api/v1/notifications/{sent.id}",
                        headers=api_token(client, first.username)).json()
    assert theirs["acknowledged_at"] == acked["acknowledged_at"]
    assert theirs["acknowledged_by_id"] == second.id
    login(client, first.username)
    assert "由同事代表本单位确认" in client.get("/notifications").text
    # The sender's view: the agency acknowledged (by whom, when), the officer not yet.
    sender = api_token(client, "author")
    view = client.get(f"/api/v1/notifications/sent/{sent.id}", headers=sender).json()
    assert (view["addressees"], view["acknowledged"], view["overdue"]) == (2, 1, 0)
    by_kind = {a["kind"]: a for a in view["addressee_list"]}
    assert by_kind["agency"]["vessel"] == "ZHE HAI 511"
    assert by_kind["agency"]["acknowledged_by"] == second.display_name
    assert by_kind["agency"]["acknowledged_at"] == acked["acknowledged_at"]
    assert {m["user_id"] for m in by_kind["agency"]["members"]} == {first.id, second.id}
    assert by_kind["person"]["acknowledged_at"] is None
    listed = client.get("/api/v1/notifications/sent", headers=sender).json()
    assert listed["total"] == 1 and listed["items"][0]["acknowledged"] == 1
    # Recipients and outsiders do not see the sender's view.
    for username in (first.username, "b.officer", "c.officer", "a.super"):
        headers = api_token(client, username)
        assert client.get(f"/api/v1/notifications/sent/{sent.id}",
                          headers=headers).status_code == 404
        assert client.get("/api/v1/notifications/sent", headers=headers).json()["total"] == 0


def test_holders_still_acknowledge_one_by_one(client, session, world):
    sent = _send(session, world.author, [Holders("notices.read", world.b.id)])
    told = set(service.recipients_of(session, sent))
    assert {world.b_officer.id, world.b_officer2.id} <= told
    client.post(f"/api/v1/notifications/{sent.id}/acknowledge",
                headers=api_token(client, "b.officer"))
    other = client.get(f"/api/v1/notifications/{sent.id}",
                       headers=api_token(client, "b.officer2")).json()
    assert other["acknowledged_at"] is None


def test_reminders_then_escalation_on_the_ladder(client, session, world, agents):
    agency, (first, second) = agents
    sent = _send(session, world.author, [ForAgency(agency.id, vessel="MIN YU 7")],
                 ack_within=timedelta(minutes=10), escalate_to=[world.a_supervisor])
    due = sent.ack_due_at
    assert watch.remind(session, now=due - timedelta(minutes=1)) == []
    # Level 1 at the deadline: a reminder to the agency's people, no escalation yet.
    first_round = watch.remind(session, now=due + timedelta(minutes=1))
    assert [(r.kind, r.level) for r in first_round] == [(ReminderKind.REMINDER, 1)]
    assert set(first_round[0].told) == {first.id, second.id}
    assert watch.remind(session, now=due + timedelta(minutes=2)) == []  # once per level
    # Level 2, late by more than ack_within: reminded again, and the supervisor is told.
    second_round = watch.remind(session, now=due + timedelta(minutes=11))
    assert [(r.kind, r.level) for r in second_round] == [
        (ReminderKind.REMINDER, 2), (ReminderKind.ESCALATION, 2)]
    session.commit()
    escalation = session.get(Notification, second_round[1].sent_id)
    assert service.recipients_of(session, escalation) == [world.a_supervisor.id]
    boss = api_token(client, "a.super")
    mine = client.get("/api/v1/notifications", headers=boss).json()["items"]
    assert mine[0]["id"] == escalation.id and "ZHE HAI 511" in mine[0]["title"]
    assert "MIN YU 7" in mine[0]["body"]  # who is late: the agency, for the vessel
    sent.ack_due_at = utcnow() - timedelta(minutes=30)  # as if that time had come
    session.commit()
    view = client.get(f"/api/v1/notifications/sent/{sent.id}", headers=boss).json()
    assert view["overdue"] == 1
    assert [(r["kind"], r["level"]) for r in view["addressee_list"][0]["reminders"]] == [
        ("reminder", 1), ("reminder", 2), ("escalation", 2)]
    # Acknowledging the reminder acknowledges the notification, for the agency.
    reminder_id = second_round[0].sent_id
    client.post(f"/api/v1/notifications/{reminder_id}/acknowledge",
                headers=api_token(client, first.username))
    view = client.get(f"/api/v1/notifications/sent/{sent.id}",
                      headers=api_token(client, "author")).json()
    assert view["acknowledged"] == 1 and view["overdue"] == 0
    assert view["addressee_list"][0]["acknowledged_by"] == first.display_name
    assert watch.remind(session, now=due + timedelta(hours=5)) == []


def test_the_deadline_job_runs_in_its_own_transaction(session, session_factory, settings,
                                                      world):
    sent = _send(session, world.author, [world.b_officer], ack_within=timedelta(hours=1))
    sent.ack_due_at = utcnow() - timedelta(minutes=1)
    session.commit()
    assert watch.check(session_factory, settings) == 1
    session.expire_all()
    assert session.scalar(select(NotificationReminder.level)) == 1


def test_ack_within_must_be_positive(session, world):
    with pytest.raises(Invalid) as refused:
        service.notify(session, recipients=[world.b_officer], title=TITLE,
                       ack_within=timedelta(0))
    assert refused.value.field == "ack_within"


def _outbox_settings(settings, **values):
    return settings.model_copy(update={"notifications": NotificationSettings(**values)})


def test_email_and_sms_go_out_after_commit_once(client, session, session_factory, settings,
                                                world):
    client.put("/api/v1/notifications/contact", headers=api_token(client, "b.officer"),
               json={"email": "b.officer@example.org", "phone": "+86 138 0000 0001"})
    with running(SMTPServer()) as smtp, running(SMSGateway()) as gateway:
        configured = _outbox_settings(settings, smtp_host="127.0.0.1", smtp_port=smtp.port,
                                      smtp_tls="none", smtp_from="bastion@test.invalid",
                                      sms_url=gateway.url, sms_token="s3cret")
        sent = _send(session, world.author, [world.b_officer, world.c_officer], channels=None)
        rows = session.scalars(select(NotificationDelivery).where(
            NotificationDelivery.notification_id == sent.id)).all()
        # Only the person with a contact; urgent goes by both channels.
        assert {(r.user_id, r.channel.value) for r in rows} == {
            (world.b_officer.id, "email"), (world.b_officer.id, "sms")}
        assert outbox.deliver(session_factory, configured) == 2
        assert outbox.deliver(session_factory, configured) == 0  # never twice
        assert len(smtp.messages) == 1 and len(gateway.received) == 1
    message = email.message_from_string(smtp.messages[0]["data"], policy=policy.default)
    assert smtp.messages[0]["to"] == ["b.officer@example.org"]
    assert "ZHE HAI 511" in message["Subject"]
    assert message["Message-ID"].startswith("<bastion-delivery-")
    call = gateway.received[0]
    assert call["authorization"] == "Bearer s3cret"
    assert call["body"]["to"] == "+86 138 0000 0001" and "ZHE HAI 511" in call["body"]["text"]
    assert call["body"]["id"].startswith("bastion-delivery-")
    session.expire_all()
    assert {r.status for r in session.scalars(select(NotificationDelivery))} == {
        DeliveryStatus.SENT}


def test_a_failing_gateway_is_retried_with_backoff_then_given_up(session, session_factory,
                                                                 settings, world):
    service.set_contact(session, user=world.b_officer, email=None, phone="+8613800000002")
    with running(SMSGateway(status=503)) as gateway:
        configured = _outbox_settings(settings, sms_url=gateway.url, max_attempts=2,
                                      retry_backoff_s=60)
        _send(session, world.author, [world.b_officer], channels=["sms"])
        assert outbox.deliver(session_factory, configured) == 0
        session.expire_all()
        row = session.scalar(select(NotificationDelivery))
        assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 1)
        assert row.next_attempt_at > utcnow() + timedelta(seconds=50)
        assert "503" in row.last_error
        assert outbox.deliver(session_factory, configured) == 0  # not yet due
        assert len(gateway.received) == 1
        row.next_attempt_at = utcnow() - timedelta(seconds=1)
        session.commit()
        assert outbox.deliver(session_factory, configured) == 0
        session.expire_all()
        row = session.scalar(select(NotificationDelivery))
        assert (row.status, row.attempts) == (DeliveryStatus.FAILED, 2)
        assert len(gateway.received) == 2


def test_channels_not_configured_are_off(session, session_factory, settings, world):
    service.set_contact(session, user=world.b_officer, email="b@example.org", phone=None)
    _send(session, world.author, [world.b_officer], severity=Severity.WARNING, channels=None)
    assert outbox.deliver(session_factory, settings) == 0
    session.expire_all()
    assert session.scalar(select(NotificationDelivery.status)) == DeliveryStatus.OFF


def test_contact_is_checked_and_the_sent_view_is_paged(client, session, world):
    headers = api_token(client, "b.officer")
    bad = client.put("/api/v1/notifications/contact", headers=headers,
                     json={"email": "not an address", "phone": "12"})
    assert bad.status_code == 422
    assert {"email", "phone"} <= {e["loc"][-1] for e in bad.json()["detail"]}
    assert client.get("/api/v1/notifications/contact", headers=headers).json() == {
        "email": None, "phone": None}
    assert client.get("/api/v1/notifications/sent/99999", headers=headers).status_code == 404
    page = client.get("/api/v1/notifications/sent?limit=1", headers=headers).json()
    assert set(page) >= {"items", "total", "limit", "offset", "next_offset"}


def test_the_sender_s_pages_and_the_contact_form(client, session, world, agents):
    agency, _people = agents
    sent = _send(session, world.author, [ForAgency(agency.id, vessel="ZHE HAI 511")],
                 ack_within=timedelta(minutes=30))
    csrf = login(client, "author")
    listing = client.get("/notifications/sent")
    assert listing.status_code == 200 and f'data-sent-id="{sent.id}"' in listing.text
    page = client.get(f"/notifications/sent/{sent.id}")
    assert page.status_code == 200 and "ZHE HAI 511" in page.text
    rows = client.get(f"/notifications/sent/{sent.id}?fragment=1").text
    assert 'id="follow-summary"' in rows and "已确认 0/1" in rows
    bad = client.post("/notifications/contact", data={"email": "nope", "phone": "",
                                                      "csrf_token": csrf})
    assert bad.status_code == 422 and 'class="error"' in bad.text
    good = client.post("/notifications/contact", data={
        "email": "author@example.org", "phone": "+86 138 0000 0003", "csrf_token": csrf},
        follow_redirects=False)
    assert good.status_code == 303
    assert client.get("/api/v1/notifications/contact", headers=api_token(
        client, "author")).json()["email"] == "author@example.org"
    login(client, "b.officer")
    assert client.get(f"/notifications/sent/{sent.id}").status_code == 404
