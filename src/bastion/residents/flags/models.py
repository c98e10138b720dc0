"""Risk flags on residents: one per person and kind, recomputed when their records change,
queued for the responsible post. The rules are data (``residents/data/rules.json``): each
names its law article; ``why`` lists the occurrences as message ids with parameters, shown in
the reader's language."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column


class FlagStatus(enum.StrEnum):
    OPEN = "open"  # raised, waiting for the post
    IN_HAND = "in_hand"  # a visit or a case is under way
    CONFIRMED = "confirmed"  # the post found it so (outcome says what was done)
    DISMISSED = "dismissed"  # the post found it not so (outcome says why)
    CLEARED = "cleared"  # the records no longer raise it


class RiskFlag(Base):
    __tablename__ = "resident_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32), index=True)  # overstay, expired_document, ...
    rule: Mapped[str] = mapped_column(String(64))
    article: Mapped[str] = mapped_column(String(64))  # "出境入境管理法 第七十八条"
    why: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[FlagStatus] = mapped_column(str_enum_column(FlagStatus),
                                               default=FlagStatus.OPEN, index=True)
    outcome: Mapped[str] = mapped_column(Text, default="")
    post_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the recomputation that last changed it (a run that finds it as stored writes nothing)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("resident_id", "kind"),)
