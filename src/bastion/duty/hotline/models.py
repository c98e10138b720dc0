"""The 24-hour hotline (24小时紧急援助热线): each call is a case with a deadline, tracked to
closure ("一号接听、接听即办、一办到底"); the rate closed on time is reported.

A call is a shared record of the organisation that runs the line. Its deadline follows from its
kind (``duty/data/hotline.json``: an emergency within the hour, an enquiry within a working
day, ...); its history is a chain of actions, append-only.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.marking import MarkedMixin


class CallLanguage(enum.StrEnum):
    ZH = "zh"
    EN = "en"
    VI = "vi"


class CallKind(enum.StrEnum):
    EMERGENCY = "emergency"  # 紧急求助: injured or sick crew, distress, danger
    REPORT = "report"  # 举报: smuggling, illegal crossing, suspicious persons
    ENQUIRY = "enquiry"  # 咨询: procedures, documents, clearance
    COMPLAINT = "complaint"  # 投诉
    OTHER = "other"


class CallStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class HotlineCall(MarkedMixin, Base):
    __tablename__ = "hotline_call"
    record_kind: ClassVar[str] = "hotline_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    language: Mapped[CallLanguage] = mapped_column(str_enum_column(CallLanguage))
    kind: Mapped[CallKind] = mapped_column(str_enum_column(CallKind), index=True)
    caller_name: Mapped[str] = mapped_column(String(100), default="")
    caller_number: Mapped[str] = mapped_column(String(40), default="")
    summary: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[CallStatus] = mapped_column(str_enum_column(CallStatus),
                                               default=CallStatus.OPEN, index=True)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    closed_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(Text, default="")
    taken_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    escalated_level: Mapped[int] = mapped_column(default=0)
    exercise: Mapped[bool] = mapped_column(default=False)
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CallAction(Base):
    """What was done about a call: accepted, assigned, progress note, called back, closed,
    reopened. Append-only."""

    __tablename__ = "hotline_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("hotline_call.id", ondelete="CASCADE"),
                                         index=True)
    action: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
