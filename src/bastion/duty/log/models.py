"""The duty log (值班日志), handovers (交接班) and online duty check-ins.

The log is append-only: an entry is never changed or deleted. It carries the five elements of
a call record (time; caller's unit, name and number; content; the leader's instruction and how
it was handled; who recorded it). Its progress through 接报-报告-传达-跟踪 (receive, report,
relay, follow up, closed) is a chain of steps, each a new row with its own deadline; a
correction is a new entry whose ``corrects_id`` points at the old one, which then reads as
corrected.

A handover lists the open items; the incoming officer confirms it before the outgoing one is
released, and an unconfirmed one escalates (``core.deadlines``). A check-in is the person on
online duty confirming presence; a missed one alarms the shift's duty leader.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.marking import MarkedMixin


class EntryKind(enum.StrEnum):
    CALL = "call"  # a phone call
    REPORT = "report"  # a report from a post, patrol or partner
    INSTRUCTION = "instruction"  # from above
    EVENT = "event"  # something that happened on duty
    NOTE = "note"


class Stage(enum.StrEnum):
    """接、报、传、跟 then closed."""

    RECEIVED = "received"
    REPORTED = "reported"
    RELAYED = "relayed"
    FOLLOWING_UP = "following_up"
    CLOSED = "closed"


class LogEntry(MarkedMixin, Base):
    __tablename__ = "duty_log_entry"
    record_kind: ClassVar[str] = "duty_log_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)  # offline re-upload
    unit_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[EntryKind] = mapped_column(str_enum_column(EntryKind), default=EntryKind.CALL)
    occurred_at: Mapped[datetime] = mapped_column(index=True)  # 1. time of the call
    caller_unit: Mapped[str] = mapped_column(String(200), default="")  # 2. caller's unit,
    caller_name: Mapped[str] = mapped_column(String(100), default="")  # name
    caller_number: Mapped[str] = mapped_column(String(40), default="")  # and number
    content: Mapped[str] = mapped_column(Text)  # 3. content
    instruction: Mapped[str] = mapped_column(Text, default="")  # 4. the leader's instruction
    handling: Mapped[str] = mapped_column(Text, default="")  # and how it was handled
    recorded_by_id: Mapped[int] = mapped_column(  # 5. who recorded it
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("duty_log_entry.id", ondelete="RESTRICT"), index=True)
    hotline_call_id: Mapped[int | None] = mapped_column(
        ForeignKey("hotline_call.id", ondelete="SET NULL"))
    exercise: Mapped[bool] = mapped_column(default=False)
    synthetic: Mapped[bool] = mapped_column(default=False)


class LogStep(Base):
    """One step of an entry through 接报-报告-传达-跟踪 (append-only), with the deadline for the
    next step. The entry's stage is its latest step's."""

    __tablename__ = "duty_log_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("duty_log_entry.id", ondelete="RESTRICT"),
                                          index=True)
    stage: Mapped[Stage] = mapped_column(str_enum_column(Stage))
    note: Mapped[str] = mapped_column(Text, default="")
    to_whom: Mapped[str] = mapped_column(String(200), default="")  # reported/relayed to
    next_due_at: Mapped[datetime | None] = mapped_column(index=True)
    by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    escalated_level: Mapped[int] = mapped_column(default=0)


class Handover(MarkedMixin, Base):
    """情况清、问题清、任务清: what the outgoing officer hands on, signed by both."""

    __tablename__ = "duty_handover"
    record_kind: ClassVar[str] = "duty_handover"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    roster_id: Mapped[int | None] = mapped_column(
        ForeignKey("duty_roster.id", ondelete="SET NULL"))
    shift_day: Mapped[str | None] = mapped_column(String(10))  # the outgoing shift, YYYY-MM-DD
    shift_code: Mapped[str | None] = mapped_column(String(16))
    outgoing_user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    incoming_user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"), index=True)
    situation: Mapped[str] = mapped_column(Text, default="")  # 情况
    problems: Mapped[str] = mapped_column(Text, default="")  # 问题
    tasks: Mapped[str] = mapped_column(Text, default="")  # 任务
    open_items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # snapshot
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime] = mapped_column(index=True)  # confirm by
    confirmed_at: Mapped[datetime | None]
    confirm_note: Mapped[str] = mapped_column(Text, default="")
    escalated_level: Mapped[int] = mapped_column(default=0)


class CheckIn(Base):
    """The person on online duty confirming presence (from a phone: its UUID and clock)."""

    __tablename__ = "duty_checkin"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("duty_assignment.id", ondelete="SET NULL"), index=True)
    device_at: Mapped[datetime | None]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (Index("ix_duty_checkin_user_at", "user_id", "at"),)


class MissedCheckIn(Base):
    """A check-in that did not come: one row per assignment and due time, so the alarm is
    raised once; ``acknowledged_*`` when the duty leader has seen it."""

    __tablename__ = "duty_missed_checkin"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("duty_assignment.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime]
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    leader_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    note: Mapped[str] = mapped_column(Text, default="")
