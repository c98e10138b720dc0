"""An emergency or an expedited request on a port call, and its service-level timers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow


class Emergency(Base):
    """``kind``: ``medical`` (injured or sick crew to land: the green channel proper),
    ``weather`` or ``tide`` (expedited handling). Medical cases carry SLA deadlines and
    escalate when they pass; documents may follow and are completed later."""

    __tablename__ = "port_call_emergency"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("port_call.id", ondelete="CASCADE"),
                                         index=True)
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    persons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    declared_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    documents_to_follow: Mapped[bool] = mapped_column(default=False)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    ack_due_at: Mapped[datetime | None]
    landing_due_at: Mapped[datetime | None]
    landed_at: Mapped[datetime | None]
    landing_note: Mapped[str | None] = mapped_column(Text)
    documents_completed_at: Mapped[datetime | None]
    escalation_level: Mapped[int] = mapped_column(default=0)   # the highest over deadlines
    # Per deadline ("acknowledge", "landing"): the level it has been escalated to.
    escalations: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    escalated_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
