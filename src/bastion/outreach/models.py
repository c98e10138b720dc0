"""Legal-outreach visits (普法宣传) by the joint-defence posts to their linked villages (挂联村).

A visit names its post (an agency) and its village (a ``border_place`` of kind village,
referred to by table name: this domain never imports the border's models), the day, the topic
(``outreach.topics``), how many people attended and which officers went, what was handed out;
photos hang on it through ``attachments``. ``client_id`` makes an upload from the phone safe
to repeat. A visit made in a drill carries ``exercise`` and is never counted.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.exercise import ExerciseMixin


class OutreachVisit(ExerciseMixin, Base):
    __tablename__ = "outreach_visit"
    record_kind: ClassVar[str] = "outreach_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    post_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                                index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("border_place.id", ondelete="RESTRICT"),
                                            index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(32))
    attendees: Mapped[int] = mapped_column(default=0)
    officers: Mapped[list[str]] = mapped_column(JSON, default=list)
    materials: Mapped[str] = mapped_column(Text, default="")
    materials_count: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_outreach_visit_org_day", "org_id", "visited_on"),)
