"""A person's duties as an iCalendar feed behind a revocable secret URL.

The URL carries a random token (``secrets.token_urlsafe``) shown once, when the feed is made;
only its SHA-256 is kept (``CalendarFeed.token_sha256``), so a copy of the database does not
give the feeds away. The feed needs no login (a calendar program cannot log in): the token is
the secret. Revoking sets ``revoked_at`` and the URL answers 404 from then on.

Who may make a feed: anyone with ``duty.roster.read`` for the duty person they are (their own);
a planner (``duty.roster.plan``) for a person of their organisation. Who may revoke: the person,
whoever made it, and the planners of the person's organisation. The feed holds only duties on
published rosters: one VEVENT per duty, its UID stable per assignment, times in UTC.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core.errors import Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.i18n import translations
from bastion.duty.rosters import calendars
from bastion.duty.rosters.models import CalendarFeed, DutyPerson
from bastion.org import capabilities
from bastion.org.models import User

RECORD_KIND = "duty_calendar_feed"
PRODID = "-//Bastion//24-hour duty//EN"
HISTORY = timedelta(days=92)  # how far back a feed reaches: a quarter of past duties


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _plans_person(user: User, person: DutyPerson) -> bool:
    return (capabilities.can(user, "duty.roster.plan")
            and person.org_id == user.organisation_id)


def _person_for(session: Session, *, user: User, person_id: int | None) -> DutyPerson:
    if person_id is None:
        mine = [p for p in calendars.my_people(session, user=user) if p.active]
        if not mine:
            raise Invalid(_("You are not on any duty roster."), field="person_id")
        if len(mine) > 1:
            raise Invalid(_("You stand duty for more than one organisation: choose the "
                            "person."), field="person_id")
        return mine[0]
    person = session.get(DutyPerson, person_id)
    if person is None or not (person.user_id == user.id or _plans_person(user, person)):
        raise NotFound(_("No such duty person."), field="person_id")
    if not person.active:
        raise Invalid(_("This person no longer stands duty."), field="person_id")
    return person


def create_feed(session: Session, *, user: User,
                person_id: int | None = None) -> tuple[CalendarFeed, str]:
    """A new feed and its token (shown once; only the digest is kept)."""
    calendars.require_read(user)
    person = _person_for(session, user=user, person_id=person_id)
    token = new_token()
    feed = CalendarFeed(person_id=person.id, token_sha256=digest(token), created_by_id=user.id,
                        created_at=datetime.now(UTC))
    session.add(feed)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=RECORD_KIND,
                 record_id=feed.id, summary=f"calendar feed for duty person {person.id}",
                 detail={"person_id": person.id})
    return feed, token


def feeds_query(user: User) -> Select[tuple[CalendarFeed]]:
    """The feeds this user may see and revoke: their own person's, the ones they made, and
    (a planner) those of their organisation's people."""
    mine = or_(DutyPerson.user_id == user.id, CalendarFeed.created_by_id == user.id)
    if capabilities.can(user, "duty.roster.plan"):
        mine = or_(mine, DutyPerson.org_id == user.organisation_id)
    return (select(CalendarFeed).join(DutyPerson, DutyPerson.id == CalendarFeed.person_id)
            .where(mine).order_by(CalendarFeed.created_at.desc(), CalendarFeed.id.desc()))


def my_feeds_query(user: User) -> Select[tuple[CalendarFeed]]:
    """What ``GET /api/v1/duty/feeds`` lists: feeds of the user's own person and the ones
    they made."""
    return (select(CalendarFeed).join(DutyPerson, DutyPerson.id == CalendarFeed.person_id)
            .where(or_(DutyPerson.user_id == user.id, CalendarFeed.created_by_id == user.id))
            .order_by(CalendarFeed.created_at.desc(), CalendarFeed.id.desc()))


def find_feed(session: Session, *, user: User, feed_id: int) -> CalendarFeed:
    calendars.require_read(user)
    feed = session.scalar(feeds_query(user).where(CalendarFeed.id == feed_id))
    if feed is None:
        raise NotFound(_("No such calendar feed."))
    return feed


def revoke_feed(session: Session, *, user: User, feed_id: int) -> CalendarFeed:
    feed = find_feed(session, user=user, feed_id=feed_id)
    if feed.revoked_at is None:
        feed.revoked_at = datetime.now(UTC)
        session.flush()
        audit.record(session, action=AuditAction.DELETE, actor=user, record_kind=RECORD_KIND,
                     record_id=feed.id, summary=f"calendar feed {feed.id} revoked",
                     detail={"person_id": feed.person_id})
    return feed


def feed_of_token(session: Session, token: str) -> CalendarFeed:
    """The live feed of a token; 404 for an unknown or revoked one (or a person gone)."""
    if not token or len(token) > 200:
        raise NotFound(_("No such calendar feed."))
    feed = session.scalar(
        select(CalendarFeed).join(DutyPerson, DutyPerson.id == CalendarFeed.person_id)
        .where(and_(CalendarFeed.token_sha256 == digest(token),
                    CalendarFeed.revoked_at.is_(None), DutyPerson.active.is_(True))))
    if feed is None:
        raise NotFound(_("No such calendar feed."))
    return feed


def summary(feed: CalendarFeed, person: DutyPerson | None = None) -> dict[str, Any]:
    return {"id": feed.id, "person_id": feed.person_id,
            "person": person.name if person is not None else None,
            "created_at": feed.created_at, "created_by_id": feed.created_by_id,
            "revoked_at": feed.revoked_at, "last_used_at": feed.last_used_at,
            "active": feed.revoked_at is None}


def ics(session: Session, *, feed: CalendarFeed, language: str,
        now: datetime | None = None) -> bytes:
    """The feed's calendar: one VEVENT per duty of the person on a published roster."""
    now = now or datetime.now(UTC)
    gettext = translations(language).gettext
    person = session.get(DutyPerson, feed.person_id)
    assert person is not None
    rows = calendars.published_duties(session, person_ids=[person.id], since=now - HISTORY)
    names = calendars.names_of(session, org_ids={r.owner_org_id for _a, r, _p in rows},
                               unit_ids={a.unit_id for a, _r, _p in rows}, language=language)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", gettext("Duty: %(person)s") % {"person": person.name})
    cal.add("x-published-ttl", "PT1H")
    for a, roster, _person in rows:
        n = names[roster.owner_org_id]
        event = Event()
        event.add("uid", f"duty-assignment-{a.id}@bastion")
        event.add("dtstamp", now)
        event.add("dtstart", a.starts_at.astimezone(UTC))
        event.add("dtend", a.ends_at.astimezone(UTC))
        event.add("summary", gettext("%(shift)s duty · %(role)s · %(unit)s") % {
            "shift": n.shift(a.shift_code), "role": n.role(a.role_code),
            "unit": n.unit(a.unit_id)})
        event.add("description", roster.name)
        event.add("location", n.unit(a.unit_id))
        event.add("sequence", roster.version or 0)
        if roster.published_at is not None:
            event.add("last-modified", roster.published_at.astimezone(UTC))
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    return cal.to_ical()
