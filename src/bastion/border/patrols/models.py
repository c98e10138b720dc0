"""Patrols after SMART's model (patrol -> members, transport -> track + waypoints ->
observations from a category tree with typed attributes), with the Chinese checkpoint-patrol
(巡更) model on top: planned checkpoints with time windows, check-ins by geofence or QR code.

A patrol is a shared record: the command's organisation owns it; it is tied to its segment
(``AreaMixin``: a post given segments sees only its own segments' patrols); a joint patrol is
shared by name with the partner agencies that took part (police, army).

Everything a phone makes offline carries the phone's UUID (``client_id``), unique, so a
re-upload finds the stored row and changes nothing; device times are kept beside server times.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.marking import AreaMixin, MarkedMixin


class Period(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Transport(enum.StrEnum):
    """Each with the highest believable speed (track cleaning; settings may override)."""

    FOOT = "foot"
    VEHICLE = "vehicle"
    MOTORBIKE = "motorbike"
    BOAT = "boat"
    DRONE = "drone"


class PatrolStatus(enum.StrEnum):
    PLANNED = "planned"
    UNDER_WAY = "under_way"
    PAUSED = "paused"
    ENDED = "ended"
    CANCELLED = "cancelled"


class PatrolTarget(Base):
    """What the command asks of a post (and optionally one segment) per period: e.g. six
    patrols a day of 90 minutes, or segment D-03 at least three times a week."""

    __tablename__ = "patrol_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                              index=True)
    post_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                                index=True)
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("defence_segment.id", ondelete="CASCADE"))
    period: Mapped[Period] = mapped_column(str_enum_column(Period))
    min_patrols: Mapped[int] = mapped_column(default=1)
    min_minutes: Mapped[int] = mapped_column(default=0)  # each patrol at least this long
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Patrol(MarkedMixin, AreaMixin, Base):
    """A planned or actual patrol. Planned ones have ``planned_start``/``planned_end``; a
    patrol started without a plan has none (it counts as effort, not against a plan)."""

    __tablename__ = "patrol"
    record_kind: ClassVar[str] = "patrol"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)  # UUID, made by whoever made it
    post_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                                index=True)
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("defence_segment.id", ondelete="SET NULL"), index=True)
    status: Mapped[PatrolStatus] = mapped_column(str_enum_column(PatrolStatus),
                                                 default=PatrolStatus.PLANNED, index=True)
    objective: Mapped[str] = mapped_column(Text, default="")
    transport: Mapped[Transport] = mapped_column(str_enum_column(Transport),
                                                 default=Transport.FOOT)
    joint: Mapped[bool] = mapped_column(default=False)  # 军警民联巡: members of several agencies
    planned_start: Mapped[datetime | None] = mapped_column(index=True)
    planned_end: Mapped[datetime | None]
    route: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # planned route, GeoJSON line
    started_at: Mapped[datetime | None] = mapped_column(index=True)  # server time
    started_device_at: Mapped[datetime | None]  # the phone's clock
    ended_at: Mapped[datetime | None]
    ended_device_at: Mapped[datetime | None]
    # Kept up to date as track chunks arrive: the measures read them without the points.
    distance_m: Mapped[float] = mapped_column(Float, default=0.0)
    moving_s: Mapped[float] = mapped_column(Float, default=0.0)  # started..ended less pauses
    last_lon: Mapped[float | None] = mapped_column(Float)
    last_lat: Mapped[float | None] = mapped_column(Float)
    last_fix_at: Mapped[datetime | None]
    synthetic: Mapped[bool] = mapped_column(default=False)  # demo data, labelled SYNTHETIC
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PatrolMember(Base):
    """Who patrols: a user of Bastion or a named person of a partner agency."""

    __tablename__ = "patrol_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrol.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id",
                                                           ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(100))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    is_leader: Mapped[bool] = mapped_column(default=False)
    is_pilot: Mapped[bool] = mapped_column(default=False)  # drives, steers or flies


class PlannedCheckpoint(Base):
    """A checkpoint a patrol is to visit, in order, with the window (UTC) the visit counts in."""

    __tablename__ = "patrol_planned_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrol.id", ondelete="CASCADE"),
                                           index=True)
    checkpoint_id: Mapped[int] = mapped_column(
        ForeignKey("border_checkpoint.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime | None]
    window_end: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("patrol_id", "checkpoint_id"),)


class StatusChange(Base):
    """Start, pause, resume, end: each with the phone's time and, when it had one, a fix."""

    __tablename__ = "patrol_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrol.id", ondelete="CASCADE"),
                                           index=True)
    action: Mapped[str] = mapped_column(String(16))  # start | pause | resume | end | cancel
    device_at: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id",
                                                              ondelete="RESTRICT"))


