"""Learned places kept as data: one row per anchorage point or water cell.

The learned set is replaced whole each time it is learned (``service.replace``): it describes
the history it came from (``source``), not a log of observations.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow


class LearnedPlace(Base):
    __tablename__ = "maritime_learned_place"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "anchorage" | "water"
    # Anchorage: the mean of the stationary periods in the cell (GFW); water: the cell centre.
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    cell_m: Mapped[float] = mapped_column(Float)
    vessels: Mapped[int] = mapped_column(Integer)  # distinct vessels that made it one
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(255))  # what it was learned from
    learned_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_maritime_learned_place_kind_lat", "kind", "lat"),)
