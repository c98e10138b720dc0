"""A joint operation for a major event (重大活动联合稳控): its period and area, the agencies
taking part, its posts and tasks, the patrols and duty it adds (links to border patrols and
duty rosters, by id: a domain never holds another's models), and its append-only log."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.exercise import ExerciseMixin


class Operation(ExerciseMixin, Base):
    """Planned by a command (``owner_org_id``); seen by it and by the participating agencies."""

    __tablename__ = "operation"
    record_kind = "operation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    area: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # a GeoJSON (Multi)Polygon
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                              index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Participant(Base):
    __tablename__ = "operation_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operation.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                           index=True)
    role: Mapped[str] = mapped_column(String(200), default="")  # what it does in the operation

    __table_args__ = (UniqueConstraint("operation_id", "agency_id"),)


class Post(Base):
    """A post (卡点, 执勤点) held during the operation."""

    __tablename__ = "operation_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operation.id", ondelete="CASCADE"),
                                              index=True)
    name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    lat: Mapped[float]
    lon: Mapped[float]
    staff: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")


class TaskStatus(enum.StrEnum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"


class Task(Base):
    __tablename__ = "operation_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operation.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    owner_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    due_at: Mapped[datetime | None]
    status: Mapped[TaskStatus] = mapped_column(str_enum_column(TaskStatus),
                                               default=TaskStatus.TODO)
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_operation_task_operation_status", "operation_id", "status"),)


class LinkKind(enum.StrEnum):
    PATROL = "patrol"  # a border patrol (border.patrols), planned for the operation or linked
    ROSTER = "roster"  # a duty roster (duty.rosters) with the extra duty


class Link(Base):
    """A patrol or duty roster the operation adds, by its id in its own domain."""

    __tablename__ = "operation_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operation.id", ondelete="CASCADE"))
    kind: Mapped[LinkKind] = mapped_column(str_enum_column(LinkKind))
    ref_id: Mapped[int]
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("operation_id", "kind", "ref_id"),)


class LogEntry(Base):
    """What happened, as said by whom and when: never changed, never deleted."""

    __tablename__ = "operation_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operation.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_operation_log_operation_at", "operation_id", "at"),)
