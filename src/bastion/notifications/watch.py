"""The clock of acknowledged notifications: an addressee that has not acknowledged by the
deadline rises on the notification's ladder (``core.deadlines``), once per level:

- level 1, as soon as the deadline has passed: a reminder to the addressee's people;
- level 2 and above: a reminder again, and the escalation recipients are told.

Each reminder and escalation is a notification of its own (``reminder_of``: acknowledging
it acknowledges the original) and is kept as a ``NotificationReminder``. An addressee that
jumped levels while the job was off is announced once, at the level it has reached. Run as
the ``notification-deadlines`` job every ``notifications.watch_every_s``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core import deadlines
from bastion.core.db import transaction, utcnow
from bastion.core.i18n import lazy
from bastion.notifications.models import (
    Notification,
    NotificationAddressee,
    NotificationRecipient,
    NotificationReminder,
    ReminderKind,
    Severity,
)
from bastion.notifications.service import notify
from bastion.org.models import Agency, User

REMINDER = lazy("Not yet acknowledged (due {due} UTC): please acknowledge.")
ESCALATION = lazy("Escalation, level {level}: {who} has not acknowledged since {due} UTC.")


def _ladder(notification: Notification) -> deadlines.Ladder:
    return deadlines.Ladder(tuple(timedelta(seconds=s) for s in notification.escalate_after_s)
                            or (timedelta(0),))


def _who(session: Session, addressee: NotificationAddressee) -> str:
    if addressee.user_id is not None:
        person = session.get(User, addressee.user_id)
        return person.display_name if person else "?"
    agency = session.get(Agency, addressee.agency_id)
    name = agency.name if agency else "?"
    return f"{name} ({addressee.vessel})" if addressee.vessel else name


def _pending(session: Session, notification: Notification, addressee: NotificationAddressee,
             ) -> list[int]:
    """Its people who have not acknowledged (all of them, for an agency not acknowledged)."""
    open_ = set(session.scalars(select(NotificationRecipient.user_id).where(
        NotificationRecipient.notification_id == notification.id,
        NotificationRecipient.acknowledged_at.is_(None))))
    return [m for m in addressee.members or [] if m in open_]


def remind(session: Session, *, now: datetime | None = None) -> list[NotificationReminder]:
    """One round: every addressee whose level rose since the last announcement."""
    now = now or utcnow()
    sent: list[NotificationReminder] = []
    query = (select(NotificationAddressee)
             .join(Notification, Notification.id == NotificationAddressee.notification_id)
             .where(Notification.ack_due_at.is_not(None), Notification.ack_due_at < now,
                    NotificationAddressee.acknowledged_at.is_(None))
             .order_by(NotificationAddressee.id))
    for addressee in session.scalars(deadlines.claim(query)):
        notification = session.get(Notification, addressee.notification_id)
        assert notification is not None and notification.ack_due_at is not None
        state = deadlines.Deadline("ack", notification.ack_due_at, False)
        level = deadlines.levels_at([state], now, _ladder(notification)).get("ack", 0)
        if level <= addressee.level:
            continue
        addressee.level = level
        due = notification.ack_due_at
        common = {"title": notification.title, "params": notification.params,
                  "link": "/notifications", "severity": Severity.URGENT,
                  "record_kind": "notification", "record_id": notification.id,
                  "exercise": notification.exercise, "reminder_of": notification,
                  "times": ("due",)}
        people = _pending(session, notification, addressee)
        if people:
            reminder = notify(session, recipients=people,
                              body=REMINDER, **{**common, "params": {
                                  **notification.params, "due": due}})
            row = NotificationReminder(
                notification_id=notification.id, addressee_id=addressee.id, at=now,
                kind=ReminderKind.REMINDER, level=level, told=people,
                sent_id=reminder.id if reminder else None)
            session.add(row)
            sent.append(row)
        if level >= 2 and notification.escalate_to:
            escalation = notify(session, recipients=list(notification.escalate_to),
                                body=ESCALATION, **{**common, "reminder_of": None,
                                                    "link": f"/notifications/sent/{notification.id}",
                                                    "params": {**notification.params,
                                                               "due": due, "level": level,
                                                               "who": _who(session, addressee)}})
            row = NotificationReminder(
                notification_id=notification.id, addressee_id=addressee.id, at=now,
                kind=ReminderKind.ESCALATION, level=level,
                told=list(notification.escalate_to),
                sent_id=escalation.id if escalation else None)
            session.add(row)
            sent.append(row)
    session.flush()
    return sent


def check(sessions: Any, settings: Any) -> int:
    """The job: one round in its own transaction; the number of reminders and escalations."""
    with transaction(sessions) as session:
        return len(remind(session))
