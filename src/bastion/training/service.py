"""Training, drills and meetings: record an event of a kind (``data/kinds.json``), generate a
weekly series, take attendance (idempotent by client id, so a phone can replay it), record
certificates, outcomes and follow-up items, and put injects into a drill run in exercise mode.

Need-to-know: reads start from ``training.access.events_query`` (404 when unseen); recording
needs ``training.record`` and the event's own unit (403). An event is GREEN to its own
organisation, shared by name with the other organisations taking part.

Exercise mode: only a drill may be run in exercise mode. The drill is a drill held (counted);
its injects are exercise records (``exercise`` true), told to the participants with the
``[EXERCISE]`` prefix (``core.exercise.titled``) and never counted.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import context, events
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.core.marking import TLP, Distribution
from bastion.notifications.service import Holders, notify, resolve
from bastion.org import capabilities
from bastion.org.models import Agency, User
from bastion.org.sharing import MarkingIn, apply_marking
from bastion.training import access, kinds
from bastion.training.models import (
    Attendance,
    Certificate,
    EventAgency,
    EventStatus,
    FollowUp,
    Inject,
    TrainingEvent,
)
from bastion.training.schemas import (
    AttendanceIn,
    AttendanceOut,
    CertificateIn,
    CertificateOut,
    EventDetail,
    EventIn,
    EventOut,
    EventUpdate,
    FollowUpIn,
    FollowUpOut,
    FollowUpUpdate,
    InjectIn,
    InjectOut,
    SeriesIn,
)

KIND = TrainingEvent.record_kind
MAX_SERIES = 120  # events one series action may make
INJECT_TITLE = lazy("Drill inject: {title}")  # shown prefixed [EXERCISE] (notify's exercise)
INJECT_BODY = lazy("{at}: {text}")


def zone() -> ZoneInfo:
    return ZoneInfo(context.current().timezone)


# --- reading ------------------------------------------------------------------------------

def list_query(user: User, *, category: str | None = None, kind: str | None = None,
               status: EventStatus | None = None, start: datetime | None = None,
               end: datetime | None = None) -> Select[tuple[TrainingEvent]]:
    """Events the user may read (403 without ``training.read``), newest first."""
    capabilities.require(user, "training.read")
    query = access.events_query(user)
    if category is not None:
        if category not in kinds.CATEGORIES:
            raise Invalid(_("Unknown category."), field="category")
        query = query.where(TrainingEvent.category == category)
    if kind is not None:
        query = query.where(TrainingEvent.kind == kinds.kind(kind).code)
    if status is not None:
        query = query.where(TrainingEvent.status == status)
    if start is not None:
        query = query.where(TrainingEvent.starts_at >= start)
    if end is not None:
        query = query.where(TrainingEvent.starts_at < end)
    return query.order_by(TrainingEvent.starts_at.desc(), TrainingEvent.id.desc())


def get(session: Session, *, user: User, event_id: int) -> TrainingEvent:
    return access.find_event(session, user=user, event_id=event_id)


def agency_ids(session: Session, event_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {i: [] for i in event_ids}
    for event_id, agency_id in session.execute(select(
            EventAgency.event_id, EventAgency.agency_id).where(
            EventAgency.event_id.in_(event_ids or [0])).order_by(EventAgency.id)):
        found[event_id].append(agency_id)
    return found


def public(event: TrainingEvent, agencies: list[int] | None = None) -> EventOut:
    return EventOut(
        id=event.id, client_id=event.client_id, kind=event.kind,
        kind_label=kinds.kind_label(event.kind), category=event.category,
        unit_id=event.unit_id, title=event.title, starts_at=event.starts_at,
        ends_at=event.ends_at, place=event.place, organiser=event.organiser,
        status=event.status, outcomes=event.outcomes, cancel_reason=event.cancel_reason,
        series=event.series, exercise_mode=event.exercise_mode, synthetic=event.synthetic,
        agency_ids=agencies or [])


def page_of(session: Session, rows: list[TrainingEvent]) -> list[EventOut]:
    found = agency_ids(session, [e.id for e in rows])
    return [public(e, found[e.id]) for e in rows]


def attendance_of(session: Session, event: TrainingEvent) -> list[Attendance]:
    return list(session.scalars(select(Attendance).where(Attendance.event_id == event.id)
                                .order_by(Attendance.name, Attendance.id)))


def follow_ups_of(session: Session, event: TrainingEvent) -> list[FollowUp]:
    return list(session.scalars(select(FollowUp).where(FollowUp.event_id == event.id)
                                .order_by(FollowUp.due_at, FollowUp.id)))


def detail(session: Session, event: TrainingEvent, now: datetime | None = None) -> EventDetail:
    now = now or utcnow()
    certificates = session.scalars(select(Certificate).where(
        Certificate.event_id == event.id).order_by(Certificate.id))
    injects = session.scalars(select(Inject).where(Inject.event_id == event.id)
                              .order_by(Inject.at, Inject.id))
    return EventDetail(
        **public(event, agency_ids(session, [event.id])[event.id]).model_dump(),
        attendance=[AttendanceOut(id=a.id, client_id=a.client_id, user_id=a.user_id,
                                  name=a.name, present=a.present, reason=a.reason,
                                  recorded_at=a.recorded_at)
                    for a in attendance_of(session, event)],
        certificates=[CertificateOut(id=c.id, skill=c.skill, skill_label=kinds.skill_label(
            c.skill), number=c.number, issuer=c.issuer, user_id=c.user_id,
            person_name=c.person_name, issued_on=c.issued_on) for c in certificates],
        follow_ups=[FollowUpOut(id=f.id, text=f.text, owner_id=f.owner_id,
                                owner_name=f.owner_name, due_at=f.due_at, done_at=f.done_at,
                                overdue=f.done_at is None and now > f.due_at,
                                escalated_level=f.escalated_level)
                    for f in follow_ups_of(session, event)],
        injects=[InjectOut(id=i.id, at=i.at, text=i.text, exercise=i.exercise,
                           by_user_id=i.by_user_id) for i in injects])


# --- recording an event -------------------------------------------------------------------

def _participants(session: Session, ids: list[int]) -> list[Agency]:
    wanted = sorted(set(ids))
    found = list(session.scalars(select(Agency).where(Agency.id.in_(wanted or [0]))))
    if len(found) != len(wanted):
        raise Invalid(_("One of the agencies taking part does not exist."), field="agency_ids")
    return found


def _share(session: Session, event: TrainingEvent, agencies: list[Agency]) -> None:
    session.query(EventAgency).filter(EventAgency.event_id == event.id).delete()
    for agency in agencies:
        session.add(EventAgency(event_id=event.id, agency_id=agency.id))
    outside = sorted({a.organisation_id for a in agencies} - {event.owner_org_id})
    apply_marking(session, event, MarkingIn(
        tlp=TLP.GREEN, distribution=Distribution.NAMED if outside else Distribution.OWN,
        agency_ids=outside))


def _replay(session: Session, user: User, data: EventIn) -> TrainingEvent | None:
    if data.client_id is None:
        return None
    stored = session.scalar(select(TrainingEvent).where(
        TrainingEvent.client_id == str(data.client_id)))
    if stored is None:
        return None
    if session.scalar(access.events_query(user).where(TrainingEvent.id == stored.id)) is None:
        raise Conflict(_("This client id is already used."), field="client_id")
    if stored.kind != data.kind or stored.starts_at != data.starts_at:
        raise Conflict(_("The event was sent before with different content."),
                       field="client_id")
    return stored


def create(session: Session, *, user: User, data: EventIn, series: str | None = None,
           synthetic: bool = False, now: datetime | None = None) -> tuple[TrainingEvent, bool]:
    """Record an event held (or to be held) by the user's unit. Returns the event and whether
    it is new (False: a replay of the same client id)."""
    capabilities.require(user, "training.record")
    now = now or utcnow()
    stored = _replay(session, user, data)
    if stored is not None:
        return stored, False
    kind = kinds.kind(data.kind)
    if data.exercise_mode and not kind.exercise:
        raise Invalid(_("Only a drill can be run in exercise mode."), field="exercise_mode")
    if data.ends_at is not None and data.ends_at < data.starts_at:
        raise Invalid(_("The event cannot end before it starts."), field="ends_at")
    agencies = _participants(session, data.agency_ids)
    event = TrainingEvent(
        client_id=str(data.client_id) if data.client_id else None, kind=kind.code,
        category=kind.category, unit_id=user.agency_id, owner_org_id=user.organisation_id,
        created_by_id=user.id, title=data.title.strip() or kind.label(),
        starts_at=data.starts_at, ends_at=data.ends_at, place=data.place.strip(),
        organiser=data.organiser.strip(),
        status=EventStatus.HELD if data.starts_at <= now else EventStatus.PLANNED,
        series=series, exercise_mode=data.exercise_mode, synthetic=synthetic, created_at=now)
    session.add(event)
    session.flush()
    _share(session, event, agencies)
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=event.id, summary=f"training event {event.id} ({event.kind})",
                 detail={"starts_at": event.starts_at.isoformat(),
                         "exercise_mode": event.exercise_mode})
    _emit(session, user, event, "recorded")
    return event, True


def series(session: Session, *, user: User, data: SeriesIn, synthetic: bool = False,
           now: datetime | None = None) -> list[TrainingEvent]:
    """One event on the given weekday of every week from ``first_day`` to ``last_day`` (both
    included), each a record of its own (attended or cancelled on its own)."""
    capabilities.require(user, "training.record")
    if data.last_day < data.first_day:
        raise Invalid(_("The period ends before it starts."), field="last_day")
    kind = kinds.kind(data.kind)
    day = data.first_day + timedelta(days=(data.weekday - data.first_day.weekday()) % 7)
    days = []
    while day <= data.last_day:
        days.append(day)
        day += timedelta(days=7)
    if not days:
        raise Invalid(_("No such weekday in the period."), field="weekday")
    if len(days) > MAX_SERIES:
        raise Invalid(_("At most %(n)s events at a time.") % {"n": MAX_SERIES},
                      field="last_day")
    hour, minute = (int(p) for p in data.time.split(":"))
    tag = str(uuid.uuid4())
    made = []
    for day in days:
        start = datetime.combine(day, time(hour, minute), tzinfo=zone()).astimezone(UTC)
        event, _new = create(session, user=user, synthetic=synthetic, now=now, series=tag,
                             data=EventIn(kind=kind.code, title=data.title,
                                          starts_at=start,
                                          ends_at=start + timedelta(minutes=data.minutes),
                                          place=data.place, organiser=data.organiser,
                                          agency_ids=data.agency_ids))
        made.append(event)
    return made


def update(session: Session, *, user: User, event_id: int, data: EventUpdate,
           now: datetime | None = None) -> TrainingEvent:
    """Outcomes, place, organiser; mark held or cancel (a reason is needed)."""
    event = get(session, user=user, event_id=event_id)
    access.require_records(user, event)
    changed = data.model_dump(exclude_none=True)
    if data.status == EventStatus.CANCELLED:
        reason = (data.cancel_reason or "").strip()
        if not reason:
            raise Invalid(_("Say why the event is cancelled."), field="cancel_reason")
        if session.scalar(select(Attendance.id).where(Attendance.event_id == event.id,
                                                      Attendance.present.is_(True)).limit(1)):
            raise Conflict(_("People attended this event: it cannot be cancelled."),
                           field="status")
        event.cancel_reason = reason
    if data.status == EventStatus.HELD and event.starts_at > (now or utcnow()):
        raise Invalid(_("An event cannot be held before it starts."), field="status")
    if data.status is not None:
        event.status = data.status
    for field in ("outcomes", "place", "organiser"):
        value = getattr(data, field)
        if value is not None:
            setattr(event, field, value.strip())
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=event.id, summary=f"training event {event.id} updated",
                 detail={k: str(v) for k, v in changed.items()})
    _emit(session, user, event, "updated")
    return event


# --- attendance ---------------------------------------------------------------------------

def record_attendance(session: Session, *, user: User, event_id: int, data: AttendanceIn,
                      now: datetime | None = None) -> tuple[Attendance, bool]:
    """A person present or absent (with the reason). The same person again replaces what was
    recorded (True: recorded now); the same client id again is a replay (False), with other
    content a 409."""
    event = get(session, user=user, event_id=event_id)
    access.require_records(user, event)
    now = now or utcnow()
    if data.client_id is not None:
        stored = session.scalar(select(Attendance).where(
            Attendance.client_id == str(data.client_id)))
        if stored is not None:
            if (stored.event_id != event.id or stored.user_id != data.user_id
                    or stored.present != data.present):
                raise Conflict(_("The attendance was sent before with different content."),
                               field="client_id")
            return stored, False
    if event.status == EventStatus.CANCELLED:
        raise Conflict(_("The event is cancelled."), field="status")
    name = data.name.strip()
    if data.user_id is not None:
        person = session.get(User, data.user_id)
        if person is None or person.system:
            raise Invalid(_("No such person."), field="user_id")
        name = person.display_name
        same = Attendance.user_id == person.id
    elif name:
        same = and_(Attendance.user_id.is_(None), Attendance.name == name)
    else:
        raise Invalid(_("Choose a person or write a name."), field="name")
    if not data.present and not data.reason.strip():
        raise Invalid(_("Say why the person is absent."), field="reason")
    row = session.scalar(select(Attendance).where(Attendance.event_id == event.id, same))
    if row is None:
        row = Attendance(event_id=event.id, user_id=data.user_id, name=name,
                         recorded_by_id=user.id)
        session.add(row)
    row.client_id = str(data.client_id) if data.client_id else row.client_id
    row.present, row.reason = data.present, "" if data.present else data.reason.strip()
    row.recorded_at, row.device_at = now, data.device_at
    if event.status == EventStatus.PLANNED and event.starts_at <= now and data.present:
        event.status = EventStatus.HELD
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=event.id, summary=f"training event {event.id}: attendance of {name}",
                 detail={"present": row.present})
    _emit(session, user, event, "attendance")
    return row, True


def attendance_kit(session: Session, *, user: User, event_id: int) -> dict[str, Any]:
    """What the phone needs to take attendance with no network: the event and the people of
    the units taking part (and of the holding unit)."""
    event = get(session, user=user, event_id=event_id)
    access.require_records(user, event)
    units = {event.unit_id, *agency_ids(session, [event.id])[event.id]}
    people = session.scalars(select(User).join(Agency, Agency.id == User.agency_id).where(
        Agency.id.in_(units), User.active.is_(True), User.system.is_(False))
        .order_by(User.display_name).limit(500))
    done = {a.user_id or a.name: a for a in attendance_of(session, event)}
    return {"event": {"id": event.id, "title": event.title,
                      "kind_label": kinds.kind_label(event.kind),
                      "starts_at": event.starts_at.isoformat(),
                      "exercise_mode": event.exercise_mode},
            "people": [{"id": p.id, "name": p.display_name} for p in people],
            "recorded": [{"user_id": a.user_id, "name": a.name, "present": a.present,
                          "reason": a.reason} for a in done.values()]}


def field_kit(session: Session, *, user: User, now: datetime | None = None) -> dict[str, Any]:
    """The phone's kit: the events the user records from two days ago to a week ahead (not
    cancelled, at most 20), each with its people and what is already recorded."""
    capabilities.require(user, "training.record")
    now = now or utcnow()
    rows = session.scalars(list_query(user, start=now - timedelta(days=2),
                                      end=now + timedelta(days=7)).where(
        TrainingEvent.status != EventStatus.CANCELLED).limit(60))
    mine = [e for e in rows if access.records(user, e)][:20]
    return {"events": [attendance_kit(session, user=user, event_id=e.id) for e in mine]}


# --- certificates, follow-ups, injects ----------------------------------------------------

def add_certificate(session: Session, *, user: User, event_id: int,
                    data: CertificateIn) -> Certificate:
    event = get(session, user=user, event_id=event_id)
    access.require_records(user, event)
    if event.category != "skills":
        raise Invalid(_("Certificates are earned at a skills training."), field="event")
    if data.skill not in kinds.skills():
        raise Invalid(_("Unknown skill."), field="skill")
    name = data.person_name.strip()
    if data.user_id is not None:
        person = session.get(User, data.user_id)
        if person is None or person.system:
            raise Invalid(_("No such person."), field="user_id")
        name = person.display_name
    if not name:
        raise Invalid(_("Choose a person or write a name."), field="person_name")
    if session.scalar(select(Certificate.id).where(Certificate.issuer == data.issuer.strip(),
                                                   Certificate.number == data.number.strip())):
        raise Conflict(_("This issuer has already issued a certificate with this number."),
                       field="number")
    row = Certificate(event_id=event.id, skill=data.skill, number=data.number.strip(),
                      issuer=data.issuer.strip(), user_id=data.user_id, person_name=name,
                      issued_on=data.issued_on, created_by_id=user.id)
    session.add(row)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=event.id, summary=f"training event {event.id}: certificate "
                 f"{row.number} ({row.skill})")
    _emit(session, user, event, "certificate")
    return row


def add_follow_up(session: Session, *, user: User, event_id: int, data: FollowUpIn) -> FollowUp:
    event = get(session, user=user, event_id=event_id)
    access.require_records(user, event)
    name = data.owner_name.strip()
    if data.owner_id is not None:
        person = session.get(User, data.owner_id)
        if person is None or person.system or person.organisation_id != event.owner_org_id:
            raise Invalid(_("The owner must be a person of the organisation holding the "
                            "event."), field="owner_id")
        name = person.display_name
    if not name:
        raise Invalid(_("Choose an owner or write a name."), field="owner_name")
    row = FollowUp(event_id=event.id, text=data.text.strip(), owner_id=data.owner_id,
                   owner_name=name, due_at=data.due_at, created_by_id=user.id)
    session.add(row)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=event.id, summary=f"training event {event.id}: follow-up {row.id}")
    _emit(session, user, event, "follow_up")
    return row


def set_follow_up(session: Session, *, user: User, event_id: int, follow_up_id: int,
                  data: FollowUpUpdate, now: datetime | None = None) -> FollowUp:
    event = get(session, user=user, event_id=event_id)
    row = session.scalar(select(FollowUp).where(FollowUp.id == follow_up_id,
                                                FollowUp.event_id == event.id))
    if row is None:
        raise NotFound(_("No such follow-up item."))
    if not (access.records(user, event) or row.owner_id == user.id):
        access.require_records(user, event)
    row.done_at = (now or utcnow()) if data.done else None
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=event.id,
                 summary=f"training event {event.id}: follow-up {row.id} "
                 f"{'done' if data.done else 'reopened'}")
    _emit(session, user, event, "follow_up")
    return row


def add_inject(session: Session, *, user: User, event_id: int, data: InjectIn,
               now: datetime | None = None) -> Inject:
    """A scenario event or simulated report on a drill's timeline, told to the participants
    with the exercise mark. Only a drill run in exercise mode takes injects (409)."""
    event = get(session, user=user, event_id=event_id)
    access.require_records(user, event)
    if not event.exercise_mode:
        raise Conflict(_("Only a drill run in exercise mode takes injects."),
                       field="exercise_mode")
    now = now or utcnow()
    row = Inject(event_id=event.id, at=data.at or now, text=data.text.strip(),
                 by_user_id=user.id, exercise=True, created_at=now)
    session.add(row)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=event.id, summary=f"training event {event.id}: inject {row.id} "
                 "(exercise)")
    people = participants(session, event)
    if people:
        notify(session, recipients=people, sender=user,
               title=INJECT_TITLE, body=INJECT_BODY, exercise=True, times=("at",),
               params={"title": event.title, "text": row.text[:300], "at": row.at},
               link=f"/training/events/{event.id}", record_kind=KIND, record_id=event.id)
    _emit(session, user, event, "inject", exercise=True)
    return row


def participants(session: Session, event: TrainingEvent) -> list[User]:
    """Who is told about the event: people recorded as attending, and the training readers of
    the units taking part and of the holding unit, each only if they may open the event."""
    units = {event.unit_id, *agency_ids(session, [event.id])[event.id]}
    wanted: list[Any] = [Holders("training.read", u) for u in sorted(units)]
    wanted += [a.user_id for a in attendance_of(session, event) if a.user_id]
    return [p for p in resolve(session, wanted)
            if capabilities.can(p, "training.read") and session.scalar(
                access.events_query(p).where(TrainingEvent.id == event.id)
                .with_only_columns(TrainingEvent.id)) is not None]


def _emit(session: Session, user: User | None, event: TrainingEvent, action: str,
          **extra: Any) -> None:
    events.emit(session, kind=f"training.{action}", actor_id=user.id if user else None,
                record_kind=KIND, record_id=event.id,
                payload={"kind": event.kind, "status": event.status.value,
                         "exercise_mode": event.exercise_mode, **extra})


def per_month(session: Session, *, user: User, category: str, year: int) -> dict[str, Any]:
    """Events of a category per month of a year (days in the zone), by kind: the chart.
    Cancelled events are left out."""
    first = datetime(year, 1, 1, tzinfo=zone()).astimezone(UTC)
    after = datetime(year + 1, 1, 1, tzinfo=zone()).astimezone(UTC)
    rows = session.scalars(list_query(user, category=category, start=first, end=after).where(
        TrainingEvent.status != EventStatus.CANCELLED)).all()
    codes = [k.code for k in kinds.of_category(category)]
    counts = {code: [0] * 12 for code in codes}
    for event in rows:
        month = event.starts_at.astimezone(zone()).month
        counts.setdefault(event.kind, [0] * 12)[month - 1] += 1
    return {"year": year, "months": [f"{year}-{m:02d}" for m in range(1, 13)],
            "series": [{"kind": code, "label": kinds.kind_label(code), "data": counts[code]}
                       for code in counts]}


def local_day(value: date) -> datetime:
    return datetime.combine(value, time(0), tzinfo=zone()).astimezone(UTC)


register_labels(EventStatus, labels={
    EventStatus.PLANNED.value: lazy("Planned"), EventStatus.HELD.value: lazy("Held"),
    EventStatus.CANCELLED.value: lazy("Cancelled")})
register_labels(namespace="record_kind", labels={KIND: lazy("Training event")})
