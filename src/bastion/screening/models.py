"""Watchlists, their entries, screening hits and the officers' decisions on them."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.marking import MarkedMixin
from bastion.org.models import User


class Watchlist(MarkedMixin, Base):
    """A list an agency screens against. Its marking governs its entries and its hits."""

    __tablename__ = "watchlist"
    record_kind: ClassVar[str] = "watchlist"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique per owning agency: a clash with another agency's list never reveals it exists.
    name: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("owner_org_id", "name"),)


class EntryKind(enum.StrEnum):
    PERSON = "person"
    VESSEL = "vessel"


class WatchlistEntry(Base):
    """A person or vessel on a list. Names are stored as written plus their search keys."""

    __tablename__ = "watchlist_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    watchlist_id: Mapped[int] = mapped_column(ForeignKey("watchlist.id", ondelete="CASCADE"),
                                              index=True)
    source_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[EntryKind] = mapped_column(str_enum_column(EntryKind))
    name: Mapped[str] = mapped_column(String(300))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    birth_date: Mapped[str | None] = mapped_column(String(10))  # YYYY, YYYY-MM or YYYY-MM-DD
    gender: Mapped[str | None] = mapped_column(String(8))
    nationalities: Mapped[list[str]] = mapped_column(JSON, default=list)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    imo: Mapped[int | None] = mapped_column(BigInteger)
    mmsi: Mapped[int | None] = mapped_column(BigInteger)
    callsign: Mapped[str | None] = mapped_column(String(16))
    flag: Mapped[str | None] = mapped_column(String(3))
    reason: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    # Derived search keys (pinyin, Cantonese, Wade-Giles, folded Latin, ...) for each name,
    # stored so the index is rebuilt without re-deriving them.
    name_keys: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Indexed text forms of the keys, for database-side lookup by a plain LIKE.
    search_text: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    watchlist: Mapped[Watchlist] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("watchlist_id", "source_id"),)


class HitStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class ScreeningHit(Base):
    """One person matched one entry. Visible to whoever may see the entry's list."""

    __tablename__ = "screening_hit"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("watchlist_entry.id", ondelete="CASCADE"),
                                          index=True)
    # Who was screened: as given (name in any script, dob, nationality, document), plus a
    # fingerprint so that a decision about this person and entry is remembered next voyage.
    subject: Mapped[dict[str, Any]] = mapped_column(JSON)
    subject_key: Mapped[str] = mapped_column(String(64), index=True)
    context: Mapped[str] = mapped_column(String(200), default="")  # e.g. "port call 17, crew"
    # Whose screening found it, and the record the person came from (e.g. port_call 17): a
    # hit is shown only to those who may see both that record and the list.
    screened_by_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    source_kind: Mapped[str | None] = mapped_column(String(40))
    source_id: Mapped[int | None]
    # Where the person was screened: "port_call:17", or "agency:5" when screened by hand.
    # One hit per person, entry and scope, however often the list is screened again (the
    # unique constraint below holds it even for two screenings at once); one per scope and
    # not fewer, since who may read a hit follows the record the person came from.
    scope: Mapped[str] = mapped_column(String(80))
    score: Mapped[float]
    explanation: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[HitStatus] = mapped_column(str_enum_column(HitStatus),
                                              default=HitStatus.PENDING, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)
    remembered: Mapped[bool] = mapped_column(default=False)  # decided by an earlier dismissal
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    entry: Mapped[WatchlistEntry] = relationship(lazy="joined")
    decided_by: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("subject_key", "entry_id", "scope"),)

    @property
    def explained(self) -> list[str]:
        """The explanation in the reader's language."""
        from bastion.screening.explain import translated

        return translated(self.explanation)


class Dismissal(Base):
    """'This person is not that entry', decided once with a reason, applied to later hits."""

    __tablename__ = "screening_dismissal"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_key: Mapped[str] = mapped_column(String(64))
    entry_id: Mapped[int] = mapped_column(ForeignKey("watchlist_entry.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("subject_key", "entry_id"),
                      Index("ix_screening_dismissal_subject", "subject_key"))
