"""Notifications: who is told, what each of them has read and acknowledged.

Other domains call :func:`notify`; it never commits (the caller's transaction does, and only
then is the ``notification.created`` event published, so nobody is told of something that was
rolled back). A notification goes to named people and to everyone holding a capability in an
agency, resolved to people when it is sent: who was told is fixed at that moment, whatever
the grants say later.

A notification may also be addressed to an agency (``ForAgency``): everyone there is told,
and the first of them to acknowledge acknowledges for the agency (who and when are kept). A
ship agent is addressed so "for vessel X". With ``ack_within`` it has a deadline: an addressee
that has not acknowledged by then is reminded, and later the escalation recipients are told
(the ladder of ``core.deadlines``), by the ``notification-deadlines`` job (``watch.py``); each
reminder and escalation is kept. E-mails and text messages are written to an outbox with the
notification and sent after commit by the ``notification-outbox`` job (``outbox.py``).

Need-to-know: a notification is seen only by its recipients (anyone else gets a 404); its
sender and its escalation recipients see who was told and who acknowledged (the sender's
view). The sender decides who may be told about the record it links to; the record's own page
still applies its checks when the link is followed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from bastion.core import context, events
from bastion.core.db import utcnow
from bastion.core.deadlines import Ladder
from bastion.core.errors import Invalid, NotFound
from bastion.core.exercise import titled
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.notifications.models import (
    AddresseeKind,
    Channel,
    Notification,
    NotificationAddressee,
    NotificationContact,
    NotificationDelivery,
    NotificationRecipient,
    NotificationReminder,
    ReminderKind,
    Severity,
)
from bastion.org import capabilities
from bastion.org.models import Agency, User

KIND = "notification"
TRANSLATE = "_translate"  # the params key listing which params are message ids
TIMES = "_times"  # the params key listing which params are instants (ISO, UTC)


@dataclass(frozen=True)
class Holders:
    """Everyone in ``agency_id`` (or one of its units) who holds ``capability``."""

    capability: str
    agency_id: int


@dataclass(frozen=True)
class ForAgency:
    """An agency as one addressee: everyone in it (or one of its units; only the holders of
    ``capability`` when given) is told, and the first of them to acknowledge acknowledges for
    the agency. A ship agent is told so about one of its vessels: ``vessel`` names it."""

    agency_id: int
    vessel: str | None = None
    capability: str | None = None


Recipient = User | int | Holders | ForAgency

# Outside the app, by default: urgent by e-mail and text message, warnings by e-mail.
DEFAULT_CHANNELS = {Severity.URGENT: (Channel.EMAIL, Channel.SMS),
                    Severity.WARNING: (Channel.EMAIL,), Severity.INFO: ()}


def _staff(session: Session, agency_id: int, capability: str | None) -> list[User]:
    staff = session.scalars(select(User).join(Agency, Agency.id == User.agency_id).where(
        or_(Agency.id == agency_id, Agency.parent_id == agency_id,
            Agency.root_id == agency_id)).order_by(User.id))
    return [u for u in staff if u.active and not u.system
            and (capability is None or capabilities.can(u, capability))]


def resolve(session: Session, recipients: Iterable[Recipient]) -> list[User]:
    """People, in a stable order, each once; inactive and system accounts are never told."""
    people: dict[int, User] = {}
    for _addressee, members in _addressees(session, list(recipients)):
        for person in members:
            people.setdefault(person.id, person)
    return [people[i] for i in sorted(people)]


def _addressees(session: Session, recipients: list[Recipient],
                ) -> list[tuple[NotificationAddressee, list[User]]]:
    """Each addressee (not yet added to the session) with the people told for it."""
    found: list[tuple[NotificationAddressee, list[User]]] = []
    seen: set[tuple[Any, ...]] = set()
    ids = [r for r in recipients if isinstance(r, int) and not isinstance(r, bool)]
    named = [r for r in recipients if isinstance(r, User)]
    if ids:
        named += list(session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))
    for holders in (r for r in recipients if isinstance(r, Holders)):
        named += _staff(session, holders.agency_id, holders.capability)
    for person in named:
        if person.active and not person.system and ("p", person.id) not in seen:
            seen.add(("p", person.id))
            found.append((NotificationAddressee(kind=AddresseeKind.PERSON, user_id=person.id,
                                                agency_id=person.agency_id), [person]))
    for agency in (r for r in recipients if isinstance(r, ForAgency)):
        key = ("a", agency.agency_id, agency.vessel, agency.capability)
        if key in seen:
            continue
        seen.add(key)
        members = _staff(session, agency.agency_id, agency.capability)
        found.append((NotificationAddressee(
            kind=AddresseeKind.AGENCY, agency_id=agency.agency_id, capability=agency.capability,
            vessel=(agency.vessel or None) and agency.vessel[:100]), members))
    return found


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
           sender: User | None = None, ack_within: timedelta | None = None,
           escalate_to: Iterable[Recipient] = (), ladder: Ladder | None = None,
           channels: Iterable[Channel | str] | None = None, exercise: bool = False,
           reminder_of: Notification | None = None,
           times: Iterable[str] = ()) -> Notification | None:
    """Tell people something. ``title`` and ``body`` are English message ids (mark them with
    ``lazy`` where written) with ``{name}`` fields filled from ``params`` when shown; the
    params named in ``translate`` are message ids too (a word like "landing"), the others are
    shown as given (a vessel's name). Returns None when nobody is left to tell.

    ``recipients`` are people (``User`` or id), everyone holding a capability in an agency
    (``Holders``, each acknowledging for themself) and agencies (``ForAgency``: one
    acknowledgement counts for the agency; a ship agent "for vessel X").
    ``ack_within``: addressees that have not acknowledged by then are reminded; on the
    ``ladder`` (default: at the deadline, then once more late by ``ack_within``) the
    ``escalate_to`` people are told from level 2 on. ``channels``: "email" and "sms" besides
    the app (default by severity: urgent both, warning e-mail); sent after commit, to people
    whose contact has the address. ``exercise``: made in a drill, shown prefixed [EXERCISE].
    ``times``: the params that are instants (a datetime, or its ISO text); they are kept in UTC
    and shown in each reader's time zone (``instant`` makes one), as every time is."""
    recipients = list(recipients)
    addressees = _addressees(session, recipients)
    people: dict[int, User] = {}
    for _addressee, members in addressees:
        for person in members:
            people.setdefault(person.id, person)
    if not people:
        return None
    if ack_within is not None and ack_within <= timedelta(0):
        raise Invalid(_("Acknowledge within a time above zero."), field="ack_within")
    if ladder is None and ack_within is not None:
        ladder = Ladder((timedelta(0), ack_within))
    escalation = resolve(session, list(escalate_to)) if ack_within is not None else []
    notification = Notification(
        title=title[:200], body=body, link=_check_link(link),
        params=_params(params or {}, translate, times),
        severity=Severity(severity), record_kind=record_kind, record_id=record_id,
        created_by_id=sender.id if sender else None, exercise=exercise,
        ack_due_at=utcnow() + ack_within if ack_within is not None else None,
        escalate_after_s=[s.total_seconds() for s in ladder.after] if ladder and ack_within
        else [], escalate_to=[p.id for p in escalation],
        reminder_of_id=reminder_of.id if reminder_of is not None else None)
    session.add(notification)
    session.flush()
    first: dict[int, NotificationAddressee] = {}
    for addressee, members in addressees:
        addressee.notification_id = notification.id
        addressee.members = [m.id for m in members]
        session.add(addressee)
        session.flush()
        for member in members:
            first.setdefault(member.id, addressee)
    session.add_all(NotificationRecipient(notification_id=notification.id, user_id=p_id,
                                          addressee_id=first[p_id].id)
                    for p_id in sorted(people))
    _queue(session, notification, sorted(people), channels)
    session.flush()
    events.emit(session, kind="notification.created", actor_id=sender.id if sender else None,
                record_kind=KIND, record_id=notification.id,
                payload={"severity": notification.severity.value})
    return notification


def _queue(session: Session, notification: Notification, people: list[int],
           channels: Iterable[Channel | str] | None) -> None:
    """The outbox rows: one per person and channel with an address for it."""
    wanted = (DEFAULT_CHANNELS[notification.severity] if channels is None
              else tuple(Channel(c) for c in channels))
    if not wanted:
        return
    contacts = {c.user_id: c for c in session.scalars(select(NotificationContact).where(
        NotificationContact.user_id.in_(people)))}
    for person in people:
        contact = contacts.get(person)
        for channel in wanted:
            address = None if contact is None else (
                contact.email if channel == Channel.EMAIL else contact.phone)
            if address:
                session.add(NotificationDelivery(notification_id=notification.id,
                                                 user_id=person, channel=channel,
                                                 address=address))


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
    """Acknowledging also marks it read; acknowledging twice keeps the first time. It
    acknowledges for every addressee the user was told for: for an agency, its other people's
    copies are acknowledged too (by this user). Acknowledging a reminder acknowledges the
    notification it reminds of."""
    now = utcnow()
    copy.read_at = copy.read_at or now
    if copy.acknowledged_at is None:
        copy.acknowledged_at = now
        copy.acknowledged_by_id = user.id
        for addressee in session.scalars(select(NotificationAddressee).where(
                NotificationAddressee.notification_id == copy.notification_id,
                NotificationAddressee.acknowledged_at.is_(None)).order_by(
                NotificationAddressee.id)):
            if user.id not in (addressee.members or []):
                continue
            addressee.acknowledged_at, addressee.acknowledged_by_id = now, user.id
            if addressee.kind == AddresseeKind.AGENCY:
                for other in session.scalars(select(NotificationRecipient).where(
                        NotificationRecipient.notification_id == copy.notification_id,
                        NotificationRecipient.user_id.in_(addressee.members),
                        NotificationRecipient.acknowledged_at.is_(None))):
                    other.acknowledged_at, other.acknowledged_by_id = now, user.id
        events.emit(session, kind="notification.acknowledged", actor_id=user.id,
                    record_kind=KIND, record_id=copy.notification_id)
        original = copy.notification.reminder_of_id
        if original is not None:
            theirs = session.scalar(select(NotificationRecipient).where(
                NotificationRecipient.notification_id == original,
                NotificationRecipient.user_id == user.id))
            if theirs is not None:
                acknowledge(session, user=user, copy=theirs)
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
    return (titled(_fill(notification.title, notification.params), notification.exercise),
            _fill(notification.body, notification.params))


def instant(value: datetime) -> str:
    """A time for a notification's params: UTC, ISO (shown in the reader's zone)."""
    return value.astimezone(UTC).isoformat(timespec="minutes")


def _params(params: dict[str, Any], translate: Iterable[str],
            times: Iterable[str]) -> dict[str, Any]:
    out = dict(params)
    if translate:
        out[TRANSLATE] = sorted(translate)
    times = set(times) | set(params.get(TIMES, ()))  # a reminder keeps its original's
    for key in times:
        if isinstance(out.get(key), datetime):
            out[key] = instant(out[key])
    if times:
        out[TIMES] = sorted(times)
    return out


def _local(value: Any) -> Any:
    """An instant of the params in the reader's zone; anything else (``-``) as it is."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    return moment.astimezone(ZoneInfo(context.current().timezone)).strftime("%Y-%m-%d %H:%M")


def _fill(message: str, params: dict[str, Any]) -> str:
    if not message:
        return ""
    text = _(message)
    words = set(params.get(TRANSLATE, ()))
    times = set(params.get(TIMES, ()))
    values = {k: _(v) if k in words and isinstance(v, str) else _local(v) if k in times else v
              for k, v in params.items()}
    try:
        return text.format(**values) if params else text
    except (KeyError, IndexError, ValueError):
        return text  # a translation naming a field the sender did not give


def recipients_of(session: Session, notification: Notification) -> Sequence[int]:
    return session.scalars(select(NotificationRecipient.user_id).where(
        NotificationRecipient.notification_id == notification.id)).all()


# --- the sender's view -----------------------------------------------------------------

def sent_query(user: User) -> Select[Any]:
    """What the user sent (reminders aside), newest first."""
    return (select(Notification).where(Notification.created_by_id == user.id,
                                       Notification.reminder_of_id.is_(None))
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def _may_follow(notification: Notification, user: User) -> bool:
    return notification.created_by_id == user.id or user.id in (notification.escalate_to or [])


def get_sent(session: Session, *, user: User, notification_id: int) -> Notification:
    """A notification its sender or one of its escalation recipients follows; 404 for others."""
    notification = session.get(Notification, notification_id)
    if notification is None or not _may_follow(notification, user):
        raise NotFound(_("No such notification."))
    return notification


@dataclass
class Member:
    user_id: int
    name: str
    read_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None


@dataclass
class AddresseeState:
    id: int
    kind: AddresseeKind
    name: str  # a person (with their agency) or an agency
    vessel: str | None
    capability: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    overdue: bool
    level: int
    members: list[Member]
    reminders: list[NotificationReminder]


def follow_up(session: Session, notification: Notification, *,
              now: datetime | None = None) -> list[AddresseeState]:
    """Who was told, who acknowledged (who and when), who is overdue, per addressee."""
    now = now or utcnow()
    addressees = list(session.scalars(select(NotificationAddressee).where(
        NotificationAddressee.notification_id == notification.id).order_by(
        NotificationAddressee.id)))
    copies = {c.user_id: c for c in session.scalars(select(NotificationRecipient).where(
        NotificationRecipient.notification_id == notification.id))}
    wanted = set(copies) | {a.acknowledged_by_id for a in addressees if a.acknowledged_by_id}
    wanted |= {a.user_id for a in addressees if a.user_id}
    names = {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted)))}
    agencies = {a.id: a for a in session.scalars(select(Agency).where(Agency.id.in_(
        {a.agency_id for a in addressees if a.agency_id})))}
    reminders: dict[int, list[NotificationReminder]] = {}
    for row in session.scalars(select(NotificationReminder).where(
            NotificationReminder.notification_id == notification.id).order_by(
            NotificationReminder.at, NotificationReminder.id)):
        reminders.setdefault(row.addressee_id, []).append(row)

    def who(user_id: int | None) -> str | None:
        return names[user_id].display_name if user_id in names else None

    late = notification.ack_due_at is not None and now > notification.ack_due_at
    states = []
    for a in addressees:
        if a.kind == AddresseeKind.PERSON and a.user_id in names:
            person = names[a.user_id]
            name = f"{person.display_name} ({person.agency.name})"
        else:
            name = agencies[a.agency_id].name if a.agency_id in agencies else "?"
        members = [Member(m, who(m) or "?", copies[m].read_at if m in copies else None,
                          copies[m].acknowledged_at if m in copies else None,
                          who(copies[m].acknowledged_by_id) if m in copies else None)
                   for m in a.members or []]
        states.append(AddresseeState(
            id=a.id, kind=a.kind, name=name, vessel=a.vessel, capability=a.capability,
            acknowledged_at=a.acknowledged_at, acknowledged_by=who(a.acknowledged_by_id),
            overdue=late and a.acknowledged_at is None, level=a.level, members=members,
            reminders=reminders.get(a.id, [])))
    return states


# --- contacts ---------------------------------------------------------------------------

def contact_of(session: Session, user: User) -> NotificationContact:
    return session.get(NotificationContact, user.id) or NotificationContact(user_id=user.id)


def set_contact(session: Session, *, user: User, email: str | None,
                phone: str | None) -> NotificationContact:
    """The user's own e-mail and mobile number (empty: that channel is not used for them)."""
    contact = session.get(NotificationContact, user.id)
    if contact is None:
        contact = NotificationContact(user_id=user.id)
        session.add(contact)
    contact.email, contact.phone = (email or None), (phone or None)
    session.flush()
    return contact


def _may_see(session: Session, user: User, record_id: int) -> bool:
    """Recipients' live streams hear of a notification, and so do those following it (its
    sender and escalation recipients: their view of who acknowledged updates)."""
    if session.scalar(select(NotificationRecipient.id).where(
            NotificationRecipient.notification_id == record_id,
            NotificationRecipient.user_id == user.id)) is not None:
        return True
    notification = session.get(Notification, record_id)
    return notification is not None and _may_follow(notification, user)


events.register_visibility(KIND, _may_see)
register_labels(Severity, labels={Severity.INFO.value: lazy("Information"),
                                  Severity.WARNING.value: lazy("Warning"),
                                  Severity.URGENT.value: lazy("Urgent")})
register_labels(namespace="record_kind", labels={KIND: lazy("Notification")})
register_labels(ReminderKind, labels={ReminderKind.REMINDER.value: lazy("Reminder"),
                                      ReminderKind.ESCALATION.value: lazy("Escalation")})
register_labels(AddresseeKind, labels={AddresseeKind.PERSON.value: lazy("Person"),
                                       AddresseeKind.AGENCY.value: lazy("Agency")})
