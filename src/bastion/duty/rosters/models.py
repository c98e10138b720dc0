"""Who is on duty when: people, duty roles, shift templates, demand, requests, and rosters
with their assignments, swaps and calendar feeds.

A roster belongs to the organisation that makes it (the command, the station) and is a shared
record: the organisation sees it once published; partner agencies whose people stand on a
joint rotation (army, police) are named in its distribution. Drafts are seen by planners only
(``duty.access``). People need not have a login: auxiliaries are on the roster by name.

Rules are data, kept on the roster as JSON in the solver's shape (``duty.solver.problem``):
``min_rest_hours``, ``max_consecutive_nights``, ``max_nights_per_week``,
``max_consecutive_days``, ``min_days_off_per_week`` and the preference weights.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.marking import MarkedMixin


class DutyRole(Base):
    """A duty role (值班领导 duty leader, 值班员 duty officer, dispatch, ...), kept as data.

    ``leads``: whoever holds it on a shift is the shift's duty leader (missed check-ins and
    unconfirmed handovers go to them). ``checks_in``: whoever holds it confirms presence
    every ``duty.checkin_interval_min`` while the shift runs (online duty, 线上值守)."""

    __tablename__ = "duty_role"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    leads: Mapped[bool] = mapped_column(default=False)
    checks_in: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (UniqueConstraint("org_id", "code"),)


class DutyPerson(Base):
    """Someone who stands duty: a user of Bastion, or a named person without a login."""

    __tablename__ = "duty_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)  # DutyRole codes
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("org_id", "user_id"),)


class ShiftTemplate(Base):
    """A shift: code, local start and end ("HH:MM" in the organisation's zone). A shift whose
    end is not after its start ends the next day and is a night shift; it belongs to the
    date it starts."""

    __tablename__ = "duty_shift"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    start: Mapped[str] = mapped_column(String(5))
    end: Mapped[str] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (UniqueConstraint("org_id", "code"),)


class DayKind(enum.StrEnum):
    """Which days a demand row applies to; ``None`` on the row means every day."""

    WORKDAY = "workday"  # Monday-Friday not a holiday, and adjusted working days (调休)
    REST = "rest"  # weekends not adjusted, and public holidays


class Demand(Base):
    """How many people of a role a unit needs on a shift, on the weekdays listed (0 = Monday;
    empty = every day) and the kind of day (``None`` = both)."""

    __tablename__ = "duty_demand"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    shift_code: Mapped[str] = mapped_column(String(16))
    role_code: Mapped[str] = mapped_column(String(32))
    count: Mapped[int] = mapped_column(default=1)
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    day_kind: Mapped[DayKind | None] = mapped_column(str_enum_column(DayKind))


class CalendarDay(Base):
    """A public holiday or an adjusted working day (调休上班), from the State Council's notice
    for the year (shipped in ``duty/data/holidays.json``, editable)."""

    __tablename__ = "duty_calendar_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[DayKind] = mapped_column(str_enum_column(DayKind))  # rest = holiday
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))


class RequestKind(enum.StrEnum):
    OFF = "off"  # a day off granted: no shift may start on it (hard)
    PREFER_OFF = "prefer_off"  # rather not (soft, weighted)
    PREFER_ON = "prefer_on"  # would like to work it (soft, weighted)


class DutyRequest(Base):
    """A person's requested day off or preference for a day."""

    __tablename__ = "duty_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("duty_person.id", ondelete="CASCADE"),
                                           index=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[RequestKind] = mapped_column(str_enum_column(RequestKind))
    shift_code: Mapped[str | None] = mapped_column(String(16))  # None: any shift that day
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("person_id", "day", "kind", "shift_code"),)


class RosterStatus(enum.StrEnum):
    DRAFT = "draft"  # set up, not solved
    QUEUED = "queued"  # waiting for the solver job
    SOLVING = "solving"
    SOLVED = "solved"  # a plan is there (optimal or feasible), not yet published
    INFEASIBLE = "infeasible"  # explanation says why
    FAILED = "failed"  # time ran out with no plan, or the job failed
    PUBLISHED = "published"


class Roster(MarkedMixin, Base):
    """A month (or any horizon) of duty for an organisation's units."""

    __tablename__ = "duty_roster"
    record_kind: ClassVar[str] = "duty_roster"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    start: Mapped[date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(default=28)
    unit_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # the units it staffs
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[RosterStatus] = mapped_column(str_enum_column(RosterStatus),
                                                 default=RosterStatus.DRAFT, index=True)
    solve_status: Mapped[str | None] = mapped_column(String(16))  # optimal|feasible|...
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1 while solving
    progress_note: Mapped[str | None] = mapped_column(String(200))
    fairness_spread: Mapped[int | None]
    changes: Mapped[int | None]  # cells moved by the last re-solve against the plan before
    queued_at: Mapped[datetime | None]
    solved_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    version: Mapped[int] = mapped_column(default=0)  # +1 at each solve and each edit
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assignment(Base):
    """One person on one shift on one day in one role. ``pinned``: the supervisor fixed it;
    a re-solve keeps it."""

    __tablename__ = "duty_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("duty_roster.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    shift_code: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    role_code: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int] = mapped_column(ForeignKey("duty_person.id", ondelete="RESTRICT"),
                                           index=True)
    starts_at: Mapped[datetime]  # UTC, from the shift's local start on ``day``
    ends_at: Mapped[datetime]
    pinned: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (UniqueConstraint("roster_id", "person_id", "day"),
                      Index("ix_duty_assignment_roster_day", "roster_id", "day"),
                      Index("ix_duty_assignment_time", "starts_at", "ends_at"))


class SwapStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"
    CANCELLED = "cancelled"


class SwapRequest(Base):
    """A person asks to hand their duty to another (or to trade with one of theirs); a
    planner approves, and the approval is refused when it would break a hard rule."""

    __tablename__ = "duty_swap"

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("duty_roster.id", ondelete="CASCADE"),
                                           index=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("duty_assignment.id", ondelete="CASCADE"))
    to_person_id: Mapped[int] = mapped_column(ForeignKey("duty_person.id", ondelete="RESTRICT"))
    other_assignment_id: Mapped[int | None] = mapped_column(  # a trade: theirs comes back
        ForeignKey("duty_assignment.id", ondelete="CASCADE"))
    status: Mapped[SwapStatus] = mapped_column(str_enum_column(SwapStatus),
                                               default=SwapStatus.REQUESTED, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeed(Base):
    """A person's duties as an iCalendar feed behind a secret URL. Only the token's SHA-256
    is stored; revoking sets ``revoked_at`` and the URL answers 404 from then on."""

    __tablename__ = "duty_calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("duty_person.id", ondelete="CASCADE"),
                                           index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
