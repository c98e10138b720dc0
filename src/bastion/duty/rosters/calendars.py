"""The calendars of duty rosters, read side: a roster's month (days down, units and shifts
across, the names in each cell) and a person's own duties across published rosters.

Need-to-know comes from ``duty.access``: the month of a roster is read only through
``find_roster`` (drafts for its planners; published rosters for its organisation, the partners
named in it and everyone standing on it), and a person's duties only from published rosters.
Days and shift times are local to the deployment's zone (``settings.timezone``); a shift
belongs to the date it starts. Shift times are shown in the reader's zone.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core import context
from bastion.core.errors import Invalid
from bastion.core.i18n import BABEL_LOCALES
from bastion.core.i18n import gettext as _
from bastion.duty import access
from bastion.duty.days import within as day_within
from bastion.duty.rosters.models import (
    Assignment,
    CalendarDay,
    DayKind,
    DutyPerson,
    DutyRole,
    Roster,
    RosterStatus,
    ShiftTemplate,
)
from bastion.org import capabilities
from bastion.org.models import Agency, User


def require_read(user: User) -> None:
    """Rosters and one's own duties are the function ``duty.roster.read`` (403 without)."""
    capabilities.require(user, "duty.roster.read")


def find_roster(session: Session, *, user: User, roster_id: int) -> Roster:
    require_read(user)
    return access.find_roster(session, user=user, roster_id=roster_id)


@dataclass
class Names:
    """Names of one organisation's roles, shifts and units, in one language."""

    language: str
    roles: dict[str, str] = field(default_factory=dict)
    shifts: dict[str, ShiftTemplate] = field(default_factory=dict)
    units: dict[int, Agency] = field(default_factory=dict)

    def role(self, code: str) -> str:
        return self.roles.get(code, code)

    def shift(self, code: str) -> str:
        template = self.shifts.get(code)
        return template.name if template is not None and template.name else code

    def unit(self, unit_id: int) -> str:
        agency = self.units.get(unit_id)
        return agency.display_name(self.language) if agency is not None else str(unit_id)


def names_of(session: Session, *, org_ids: set[int], unit_ids: set[int],
             language: str) -> dict[int, Names]:
    """Names per organisation (a person's duties may lie on several organisations' rosters)."""
    out = {org_id: Names(language=language) for org_id in org_ids}
    if not org_ids:
        return out
    units = {a.id: a for a in session.scalars(select(Agency).where(Agency.id.in_(unit_ids)))}
    for names in out.values():
        names.units = units
    for role in session.scalars(select(DutyRole).where(DutyRole.org_id.in_(org_ids))):
        out[role.org_id].roles[role.code] = (role.name_zh if language == "zh-CN"
                                             else role.name_en) or role.code
    for shift in session.scalars(select(ShiftTemplate).where(ShiftTemplate.org_id.in_(org_ids))):
        out[shift.org_id].shifts[shift.code] = shift
    return out


def _hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def shift_hours(template: ShiftTemplate | None, day: date, *, home: ZoneInfo,
                zone: ZoneInfo) -> tuple[str, str]:
    """A shift's local start and end on ``day`` (in the deployment's zone, ``home``), shown
    in the reader's zone."""
    if template is None:
        return "", ""
    start = datetime.combine(day, _hhmm(template.start), tzinfo=home)
    end = datetime.combine(day, _hhmm(template.end), tzinfo=home)
    if end <= start:
        end += timedelta(days=1)
    return start.astimezone(zone).strftime("%H:%M"), end.astimezone(zone).strftime("%H:%M")


@dataclass
class Day:
    date: date
    weekday: str
    rest: bool
    holiday: str | None  # the public holiday's or adjusted working day's name


def days_of(session: Session, *, first: date, count: int, language: str) -> list[Day]:
    last = first + timedelta(days=count - 1)
    special = {c.day: c for c in session.scalars(
        select(CalendarDay).where(CalendarDay.day >= first, CalendarDay.day <= last))}
    locale = BABEL_LOCALES.get(language, "en")
    out = []
    for i in range(count):
        d = first + timedelta(days=i)
        marked = special.get(d)
        rest = (marked.kind == DayKind.REST) if marked is not None else d.weekday() >= 5
        name = None
        if marked is not None:
            name = marked.name_zh if language == "zh-CN" else marked.name_en
        out.append(Day(date=d, weekday=format_date(d, "EEE", locale=locale), rest=rest,
                       holiday=name))
    return out


@dataclass
class Column:
    unit_id: int
    unit: str
    shift: str
    shift_name: str
    start: str
    end: str


@dataclass
class Entry:
    assignment_id: int
    person_id: int
    person: str
    role: str
    role_name: str
    pinned: bool
    mine: bool


