"""An attachment: a checked file hung on a record of any kind (``record_kind``, ``record_id``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow


class Attachment(Base):
    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The owning record, named by kind and id like events and shares: who may see the record
    # may see its files (the owning domain's registered visibility check decides).
    record_kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))  # sniffed from the bytes
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    width: Mapped[int | None]
    height: Mapped[int | None]
    # In the database, not on a disk beside it: one backup holds everything.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))

    __table_args__ = (Index("ix_attachment_record", "record_kind", "record_id"),)
