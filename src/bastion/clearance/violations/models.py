"""A violation the station recorded against a vessel, a company (shipping agency) or a person."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow


class Violation(Base):
    """One entry of the register. The subject is named as the pre-check can find it again:
    a vessel by IMO or MMSI, a company by its agency account, a person by document number
    (or name and date of birth). The register is the station's own (never an agent's)."""

    __tablename__ = "clearance_violation"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                                index=True)
    subject: Mapped[str] = mapped_column(String(10))  # vessel / company / person
    imo: Mapped[int | None] = mapped_column(BigInteger, index=True)
    mmsi: Mapped[int | None] = mapped_column(BigInteger)
    vessel_name: Mapped[str | None] = mapped_column(String(100))
    agent_org_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id",
                                                                ondelete="RESTRICT"))
    person_name: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[str | None] = mapped_column(String(10))
    document_number: Mapped[str | None] = mapped_column(String(40), index=True)
    occurred_on: Mapped[date]
    description: Mapped[str] = mapped_column(Text)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("port_call.id", ondelete="SET NULL"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id",
                                                           ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
