"""Notifications: who is told, what each of them has read and acknowledged.

Other domains call :func:`notify`; it never commits (the caller's transaction does, and only
then is the ``notification.created`` event published, so nobody is told of something that was
rolled back). A notification goes to named people and to everyone holding a capability in an
agency, resolved to people when it is sent: who was told is fixed at that moment, whatever
the grants say later.

Need-to-know: a notification is seen only by its recipients (anyone else gets a 404). The
sender decides who may be told about the record it links to; the record's own page still
applies its checks when the link is followed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import NotFound
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.notifications.models import Notification, NotificationRecipient, Severity
from bastion.org import capabilities
from bastion.org.models import Agency, User

KIND = "notification"
TRANSLATE = "_translate"  # the params key listing which params are message ids


@dataclass(frozen=True)
class Holders:
    """Everyone in ``agency_id`` (or one of its units) who holds ``capability``."""

    capability: str
    agency_id: int


Recipient = User | int | Holders


def resolve(session: Session, recipients: Iterable[Recipient]) -> list[User]:
    """People, in a stable order, each once; inactive and system accounts are never told."""
    people: dict[int, User] = {}
    ids = [r for r in recipients if isinstance(r, int)]
    named = [r for r in recipients if isinstance(r, User)]
    if ids:
        named += list(session.scalars(select(User).where(User.id.in_(ids))))
    for holders in (r for r in recipients if isinstance(r, Holders)):
        staff = session.scalars(select(User).join(Agency, Agency.id == User.agency_id).where(
            or_(Agency.id == holders.agency_id, Agency.parent_id == holders.agency_id,
                Agency.root_id == holders.agency_id)))
        named += [u for u in staff if capabilities.can(u, holders.capability)]
    for person in named:
        if person.active and not person.system:
            people.setdefault(person.id, person)
    return [people[i] for i in sorted(people)]


def _check_link(link: str | None) -> str | None:
    # A path inside Bastion only: never another site, never javascript:.
    if link is None:
        return None
    if not link.startswith("/") or link.startswith("//") or "\\" in link:
        raise ValueError(f"a notification links inside Bastion only: {link!r}")
    return link[:500]


def notify(session: Session, *, recipients: Iterable[Recipient], title: str, body: str = "",
           link: str | None = None, severity: Severity | str = Severity.INFO,
           record_kind: str | None = None, record_id: int | None = None,
           params: dict[str, Any] | None = None, translate: Iterable[str] = (),
           sender: User | None = None) -> Notification | None:
    """Tell people something. ``title`` and ``body`` are English message ids (mark them with
    ``lazy`` where written) with ``{name}`` fields filled from ``params`` when shown; the
    params named in ``translate`` are message ids too (a word like "landing"), the others are
    shown as given (a vessel's name). Returns None when nobody is left to tell."""
    people = resolve(session, list(recipients))
    if not people:
        return None
    notification = Notification(
        title=title[:200], body=body, link=_check_link(link),
        params={**(params or {}), **({TRANSLATE: sorted(translate)} if translate else {})},
        severity=Severity(severity), record_kind=record_kind, record_id=record_id,
        created_by_id=sender.id if sender else None)
    session.add(notification)
    session.flush()
    session.add_all(NotificationRecipient(notification_id=notification.id, user_id=p.id)
                    for p in people)
    session.flush()
    events.emit(session, kind="notification.created", actor_id=sender.id if sender else None,
                record_kind=KIND, record_id=notification.id,
                payload={"severity": notification.severity.value})
    return notification


def mine_query(user: User, *, unacknowledged: bool | None = None) -> Select[Any]:
    """The user's copies: unacknowledged first, then newest first."""
    query = (select(NotificationRecipient)
             .join(Notification, Notification.id == NotificationRecipient.notification_id)
             .where(NotificationRecipient.user_id == user.id))
    if unacknowledged is not None:
        pending = NotificationRecipient.acknowledged_at.is_(None)
        query = query.where(pending if unacknowledged else ~pending)
    return query.order_by(case((NotificationRecipient.acknowledged_at.is_(None), 0), else_=1),
                          Notification.created_at.desc(), Notification.id.desc())


def get_mine(session: Session, *, user: User, notification_id: int,
             mark_read: bool = True) -> NotificationRecipient:
    """The user's copy; 404 for anyone the notification was not sent to."""
    copy = session.scalar(select(NotificationRecipient).where(
        NotificationRecipient.notification_id == notification_id,
        NotificationRecipient.user_id == user.id))
    if copy is None:
        raise NotFound(_("No such notification."))
    if mark_read and copy.read_at is None:
        copy.read_at = utcnow()
    return copy


def acknowledge(session: Session, *, user: User, copy: NotificationRecipient,
                ) -> NotificationRecipient:
    """Acknowledging also marks it read; acknowledging twice keeps the first time."""
    now = utcnow()
    copy.read_at = copy.read_at or now
    if copy.acknowledged_at is None:
        copy.acknowledged_at = now
        events.emit(session, kind="notification.acknowledged", actor_id=user.id,
                    record_kind=KIND, record_id=copy.notification_id)
    session.flush()
    return copy


def counts(session: Session, *, user: User) -> dict[str, int]:
    """Unread and unacknowledged copies: the number in the top bar."""
    row = session.execute(select(
        func.count().filter(NotificationRecipient.read_at.is_(None)),
        func.count().filter(NotificationRecipient.acknowledged_at.is_(None)),
    ).where(NotificationRecipient.user_id == user.id)).one()
    return {"unread": row[0] or 0, "unacknowledged": row[1] or 0}


def shown(notification: Notification) -> tuple[str, str]:
    """Title and body in the reader's language, fields filled in."""
    return _fill(notification.title, notification.params), _fill(notification.body,
                                                                  notification.params)


def _fill(message: str, params: dict[str, Any]) -> str:
    if not message:
        return ""
    text = _(message)
    words = set(params.get(TRANSLATE, ()))
    values = {k: _(v) if k in words and isinstance(v, str) else v for k, v in params.items()}
    try:
        return text.format(**values) if params else text
    except (KeyError, IndexError, ValueError):
        return text  # a translation naming a field the sender did not give


def recipients_of(session: Session, notification: Notification) -> Sequence[int]:
    return session.scalars(select(NotificationRecipient.user_id).where(
        NotificationRecipient.notification_id == notification.id)).all()


def _may_see(session: Session, user: User, record_id: int) -> bool:
    """Only recipients' live streams hear of a notification."""
    return session.scalar(select(NotificationRecipient.id).where(
        NotificationRecipient.notification_id == record_id,
        NotificationRecipient.user_id == user.id)) is not None


events.register_visibility(KIND, _may_see)
register_labels(Severity, labels={Severity.INFO.value: lazy("Information"),
                                  Severity.WARNING.value: lazy("Warning"),
                                  Severity.URGENT.value: lazy("Urgent")})
register_labels(namespace="record_kind", labels={KIND: lazy("Notification")})