@dataclass
class Month:
    roster: Roster
    days: list[Day]
    columns: list[Column]
    cells: dict[tuple[date, int, str], list[Entry]]
    people: int
    duties: int
    assignments: list[Assignment]
    names: Names

    def entries(self, day: date, column: Column) -> list[Entry]:
        return self.cells.get((day, column.unit_id, column.shift), [])

    def unit_groups(self) -> list[tuple[str, int]]:
        """(unit name, number of its shift columns), in column order."""
        groups: list[tuple[int, str, int]] = []
        for column in self.columns:
            if groups and groups[-1][0] == column.unit_id:
                groups[-1] = (column.unit_id, column.unit, groups[-1][2] + 1)
            else:
                groups.append((column.unit_id, column.unit, 1))
        return [(name, span) for _id, name, span in groups]


def roster_month(session: Session, *, roster: Roster, user: User, home: ZoneInfo,
                 language: str | None = None, zone: ZoneInfo | None = None) -> Month:
    """The whole horizon of a roster (a month, or any number of days) as a grid."""
    ctx = context.current()
    language = language or ctx.language
    zone = zone or ZoneInfo(ctx.timezone)
    rows = session.execute(
        select(Assignment, DutyPerson).join(DutyPerson, DutyPerson.id == Assignment.person_id)
        .where(Assignment.roster_id == roster.id)
        .order_by(Assignment.day, Assignment.unit_id, Assignment.shift_code,
                  Assignment.role_code, DutyPerson.name)).all()
    unit_ids = set(roster.unit_ids or []) | {a.unit_id for a, _p in rows}
    names = names_of(session, org_ids={roster.owner_org_id}, unit_ids=unit_ids,
                     language=language)[roster.owner_org_id]
    used_shifts = {a.shift_code for a, _p in rows}
    shift_codes = [s.code for s in sorted(names.shifts.values(), key=lambda s: (s.start, s.code))
                   if s.active or s.code in used_shifts]
    shift_codes += sorted(used_shifts - set(shift_codes))
    order = [u for u in (roster.unit_ids or []) if u in unit_ids]
    order += sorted(unit_ids - set(order), key=lambda u: names.unit(u))
    used = {(a.unit_id, a.shift_code) for a, _p in rows}
    columns = []
    for unit_id in order:
        # a unit shows the shifts it stands; one with no duty yet shows every shift
        standing = {code for u, code in used if u == unit_id}
        for code in shift_codes:
            if standing and code not in standing:
                continue
            start, end = shift_hours(names.shifts.get(code), roster.start, home=home, zone=zone)
            columns.append(Column(unit_id=unit_id, unit=names.unit(unit_id), shift=code,
                                  shift_name=names.shift(code), start=start, end=end))
    cells: dict[tuple[date, int, str], list[Entry]] = {}
    for a, person in rows:
        cells.setdefault((a.day, a.unit_id, a.shift_code), []).append(Entry(
            assignment_id=a.id, person_id=person.id, person=person.name, role=a.role_code,
            role_name=names.role(a.role_code), pinned=a.pinned,
            mine=person.user_id is not None and person.user_id == user.id))
    return Month(roster=roster, days=days_of(session, first=roster.start, count=roster.days,
                                            language=language),
                 columns=columns, cells=cells, people=len({p.id for _a, p in rows}),
                 duties=len(rows), assignments=[a for a, _p in rows], names=names)


# --- a person's own duties -----------------------------------------------------------------

def my_people(session: Session, *, user: User) -> list[DutyPerson]:
    """The duty people this user is (one per organisation whose rosters name them)."""
    return list(session.scalars(select(DutyPerson).where(DutyPerson.user_id == user.id)
                                .order_by(DutyPerson.id)))


def parse_month(value: str | None, *, today: date) -> date:
    """The first day of the month asked for (``YYYY-MM``); this month when none."""
    if not value:
        return today.replace(day=1)
    try:
        year, month = value.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        first = date(int(year), int(month), 1)
    except ValueError:
        raise Invalid(_("Enter a month as YYYY-MM."), field="month") from None
    return day_within(first, "month")


def month_span(first: date) -> tuple[date, date]:
    """The first and last day of the month that starts on ``first``."""
    return first, first.replace(day=_calendar.monthrange(first.year, first.month)[1])


def published_duties(session: Session, *, person_ids: list[int], first: date | None = None,
                     last: date | None = None, since: datetime | None = None
                     ) -> list[tuple[Assignment, Roster, DutyPerson]]:
    """Duties of these people on published rosters, by start."""
    if not person_ids:
        return []
    query = (select(Assignment, Roster, DutyPerson)
             .join(Roster, Roster.id == Assignment.roster_id)
             .join(DutyPerson, DutyPerson.id == Assignment.person_id)
             .where(Assignment.person_id.in_(person_ids),
                    Roster.status == RosterStatus.PUBLISHED)
             .order_by(Assignment.starts_at, Assignment.id))
    if first is not None:
        query = query.where(Assignment.day >= first)
    if last is not None:
        query = query.where(Assignment.day <= last)
    if since is not None:
        query = query.where(Assignment.ends_at >= since)
    return [tuple(row) for row in session.execute(query).all()]  # type: ignore[misc]


