"""Notification payloads: what one recipient sees of a notification."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from bastion.notifications.models import NotificationRecipient, Severity


class NotificationPublic(BaseModel):
    id: int
    title: str  # in the caller's language
    body: str
    link: str | None
    severity: Severity
    record_kind: str | None
    record_id: int | None
    created_at: datetime
    read_at: datetime | None
    acknowledged_at: datetime | None

    @classmethod
    def of(cls, copy: NotificationRecipient) -> NotificationPublic:
        from bastion.notifications.service import shown

        n = copy.notification
        title, body = shown(n)
        return cls(id=n.id, title=title, body=body, link=n.link, severity=n.severity,
                   record_kind=n.record_kind, record_id=n.record_id, created_at=n.created_at,
                   read_at=copy.read_at, acknowledged_at=copy.acknowledged_at)


class NotificationCounts(BaseModel):
    unread: int
    unacknowledged: int
