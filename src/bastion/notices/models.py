"""Notices: the simplest information shared between agencies, and the first marked record."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bastion.core.db import Base, utcnow
from bastion.core.marking import AreaMixin, MarkedMixin
from bastion.org.models import Agency, User


class Notice(MarkedMixin, AreaMixin, Base):
    __tablename__ = "notice"
    record_kind: ClassVar[str] = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Withdrawn, never deleted: a notice others have acted on must stay on record.
    withdrawn_at: Mapped[datetime | None]

    author: Mapped[User] = relationship(lazy="joined", foreign_keys="Notice.created_by_id")
    owner_org: Mapped[Agency] = relationship(lazy="joined", foreign_keys="Notice.owner_org_id")
    # Files hang on a notice through the attachments package (record kind "notice").
