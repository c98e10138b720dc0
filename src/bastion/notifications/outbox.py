"""The outbox: e-mails (SMTP, ``smtplib``) and text messages (an HTTP gateway taking a JSON
POST) for notifications, sent after commit by the ``notification-outbox`` job, never inside a
request.

Never twice: a message is claimed (``SKIP LOCKED``) and marked ``sending`` in a transaction
committed before it is handed to the channel, so no other round takes it again; the result is
written in a second transaction. A failure puts it back as ``pending`` after a wait that
doubles each time (``retry_backoff_s``), up to ``max_attempts``, then ``failed``. A process
that dies between the two leaves the message ``sending``: it may or may not have gone, and it
is not sent again (``stale`` lists them). Each message carries its own id (the e-mail's
Message-ID, the gateway's ``id``) so a receiver can drop a duplicate. A channel that is not
configured marks its messages ``off``.
"""

from __future__ import annotations

import json
import smtplib
import socket
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core import context, deadlines
from bastion.core.db import transaction, utcnow
from bastion.notifications.models import (
    Channel,
    DeliveryStatus,
    Notification,
    NotificationDelivery,
)
from bastion.notifications.service import shown
from bastion.org.models import User

BATCH = 50


@dataclass(frozen=True)
class Message:
    id: int
    channel: Channel
    address: str
    subject: str
    text: str


def configured(settings: Any, channel: Channel) -> bool:
    mine = settings.notifications
    return bool(mine.smtp_host) if channel == Channel.EMAIL else bool(mine.sms_url)


def _render(session: Session, row: NotificationDelivery, settings: Any) -> Message:
    """The message in its reader's language and time zone (a drill's title is prefixed by
    ``shown``)."""
    notification = session.get(Notification, row.notification_id)
    reader = session.get(User, row.user_id)
    assert notification is not None and reader is not None
    language = reader.language or getattr(settings, "language", "zh-CN")
    zone = reader.timezone or getattr(settings, "timezone", None) or "Asia/Shanghai"
    token = context.set_current(context.RequestContext(language=language, timezone=zone))
    try:
        title, body = shown(notification)
    finally:
        context.reset(token)
    link = notification.link or "/notifications"
    base = (getattr(settings, "public_url", None) or "").rstrip("/")
    text = "\n\n".join(part for part in (title, body, f"{base}{link}" if base else link) if part)
    if row.channel == Channel.SMS:
        text = " ".join(part for part in (title, body) if part)[:500]
    return Message(row.id, row.channel, row.address, title, text)


def claim(session: Session, settings: Any, *, limit: int = BATCH) -> list[Message]:
    """Take due messages for this round and mark them ``sending`` (commit before sending)."""
    now = utcnow()
    query = (select(NotificationDelivery)
             .where(NotificationDelivery.status == DeliveryStatus.PENDING,
                    NotificationDelivery.next_attempt_at <= now)
             .order_by(NotificationDelivery.id).limit(limit))
    taken = []
    for row in session.scalars(deadlines.claim(query)):
        if not configured(settings, row.channel):
            row.status = DeliveryStatus.OFF
            continue
        row.status, row.next_attempt_at = DeliveryStatus.SENDING, now  # claimed at
        row.attempts += 1
        taken.append(_render(session, row, settings))
    session.flush()
    return taken


def send_email(settings: Any, message: Message) -> None:
    mine = settings.notifications
    email = EmailMessage()
    email["From"] = mine.smtp_from
    email["To"] = message.address
    email["Subject"] = message.subject
    email["Message-ID"] = f"<bastion-delivery-{message.id}@{socket.getfqdn() or 'bastion'}>"
    email.set_content(message.text)
    timeout = mine.send_timeout_s
    if mine.smtp_tls == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(mine.smtp_host, mine.smtp_port, timeout=timeout)
    else:
        client = smtplib.SMTP(mine.smtp_host, mine.smtp_port, timeout=timeout)
    with client:
        if mine.smtp_tls == "starttls":
            client.starttls()
        if mine.smtp_user:
            client.login(mine.smtp_user,
                         mine.smtp_password.get_secret_value() if mine.smtp_password else "")
        client.send_message(email)


def send_sms(settings: Any, message: Message) -> None:
    mine = settings.notifications
    data = json.dumps({"to": message.address, "text": message.text,
                       "id": f"bastion-delivery-{message.id}"}).encode()
    request = urllib.request.Request(mine.sms_url, data=data, method="POST", headers={
        "Content-Type": "application/json"})
    if mine.sms_token:
        request.add_header("Authorization", f"Bearer {mine.sms_token.get_secret_value()}")
    with urllib.request.urlopen(request, timeout=mine.send_timeout_s) as response:
        if not 200 <= response.status < 300:
            raise OSError(f"SMS gateway answered {response.status}")


SENDERS = {Channel.EMAIL: send_email, Channel.SMS: send_sms}


def _settle(session: Session, settings: Any, results: dict[int, str | None]) -> None:
    """Write each send's result: sent, or back to pending with a longer wait, or failed."""
    mine = settings.notifications
    now = utcnow()
    for row in session.scalars(select(NotificationDelivery).where(
            NotificationDelivery.id.in_(results))):
        error = results[row.id]
        if error is None:
            row.status, row.sent_at, row.last_error = DeliveryStatus.SENT, now, None
        elif row.attempts >= mine.max_attempts:
            row.status, row.last_error = DeliveryStatus.FAILED, error[:2000]
        else:
            row.status, row.last_error = DeliveryStatus.PENDING, error[:2000]
            row.next_attempt_at = now + timedelta(
                seconds=mine.retry_backoff_s * 2 ** (row.attempts - 1))
    session.flush()


def deliver(sessions: Any, settings: Any) -> int:
    """The job: claim (committed), send, settle (committed). The number of messages sent."""
    with transaction(sessions) as session:
        messages = claim(session, settings)
    results: dict[int, str | None] = {}
    for message in messages:
        try:
            SENDERS[message.channel](settings, message)
            results[message.id] = None
        except (OSError, smtplib.SMTPException, ValueError) as error:
            results[message.id] = f"{type(error).__name__}: {error}"
    if results:
        with transaction(sessions) as session:
            _settle(session, settings, results)
    return sum(1 for error in results.values() if error is None)


def stale(session: Session, *, older_than: timedelta = timedelta(hours=1)) -> list[int]:
    """Messages left ``sending`` by a process that died: not resent, for a person to check."""
    return list(session.scalars(select(NotificationDelivery.id).where(
        NotificationDelivery.status == DeliveryStatus.SENDING,
        NotificationDelivery.next_attempt_at < utcnow() - older_than)))