class TrackChunk(Base):
    """A run of fixes uploaded at once (a phone's batch, or one GPX ``trkseg``).

    ``points`` is ``[[epoch_seconds, lon, lat, accuracy_m|null], ...]`` in time order, kept as
    received (after GCJ-02 conversion when the user asked for it); ``removed`` lists what
    cleaning dropped, ``[[index, reason], ...]`` (reason: "outlier", "speed", "accuracy",
    "time"), so the page can show it; ``kept`` is the number of points that remain."""

    __tablename__ = "patrol_track_chunk"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrol.id", ondelete="CASCADE"),
                                           index=True)
    source: Mapped[str] = mapped_column(String(16), default="phone")  # phone | gpx | message
    converted_from: Mapped[str | None] = mapped_column(String(16))  # "gcj02"
    points: Mapped[list[list[Any]]] = mapped_column(JSON)
    removed: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)
    kept: Mapped[int] = mapped_column(default=0)
    first_at: Mapped[datetime | None]
    last_at: Mapped[datetime | None]
    distance_m: Mapped[float] = mapped_column(Float, default=0.0)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class CheckIn(Base):
    """A visit to a checkpoint. ``method``: geofence (a fix within the radius), qr (the
    printed code was scanned), message (a short text by SMS or Beidou)."""

    __tablename__ = "patrol_check_in"
    record_kind: ClassVar[str] = "patrol_check_in"  # photos hang on it (attachments)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrol.id", ondelete="CASCADE"),
                                           index=True)
    checkpoint_id: Mapped[int] = mapped_column(
        ForeignKey("border_checkpoint.id", ondelete="RESTRICT"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    device_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)  # from the checkpoint
    within_radius: Mapped[bool] = mapped_column(default=False)
    within_window: Mapped[bool] = mapped_column(default=False)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id",
                                                              ondelete="RESTRICT"))


class ObservationCategory(Base):
    """A node of the observation tree (suspicious persons, smuggling trail, damaged fence,
    hazard ...), kept as data per organisation. ``attributes`` is a list of typed fields:
    ``{"key", "type": numeric|text|list|multi_list|boolean|date, "required", "min", "max",
    "regex", "options": [{"code", "zh", "en"}], "zh", "en"}`` (SMART's dm_attribute)."""

    __tablename__ = "observation_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                              index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("observation_category.id", ondelete="RESTRICT"))
    code: Mapped[str] = mapped_column(String(64))
    label_zh: Mapped[str] = mapped_column(String(100))
    label_en: Mapped[str] = mapped_column(String(100))
    attributes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (UniqueConstraint("owner_org_id", "code"),)


class Observation(Base):
    """Something seen on patrol: a category, its validated attributes, where and when."""

    __tablename__ = "patrol_observation"
    record_kind: ClassVar[str] = "patrol_observation"  # photos hang on it (attachments)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrol.id", ondelete="CASCADE"),
                                           index=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("observation_category.id", ondelete="RESTRICT"), index=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    device_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id",
                                                              ondelete="RESTRICT"))


class Sos(Base):
    """A call for help from the field: alarms the command and the post until acknowledged."""

    __tablename__ = "patrol_sos"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    patrol_id: Mapped[int | None] = mapped_column(ForeignKey("patrol.id", ondelete="CASCADE"),
                                                  index=True)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                              index=True)
    post_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id",
                                                                  ondelete="RESTRICT"))
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id",
                                                              ondelete="RESTRICT"))
    source: Mapped[str] = mapped_column(String(16), default="web")  # web | message
    message: Mapped[str] = mapped_column(Text, default="")
    device_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))

    __table_args__ = (Index("ix_patrol_sos_open", "owner_org_id", "acknowledged_at"),)
