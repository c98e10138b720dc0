"""Crossing points (China-Vietnam land ports and designated crossings, reference data the
command edits) and crossings (a person's entry or exit, entered by a post or taken from the
border inspection records).

A crossing names its point when it is a designated one (recognised by code, Chinese or
Vietnamese name, with or without 口岸 / cửa khẩu: ``residents.crossings.points``); anything
else is kept as written in ``path`` and the crossing is undesignated.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column


class PointKind(enum.StrEnum):
    INTERNATIONAL = "international"  # 国际性口岸 / cửa khẩu quốc tế
    BILATERAL = "bilateral"  # 双边性口岸 / cửa khẩu chính (song phương)
    BORDER_RESIDENT = "border_resident"  # 边民互市通道 / cửa khẩu phụ, lối mở


class CrossingPoint(Base):
    __tablename__ = "crossing_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))  # 东兴
    name_vi: Mapped[str] = mapped_column(String(100))  # Móng Cái
    name_en: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[PointKind] = mapped_column(str_enum_column(PointKind))
    province_cn: Mapped[str] = mapped_column(String(50), default="")  # 广西 / 云南
    province_vn: Mapped[str] = mapped_column(String(50), default="")
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    place_id: Mapped[int | None] = mapped_column(  # the crossing on the border map, if drawn
        ForeignKey("border_place.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Direction(enum.StrEnum):
    IN = "in"  # entry into China
    OUT = "out"


class CrossingSource(enum.StrEnum):
    POST = "post"  # entered by a post
    INSPECTION = "inspection"  # taken from the border inspection records
    IMPORT = "import"


class Crossing(Base):
    __tablename__ = "resident_crossing"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    direction: Mapped[Direction] = mapped_column(str_enum_column(Direction))
    point_id: Mapped[int | None] = mapped_column(
        ForeignKey("crossing_point.id", ondelete="RESTRICT"))
    path: Mapped[str] = mapped_column(String(200), default="")  # as written when undesignated
    designated: Mapped[bool] = mapped_column(default=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("resident_document.id", ondelete="SET NULL"))
    doc_number: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[CrossingSource] = mapped_column(str_enum_column(CrossingSource),
                                                   default=CrossingSource.POST)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    post_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_resident_crossing_resident_at", "resident_id", "at"),
                      Index("ix_resident_crossing_at", "at"))
