"""The border on the map. Every record is a shared record (TLP marking and distribution,
``core.marking``): the command owns its map and names the partners it shares it with (police,
army, village committees); sensitive layers (cameras) are marked AMBER so auxiliaries (viewers)
and village committees do not see them.

Geometry is GeoJSON in a JSON column (WGS-84 lon/lat) with a bounding box for cheap filtering;
shapely builds the shapes when a service needs them. Points are plain ``lon``/``lat`` columns.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.marking import MarkedMixin


class BBoxMixin:
    """A bounding box (degrees) kept beside a GeoJSON geometry, for map-window queries."""

    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)


class BorderLine(MarkedMixin, BBoxMixin, Base):
    """A surveyed (or, in the demo, Natural Earth 1:10m) stretch of the land border."""

    __tablename__ = "border_line"
    record_kind: ClassVar[str] = "border_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(255), default="")  # file name, or "Natural Earth"
    geometry: Mapped[dict[str, Any]] = mapped_column(JSON)  # LineString | MultiLineString
    length_m: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MarkerKind(enum.StrEnum):
    MONUMENT = "monument"  # 界碑
    PILLAR = "pillar"  # 界桩


class BoundaryMarker(MarkedMixin, Base):
    """A numbered boundary marker; ``chainage_m`` is its distance along its line from the
    line's start (None until it is placed on a line), which orders markers and cuts segments."""

    __tablename__ = "boundary_marker"
    record_kind: ClassVar[str] = "boundary_marker"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32))  # "1047", "1047(2)"
    kind: Mapped[MarkerKind] = mapped_column(str_enum_column(MarkerKind), default=MarkerKind.PILLAR)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    elevation_m: Mapped[float | None] = mapped_column(Float)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("border_line.id", ondelete="SET NULL"))
    chainage_m: Mapped[float | None] = mapped_column(Float)
    offset_m: Mapped[float | None] = mapped_column(Float)  # distance from the line
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("owner_org_id", "number"),)


class DefenceSegment(MarkedMixin, BBoxMixin, Base):
    """A defence segment (防控段): the line between two markers, with its chief and post."""

    __tablename__ = "defence_segment"
    record_kind: ClassVar[str] = "defence_segment"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    line_id: Mapped[int] = mapped_column(ForeignKey("border_line.id", ondelete="RESTRICT"))
    from_marker_id: Mapped[int] = mapped_column(
        ForeignKey("boundary_marker.id", ondelete="RESTRICT"))
    to_marker_id: Mapped[int] = mapped_column(ForeignKey("boundary_marker.id", ondelete="RESTRICT"))
    geometry: Mapped[dict[str, Any]] = mapped_column(JSON)  # the line between the two markers
    length_m: Mapped[float] = mapped_column(Float)  # geodesic, along the line
    chief_name: Mapped[str] = mapped_column(String(100), default="")  # 段长
    chief_phone: Mapped[str] = mapped_column(String(40), default="")
    post_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("owner_org_id", "code"),)


class BorderPost(MarkedMixin, Base):
    """Where a joint-defence post (an agency unit) stands, its grade and staff."""

    __tablename__ = "border_post"
    record_kind: ClassVar[str] = "border_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                           unique=True)
    grade: Mapped[int] = mapped_column(default=2)  # 一级/二级/三级联防所
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    staff: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlaceKind(enum.StrEnum):
    """The other layers of the map (after the Xishuangbanna border map's layers)."""

    CAMERA = "camera"
    BRIDGE = "bridge"
    PIER = "pier"
    BARRIER = "barrier"  # 拦阻桩
    VILLAGE = "village"
    CROSSING = "crossing"  # a port or a temporary crossing (临时通道)


class BorderPlace(MarkedMixin, Base):
    __tablename__ = "border_place"
    record_kind: ClassVar[str] = "border_place"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PlaceKind] = mapped_column(str_enum_column(PlaceKind), index=True)
    name: Mapped[str] = mapped_column(String(200))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("defence_segment.id", ondelete="SET NULL"))
    properties: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PostVillage(Base):
    """A village a post is linked to (挂联村)."""

    __tablename__ = "post_village"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("border_post.id", ondelete="CASCADE"))
    place_id: Mapped[int] = mapped_column(ForeignKey("border_place.id", ondelete="CASCADE"))

    __table_args__ = (UniqueConstraint("post_id", "place_id"),)


class Checkpoint(MarkedMixin, Base):
    """A patrol checkpoint (巡防卡点). A check-in counts within ``radius_m`` of it, or by
    scanning the QR code printed for it (``qr_token``: unguessable, so a photo of the code
    taken elsewhere is the only way to fake it). ``windows`` are local times of day in which
    a visit counts, e.g. ``[["08:30", "11:30"], ["13:30", "17:00"]]`` (empty: any time)."""

    __tablename__ = "border_checkpoint"
    record_kind: ClassVar[str] = "border_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    radius_m: Mapped[float] = mapped_column(Float, default=50.0)
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("defence_segment.id", ondelete="SET NULL"), index=True)
    post_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    qr_token: Mapped[str] = mapped_column(String(64), unique=True)
    windows: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("owner_org_id", "code"),)
