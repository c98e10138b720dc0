"""A notification and its recipients, each with their own read and acknowledgement times."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
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


class NotificationRecipient(Base):
    """One person's copy: the notification counts as handled for them when acknowledged."""

    __tablename__ = "notification_recipient"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notification.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    read_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]

    notification: Mapped[Notification] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("notification_id", "user_id"),
                      Index("ix_notification_recipient_user_ack", "user_id", "acknowledged_at"))
