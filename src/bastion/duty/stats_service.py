"""Duty statistics over a range of days (local to the deployment's zone, both ends included):

- duty hours per person and per agency (unit), from the assignments of PUBLISHED rosters the
  user may see (``access.rosters_query``); a duty crossing the range's edge counts for the
  hours inside it;
- hotline calls received in the range, by kind and by language, and the on-time closure rate
  over *the same calls* (``hotline.deadlines.closure_rate``): both by the day a call was
  received, so the rate is of the calls counted beside it (a call received on the 30th and due
  on the 1st counts in the month it came in, in both);
- duty-log entries by kind and by stage (an entry's latest step); an entry corrected by a
  later one is counted once, as the correction.

Exercise records are left out. Each section reads only what the user may see, and the hotline
and the log only for users who may read them (``None`` otherwise). Words are in the user's
language; the codes stay beside them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from bastion.core import context
from bastion.core.db import utcnow
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import LABELS, label, register_labels
from bastion.duty import access
from bastion.duty.days import within as day_within
from bastion.duty.hotline import deadlines
from bastion.duty.hotline import service as _hotline_words  # noqa: F401  (its labels)
from bastion.duty.hotline.models import CallKind, CallLanguage, HotlineCall
from bastion.duty.log.models import EntryKind, LogEntry, LogStep, Stage
from bastion.duty.rosters.models import Assignment, DutyPerson, Roster, RosterStatus
from bastion.org import capabilities
from bastion.org.models import Agency, User

MAX_DAYS = 366
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Range:
    start: date
    end: date  # included
    zone: ZoneInfo

    @property
    def first(self) -> datetime:
        return datetime.combine(self.start, time(0), self.zone).astimezone(UTC)

    @property
    def after(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time(0), self.zone).astimezone(UTC)


def parse_range(start: str | None, end: str | None, zone: ZoneInfo,
                today: date | None = None) -> Range:
    """``from`` and ``to`` as YYYY-MM-DD (default: the last 30 days to today); a bad date, a
    ``from`` after ``to`` or a range over 366 days is a 422 naming the field."""
    today = today or utcnow().astimezone(zone).date()

    def one(value: str | None, field: str) -> date | None:
        if value is None or not value.strip():
            return None
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise Invalid(_("Enter a date as YYYY-MM-DD."), field=field) from None
        return day_within(day, field)

    first, last = one(start, "from"), one(end, "to")
    last = last or today
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise Invalid(_("The first day comes after the last."), field="from")
    if (last - first).days + 1 > MAX_DAYS:
        raise Invalid(_("Choose at most %(days)s days.") % {"days": MAX_DAYS}, field="to")
    return Range(first, last, zone)


def _agency_names(session: Session, ids: set[int]) -> dict[int, str]:
    language = context.current().language
    return {a.id: a.display_name(language)
            for a in session.scalars(select(Agency).where(Agency.id.in_(ids or {0})))}


def duty_hours(session: Session, *, user: User, span: Range) -> dict[str, Any]:
    rosters = (access.rosters_query(user).where(Roster.status == RosterStatus.PUBLISHED)
               .with_only_columns(Roster.id))
    rows = session.execute(
        select(Assignment.person_id, DutyPerson.name, Assignment.unit_id, Assignment.starts_at,
               Assignment.ends_at)
        .join(DutyPerson, DutyPerson.id == Assignment.person_id)
        .where(Assignment.roster_id.in_(rosters.scalar_subquery()),
               Assignment.starts_at < span.after, Assignment.ends_at > span.first)).all()
    people: dict[int, dict[str, Any]] = {}
    units: dict[int, dict[str, float]] = defaultdict(lambda: {"hours": 0.0, "duties": 0})
    for person_id, name, unit_id, starts, ends in rows:
        hours = (min(ends, span.after) - max(starts, span.first)).total_seconds() / 3600
        row = people.setdefault(person_id, {"person_id": person_id, "name": name,
                                            "unit_id": unit_id, "hours": 0.0, "duties": 0})
        row["hours"] += hours
        row["duties"] += 1
        units[unit_id]["hours"] += hours
        units[unit_id]["duties"] += 1
    names = _agency_names(session, set(units) | {p["unit_id"] for p in people.values()})
    by_person = sorted(({**p, "hours": round(p["hours"], 2), "unit": names.get(p["unit_id"], "")}
                        for p in people.values()), key=lambda p: (-p["hours"], p["name"]))
    by_agency = sorted(({"agency_id": k, "agency": names.get(k, ""),
                         "hours": round(v["hours"], 2), "duties": int(v["duties"])}
                        for k, v in units.items()), key=lambda a: (-a["hours"], a["agency"]))
    return {"by_person": by_person, "by_agency": by_agency,
            "total_hours": round(sum(p["hours"] for p in by_person), 2),
            "total_duties": sum(p["duties"] for p in by_person)}


def _counted(counter: Counter, enum_cls: Any, name: str) -> list[dict[str, Any]]:
    return [{name: member.value, "label": label(member), "count": counter.get(member, 0)}
            for member in enum_cls]


def hotline(session: Session, *, user: User, span: Range, now: datetime) -> dict[str, Any]:
    received = session.scalars(access.hotline_query(user).where(
        HotlineCall.exercise.is_(False), HotlineCall.received_at >= span.first,
        HotlineCall.received_at < span.after)).all()
    return {"total": len(received), "counted_by": "received_at",
            "by_kind": _counted(Counter(c.kind for c in received), CallKind, "kind"),
            "by_language": _counted(Counter(c.language for c in received), CallLanguage,
                                    "language"),
            "closure": deadlines.closure_rate(received, now).as_dict()}


def duty_log(session: Session, *, user: User, span: Range) -> dict[str, Any]:
    later = aliased(LogEntry)
    corrected = select(later.id).where(later.corrects_id == LogEntry.id).exists()
    latest = (select(LogStep.stage).where(LogStep.entry_id == LogEntry.id)
              .order_by(LogStep.at.desc(), LogStep.id.desc()).limit(1).scalar_subquery())
    rows = session.execute(access.log_query(user).where(
        LogEntry.exercise.is_(False), ~corrected, LogEntry.occurred_at >= span.first,
        LogEntry.occurred_at < span.after).with_only_columns(LogEntry.kind, latest)).all()
    pairs = Counter((kind, Stage(stage) if stage else Stage.RECEIVED) for kind, stage in rows)
    return {"total": len(rows),
            "by_kind": _counted(Counter(k for k, _s in pairs.elements()), EntryKind, "kind"),
            "by_stage": _counted(Counter(s for _k, s in pairs.elements()), Stage, "stage"),
            "by_kind_and_stage": [
                {"kind": k.value, "kind_label": label(k), "stage": s.value,
                 "stage_label": label(s), "count": n}
                for (k, s), n in sorted(pairs.items(), key=lambda i: (i[0][0].value,
                                                                      list(Stage).index(i[0][1])))]}


def statistics(session: Session, *, user: User, span: Range,
               now: datetime | None = None) -> dict[str, Any]:
    """Everything the statistics page and API show (403 without ``duty.stats``)."""
    capabilities.require(user, "duty.stats")
    now = now or utcnow()
    return {
        "from": span.start.isoformat(), "to": span.end.isoformat(), "timezone": str(span.zone),
        "hours": duty_hours(session, user=user, span=span),
        "hotline": hotline(session, user=user, span=span, now=now)
        if capabilities.can(user, "duty.hotline.read") else None,
        "log": duty_log(session, user=user, span=span)
        if capabilities.can(user, "duty.log.read") else None,
    }


# The duty log's words, for a branch where the log room has not registered them yet (the log
# room's own registration replaces these when it is imported).
if EntryKind not in LABELS:
    register_labels(EntryKind, labels={
        EntryKind.CALL.value: lazy("Phone call"), EntryKind.REPORT.value: lazy("Report received"),
        EntryKind.INSTRUCTION.value: lazy("Instruction"), EntryKind.EVENT.value: lazy("Event"),
        EntryKind.NOTE.value: lazy("Note")})
if Stage not in LABELS:
    register_labels(Stage, labels={
        Stage.RECEIVED.value: lazy("Received and logged"), Stage.REPORTED.value: lazy("Reported"),
        Stage.RELAYED.value: lazy("Relayed"), Stage.FOLLOWING_UP.value: lazy("Following up"),
        Stage.CLOSED.value: lazy("Closed")})
