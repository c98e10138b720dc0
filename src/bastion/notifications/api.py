"""REST API of the caller's own notifications."""

from __future__ import annotations

from fastapi import APIRouter

from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, paginate
from bastion.notifications import service
from bastion.notifications.schemas import NotificationCounts, NotificationPublic
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
