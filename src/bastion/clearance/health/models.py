"""The port health authority's decision on a Maritime Declaration of Health."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow


class HealthDecision(Base):
    """Recorded by customs (in China the port health quarantine is customs': 海关卫生检疫) on one
    version of the declaration; append-only, the latest one stands."""

    __tablename__ = "port_call_health_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("port_call.id", ondelete="CASCADE"),
                                         index=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("port_call_declaration.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    decision: Mapped[str] = mapped_column(String(20))
    conditions: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id",
                                                          ondelete="RESTRICT"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
