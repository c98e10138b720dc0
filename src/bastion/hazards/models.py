"""Hazards and blind spots on the land border (issue 16): a hazard report (a place drawn as a
point or a line, photos, a category from ``data/categories.json``), its work order (the post
or team, the due date, materials drawn from supplies), the repair with its quantity in the
category's unit, and blind-spot surveys with their proposed camera points.

A hazard is a shared record of the command's organisation, narrowed to the post responsible
(``post_agency_id``): a post works its own area's hazards, the command all of them. A report
may come from a patrol observation (``observation_id``, an id only: border's record). Exercise
reports (``ExerciseMixin``) are marked and never counted.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.exercise import ExerciseMixin
from bastion.core.marking import MarkedMixin


class HazardStatus(enum.StrEnum):
    REPORTED = "reported"
    TRIAGED = "triaged"
    REJECTED = "rejected"
    ORDERED = "ordered"  # a work order is out
    DONE = "done"  # repaired, quantity recorded
    VERIFIED = "verified"  # the command checked the repair


class Hazard(MarkedMixin, ExerciseMixin, Base):
    __tablename__ = "hazard"
    record_kind: ClassVar[str] = "hazard"

    @property
    def shown_title(self) -> str:
        """The title as written; none given, the category and marker in the reader's language
        (a default stored in the reporter's language would read wrong to the other)."""
        if self.title:
            return self.title
        from bastion.core import context
        from bastion.hazards import categories

        cat = categories.get(self.category)
        name = cat.name(context.current().language) if cat else self.category
        return f"{name} {self.marker}".strip()

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[HazardStatus] = mapped_column(str_enum_column(HazardStatus),
                                                 default=HazardStatus.REPORTED, index=True)
    post_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    reported_by_agency_id: Mapped[int] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("defence_segment.id", ondelete="SET NULL"))
    observation_id: Mapped[int | None] = mapped_column(
        ForeignKey("patrol_observation.id", ondelete="SET NULL"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    marker: Mapped[str] = mapped_column(String(40), default="")  # boundary marker, e.g. "1328"
    geometry: Mapped[dict[str, Any]] = mapped_column(JSON)  # GeoJSON Point or LineString
    lon: Mapped[float] = mapped_column(Float)  # a point on it, for lists and the map
    lat: Mapped[float] = mapped_column(Float)
    length_m: Mapped[float | None] = mapped_column(Float)  # of a line
    estimate: Mapped[float | None] = mapped_column(Float)  # reported extent, category's unit
    observed_at: Mapped[datetime] = mapped_column(index=True)
    device_at: Mapped[datetime | None]
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkOrder(Base):
    """What the command orders for one hazard; the repair is recorded on it (``done_on``,
    ``quantity`` in the category's unit) and verified by the command."""

    __tablename__ = "hazard_work_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazard.id", ondelete="CASCADE"),
                                           unique=True)
    assignee_agency_id: Mapped[int] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    team: Mapped[str] = mapped_column(String(100), default="")
    instructions: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date]
    due_at: Mapped[datetime] = mapped_column(index=True)  # the end of due_on, command's zone
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_on: Mapped[date | None] = mapped_column(index=True)
    quantity: Mapped[float | None] = mapped_column(Float)
    done_note: Mapped[str] = mapped_column(Text, default="")
    done_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    done_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    verified_at: Mapped[datetime | None]
    escalated_level: Mapped[int] = mapped_column(default=0)


class MaterialLine(Base):
    """Material drawn from supplies for a work order (supplies issues it on the
    ``hazards.materials_drawn`` reaction; this keeps what was asked)."""

    __tablename__ = "hazard_material"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(
        ForeignKey("hazard_work_order.id", ondelete="CASCADE"), index=True)
    item_code: Mapped[str] = mapped_column(String(64))
    item_name: Mapped[str] = mapped_column(String(200), default="")
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20), default="")


class PointKind(enum.StrEnum):
    BLIND_SPOT = "blind_spot"
    CAMERA = "camera"  # a proposed camera point


class PointStatus(enum.StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    INSTALLED = "installed"


class Survey(MarkedMixin, ExerciseMixin, Base):
    """A blind-spot survey of a segment or an area: the blind spots found and the camera
    points proposed ("1 km of line walked, 3 blind spots, 5 camera points proposed")."""

    __tablename__ = "hazard_survey"
    record_kind: ClassVar[str] = "hazard_survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    post_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("defence_segment.id", ondelete="SET NULL"))
    surveyed_on: Mapped[date] = mapped_column(index=True)
    area: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # GeoJSON line or polygon walked
    walked_km: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyPoint(Base):
    __tablename__ = "hazard_survey_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("hazard_survey.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[PointKind] = mapped_column(str_enum_column(PointKind))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[PointStatus] = mapped_column(str_enum_column(PointStatus),
                                                default=PointStatus.PROPOSED)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
