"""The vessel registry (one row per MMSI, with its current picture) and position history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow


class Vessel(Base):
    """Static data from type 5/24/19 reports and the latest position from any report."""

    __tablename__ = "vessel"

    mmsi: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    imo: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str | None] = mapped_column(String(40))
    callsign: Mapped[str | None] = mapped_column(String(16))
    ship_type: Mapped[int | None] = mapped_column(SmallInteger)
    # ISO 3166 alpha-2 from the MMSI's Maritime Identification Digits (ITU-R M.585).
    flag: Mapped[str | None] = mapped_column(String(2))
    length_m: Mapped[float | None] = mapped_column(Float)
    beam_m: Mapped[float | None] = mapped_column(Float)
    draught_m: Mapped[float | None] = mapped_column(Float)
    destination: Mapped[str | None] = mapped_column(String(40))
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime | None] = mapped_column(index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    speed: Mapped[float | None] = mapped_column(Float)
    course: Mapped[float | None] = mapped_column(Float)
    heading: Mapped[int | None] = mapped_column(SmallInteger)
    status: Mapped[int | None] = mapped_column(SmallInteger)
    risk_score: Mapped[float] = mapped_column(Float, default=0.0, index=True)
    risk_factors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class Position(Base):
    """A stored fix. Down-sampled on the way in (see ``tracks.writer``); old ones age out."""

    __tablename__ = "vessel_position"

    # BIGINT on PostgreSQL; INTEGER on SQLite, where only that type is an auto-increment rowid.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    mmsi: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime]
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    speed: Mapped[float | None] = mapped_column(Float)
    course: Mapped[float | None] = mapped_column(Float)
    heading: Mapped[int | None] = mapped_column(SmallInteger)
    status: Mapped[int | None] = mapped_column(SmallInteger)

    # Unique: a replay after a crash inserts each fix once (``TrackWriter.flush`` ignores
    # conflicts), migration 0009.
    __table_args__ = (Index("uq_vessel_position_mmsi_at", "mmsi", "at", unique=True),
                      Index("ix_vessel_position_at", "at"))


class ReplayCheckpoint(Base):
    """How many messages of a recorded file are stored, written in the transaction of each
    batch: a resumed replay skips them where the file gives no time of its own (such messages
    are stamped with the time they are read, so reading them again would store them again)."""

    __tablename__ = "replay_checkpoint"

    # sha256 of the file's first 64 KiB: the same recording under another name, or one that
    # has grown since, is known again.
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    messages: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
