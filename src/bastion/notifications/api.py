"""REST API of the caller's own notifications."""

from __future__ import annotations

from fastapi import APIRouter

from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, paginate
from bastion.notifications import service
from bastion.notifications.schemas import (
    AddresseePublic,
    ContactIn,
    ContactPublic,
    FollowUpPublic,
    NotificationCounts,
    NotificationPublic,
    SentPublic,
)
from bastion.web.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])


@router.get("", response_model=Page[NotificationPublic])
def mine(session: SessionDep, user: CurrentUser, page: PageDep,
         unacknowledged: bool | None = None) -> Page[NotificationPublic]:
    """The caller's notifications: unacknowledged first, then the newest."""
    return paginate(session, service.mine_query(user, unacknowledged=unacknowledged), page,
                    NotificationPublic.of)


@router.get("/count", response_model=NotificationCounts)
def count(session: SessionDep, user: CurrentUser) -> NotificationCounts:
    return NotificationCounts(**service.counts(session, user=user))


@router.get("/sent", response_model=Page[SentPublic])
def sent(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[SentPublic]:
    """What the caller sent, newest first, with how many acknowledged and how many are late."""
    return paginate(session, service.sent_query(user), page,
                    lambda n: SentPublic.of(n, service.follow_up(session, n)))


@router.get("/sent/{notification_id}", response_model=FollowUpPublic)
def follow_up(notification_id: Id, session: SessionDep, user: CurrentUser) -> FollowUpPublic:
    """Who was told, who acknowledged (who, when), who is overdue, and the reminders and
    escalations sent; for the sender and the escalation recipients (404 for anyone else)."""
    notification = service.get_sent(session, user=user, notification_id=notification_id)
    states = service.follow_up(session, notification)
    body = service.shown(notification)[1]
    return FollowUpPublic(**SentPublic.of(notification, states).model_dump(), body=body,
                          link=notification.link,
                          addressee_list=[AddresseePublic.of(s) for s in states])


@router.get("/contact", response_model=ContactPublic)
def contact(session: SessionDep, user: CurrentUser) -> ContactPublic:
    """The caller's own e-mail and mobile number for notifications."""
    mine = service.contact_of(session, user)
    return ContactPublic(email=mine.email, phone=mine.phone)


@router.put("/contact", response_model=ContactPublic)
def set_contact(data: ContactIn, session: SessionDep, user: CurrentUser) -> ContactPublic:
    mine = service.set_contact(session, user=user, email=data.email, phone=data.phone)
    return ContactPublic(email=mine.email, phone=mine.phone)


@router.get("/{notification_id}", response_model=NotificationPublic)
def read(notification_id: Id, session: SessionDep, user: CurrentUser) -> NotificationPublic:
    """One notification (marked read); 404 unless it was sent to the caller."""
    return NotificationPublic.of(service.get_mine(session, user=user,
                                                  notification_id=notification_id))


@router.post("/{notification_id}/acknowledge", response_model=NotificationPublic)
def acknowledge(notification_id: Id, session: SessionDep,
                user: CurrentUser) -> NotificationPublic:
    copy = service.get_mine(session, user=user, notification_id=notification_id)
    return NotificationPublic.of(service.acknowledge(session, user=user, copy=copy))
