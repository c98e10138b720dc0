"""A notification and its recipients, each with their own read and acknowledgement times;
its addressees (a person, or an agency whose one acknowledgement counts for all its people),
the reminders and escalations sent when nobody acknowledged in time, each person's e-mail and
phone, and the outbox of e-mails and text messages sent after commit."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column


class Severity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    URGENT = "urgent"


class Notification(Base):
    """What was said, once; ``title`` and ``body`` are English message ids with ``params``,
    translated when shown, so each recipient reads them in their own language."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(500))
    severity: Mapped[Severity] = mapped_column(str_enum_column(Severity), default=Severity.INFO)
    # The record it is about (for the stream and for the domain that sent it).
    record_kind: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    # Made in a drill: shown prefixed [EXERCISE].
    exercise: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Acknowledge by then, or reminders and escalation follow (None: no deadline).
    ack_due_at: Mapped[datetime | None] = mapped_column(index=True)
    # The ladder: level n+1 once late by more than escalate_after_s[n] seconds; level 1 reminds
    # the addressee, level 2 and above also tell ``escalate_to`` (user ids, fixed when sent).
    escalate_after_s: Mapped[list[float]] = mapped_column(JSON, default=list, server_default="[]")
    escalate_to: Mapped[list[int]] = mapped_column(JSON, default=list, server_default="[]")
    # A reminder or an escalation names the notification it is about.
    reminder_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification.id", ondelete="CASCADE"), index=True)


class NotificationRecipient(Base):
    """One person's copy: the notification counts as handled for them when acknowledged."""

    __tablename__ = "notification_recipient"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notification.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    # The addressee this person was told for (the first, if several; None before #17).
    addressee_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification_addressee.id", ondelete="CASCADE"))
    read_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    # Who acknowledged this copy: the person, or a colleague acknowledging for their agency.
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))

    notification: Mapped[Notification] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("notification_id", "user_id"),
                      Index("ix_notification_recipient_user_ack", "user_id", "acknowledged_at"))


class AddresseeKind(enum.StrEnum):
    PERSON = "person"  # one person, who acknowledges for themself
    AGENCY = "agency"  # an agency (a ship agent): one acknowledgement counts for all its people


class NotificationAddressee(Base):
    """Whom a notification was addressed to, as the sender sees it. ``members`` are the people
    told on the addressee's behalf (fixed when sent); for an agency, the first of them to
    acknowledge acknowledges for all."""

    __tablename__ = "notification_addressee"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notification.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AddresseeKind] = mapped_column(str_enum_column(AddresseeKind))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    capability: Mapped[str | None] = mapped_column(String(80))  # told as holders of it
    vessel: Mapped[str | None] = mapped_column(String(100))  # a ship agent, for this vessel
    members: Mapped[list[int]] = mapped_column(JSON, default=list)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    level: Mapped[int] = mapped_column(default=0)  # how far up the ladder it has gone


class ReminderKind(enum.StrEnum):
    REMINDER = "reminder"  # to the addressee
    ESCALATION = "escalation"  # to the escalation recipients


class NotificationReminder(Base):
    """A reminder or escalation sent because an addressee had not acknowledged in time."""

    __tablename__ = "notification_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notification.id", ondelete="CASCADE"), index=True)
    addressee_id: Mapped[int] = mapped_column(
        ForeignKey("notification_addressee.id", ondelete="CASCADE"))
    kind: Mapped[ReminderKind] = mapped_column(str_enum_column(ReminderKind))
    level: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    told: Mapped[list[int]] = mapped_column(JSON, default=list)
    sent_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id", ondelete="SET NULL"))


class NotificationContact(Base):
    """Where a person is told outside the app: e-mail and a mobile number (either may be
    missing; a channel is used only when its address is here and the channel is configured)."""

    __tablename__ = "notification_contact"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Channel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its turn (first try or a retry)
    SENDING = "sending"  # handed to the channel; never handed again
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry
    OFF = "off"  # the channel is not configured


class NotificationDelivery(Base):
    """The outbox: one e-mail or text message for one person, written with the notification
    and sent after commit by the ``notification-outbox`` job, once at most."""

    __tablename__ = "notification_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notification.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    channel: Mapped[Channel] = mapped_column(str_enum_column(Channel))
    address: Mapped[str] = mapped_column(String(254))
    status: Mapped[DeliveryStatus] = mapped_column(str_enum_column(DeliveryStatus),
                                                   default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("notification_id", "user_id", "channel"),
                      Index("ix_notification_delivery_due", "status", "next_attempt_at"))