@dataclass
class Duty:
    assignment: Assignment
    roster: Roster
    person: DutyPerson
    shift: str
    shift_name: str
    role_name: str
    unit: str
    future: bool
    swap_to: list[DutyPerson] = field(default_factory=list)
    trade_for: list[tuple[Assignment, str]] = field(default_factory=list)


@dataclass
class PersonMonth:
    first: date
    last: date
    weeks: list[list[date | None]]
    duties: list[Duty]
    by_day: dict[date, list[Duty]]
    people: list[DutyPerson]
    can_swap: bool
    weekday_names: list[str]
    days: dict[date, Day]
    org_names: dict[int, str]

    @property
    def previous(self) -> str:
        return (self.first - timedelta(days=1)).strftime("%Y-%m")

    @property
    def next(self) -> str:
        return (self.last + timedelta(days=1)).strftime("%Y-%m")


def _weeks(first: date, last: date) -> list[list[date | None]]:
    weeks: list[list[date | None]] = []
    week: list[date | None] = [None] * first.weekday()
    d = first
    while d <= last:
        week.append(d)
        if len(week) == 7:
            weeks.append(week)
            week = []
        d += timedelta(days=1)
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks


def person_month(session: Session, *, user: User, first: date,
                 now: datetime | None = None, language: str | None = None) -> PersonMonth:
    """The user's own duties in the month starting ``first``, across published rosters;
    for each duty still ahead, whom it could be handed to (people of the same unit holding
    the role) and their duties on the same roster it could be traded for."""
    require_read(user)
    language = language or context.current().language
    now = now or datetime.now(UTC)
    first, last = month_span(first)
    people = my_people(session, user=user)
    rows = published_duties(session, person_ids=[p.id for p in people], first=first, last=last)
    names = names_of(session, org_ids={r.owner_org_id for _a, r, _p in rows},
                     unit_ids={a.unit_id for a, _r, _p in rows}, language=language)
    can_swap = capabilities.can(user, "duty.swap.request")
    duties = []
    for a, roster, person in rows:
        n = names[roster.owner_org_id]
        duties.append(Duty(assignment=a, roster=roster, person=person, shift=a.shift_code,
                           shift_name=n.shift(a.shift_code), role_name=n.role(a.role_code),
                           unit=n.unit(a.unit_id), future=a.starts_at > now))
    if can_swap:
        _swap_choices(session, [d for d in duties if d.future])
    by_day: dict[date, list[Duty]] = {}
    for duty in duties:
        by_day.setdefault(duty.assignment.day, []).append(duty)
    locale = BABEL_LOCALES.get(language, "en")
    monday = date(2024, 1, 1)
    return PersonMonth(first=first, last=last, weeks=_weeks(first, last), duties=duties,
                       by_day=by_day, people=people, can_swap=can_swap,
                       weekday_names=[format_date(monday + timedelta(days=i), "EEE",
                                                  locale=locale) for i in range(7)],
                       days={d.date: d for d in days_of(session, first=first,
                                                        count=(last - first).days + 1,
                                                        language=language)},
                       org_names={a.id: a.display_name(language) for a in session.scalars(
                           select(Agency).where(Agency.id.in_({p.org_id for p in people})))})


def _swap_choices(session: Session, duties: list[Duty]) -> None:
    if not duties:
        return
    candidates = list(session.scalars(
        select(DutyPerson).where(DutyPerson.active.is_(True),
                                 DutyPerson.org_id.in_({d.person.org_id for d in duties}))
        .order_by(DutyPerson.name, DutyPerson.id)))
    roster_ids = {d.roster.id for d in duties}
    theirs = session.execute(
        select(Assignment, DutyPerson).join(DutyPerson, DutyPerson.id == Assignment.person_id)
        .where(Assignment.roster_id.in_(roster_ids))
        .order_by(Assignment.starts_at, Assignment.id)).all()
    for duty in duties:
        a = duty.assignment
        duty.swap_to = [p for p in candidates
                        if p.id != duty.person.id and p.org_id == duty.person.org_id
                        and p.unit_id == a.unit_id and a.role_code in (p.roles or [])]
        allowed = {p.id for p in duty.swap_to}
        duty.trade_for = [(other, person.name) for other, person in theirs
                          if other.roster_id == a.roster_id and other.person_id in allowed
                          and other.unit_id == a.unit_id and other.role_code == a.role_code
                          and other.id != a.id]
