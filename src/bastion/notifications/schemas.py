"""Notification payloads: what one recipient sees of a notification."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from bastion.notifications.models import (
    AddresseeKind,
    Notification,
    NotificationRecipient,
    ReminderKind,
    Severity,
)

if TYPE_CHECKING:
    from bastion.notifications.service import AddresseeState


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
    acknowledged_by_id: int | None = None  # the caller, or a colleague for their agency

    @classmethod
    def of(cls, copy: NotificationRecipient) -> NotificationPublic:
        from bastion.notifications.service import shown

        n = copy.notification
        title, body = shown(n)
        return cls(id=n.id, title=title, body=body, link=n.link, severity=n.severity,
                   record_kind=n.record_kind, record_id=n.record_id, created_at=n.created_at,
                   read_at=copy.read_at, acknowledged_at=copy.acknowledged_at,
                   acknowledged_by_id=copy.acknowledged_by_id)


class NotificationCounts(BaseModel):
    unread: int
    unacknowledged: int


class MemberPublic(BaseModel):
    user_id: int
    name: str
    read_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None


class ReminderPublic(BaseModel):
    kind: ReminderKind
    level: int
    at: datetime
    told: int  # how many people


class AddresseePublic(BaseModel):
    """One addressee as the sender sees it: told, acknowledged (by whom, when), overdue."""

    id: int
    kind: AddresseeKind
    name: str
    vessel: str | None
    capability: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    overdue: bool
    level: int
    members: list[MemberPublic]
    reminders: list[ReminderPublic]

    @classmethod
    def of(cls, state: AddresseeState) -> AddresseePublic:
        return cls(id=state.id, kind=state.kind, name=state.name, vessel=state.vessel,
                   capability=state.capability, acknowledged_at=state.acknowledged_at,
                   acknowledged_by=state.acknowledged_by, overdue=state.overdue,
                   level=state.level,
                   members=[MemberPublic(**vars(m)) for m in state.members],
                   reminders=[ReminderPublic(kind=r.kind, level=r.level, at=r.at,
                                             told=len(r.told or [])) for r in state.reminders])


class SentPublic(BaseModel):
    """A notification the caller sent (or follows as its escalation recipient)."""

    id: int
    title: str
    severity: Severity
    created_at: datetime
    ack_due_at: datetime | None
    addressees: int
    acknowledged: int
    overdue: int

    @classmethod
    def of(cls, notification: Notification, states: list[AddresseeState]) -> SentPublic:
        from bastion.notifications.service import shown

        return cls(id=notification.id, title=shown(notification)[0],
                   severity=notification.severity, created_at=notification.created_at,
                   ack_due_at=notification.ack_due_at, addressees=len(states),
                   acknowledged=sum(1 for s in states if s.acknowledged_at is not None),
                   overdue=sum(1 for s in states if s.overdue))


class FollowUpPublic(SentPublic):
    body: str
    link: str | None
    addressee_list: list[AddresseePublic]


class ContactIn(BaseModel):
    email: str | None = Field(None, max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(None, max_length=32, pattern=r"^$|^\+?[0-9 ()-]{5,31}$")


class ContactPublic(BaseModel):
    email: str | None
    phone: str | None
