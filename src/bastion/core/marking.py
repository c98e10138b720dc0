"""Need-to-know: the TLP 2.0 marking and distribution carried by every shared record.

One query filter (:func:`visible_to`) decides what a user may see, for every domain. Records a
user may not see are reported as missing (404), never as forbidden, so their existence leaks
nothing. The rules, in order (FIRST 'Traffic Light Protocol 2.0', 2022):

* the author always sees the record;
* CLEAR: every user of every agency;
* GREEN: the distribution (own organisation / named organisations / all), any role;
* AMBER: the distribution, officers and above (viewers are read-only auxiliaries);
* AMBER+STRICT: the author's own organisation only, officers and above;
* RED: only the named recipients (people, not agencies), whatever their role.

"Organisation" is the top-level agency: a duty team sees what its station sees.
"""

from __future__ import annotations

import enum
from typing import Any, ClassVar, Protocol

from sqlalchemy import ForeignKey, Index, String, and_, exists, false, or_, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from bastion.core.db import Base
from bastion.core.enums import str_enum_column


class Reader(Protocol):
    """What the filter needs to know about a user (``org.models.User`` is one).

    A protocol, not the class, so that the floor does not import the platform above it.
    """

    id: Any
    active: Any
    agency_id: Any  # the user's own unit (areas of responsibility are given to units)

    @property
    def organisation_id(self) -> int: ...

    def has_role(self, role: str) -> bool: ...  # "officer": at least that role


class TLP(enum.StrEnum):
    CLEAR = "clear"
    GREEN = "green"
    AMBER = "amber"
    AMBER_STRICT = "amber+strict"
    RED = "red"


class Distribution(enum.StrEnum):
    OWN = "own"
    NAMED = "named"
    ALL = "all"


# Which distributions make sense with each marking; anything else is rejected at write time.
ALLOWED_DISTRIBUTIONS: dict[TLP, set[Distribution]] = {
    TLP.CLEAR: {Distribution.ALL},
    TLP.GREEN: {Distribution.OWN, Distribution.NAMED, Distribution.ALL},
    TLP.AMBER: {Distribution.OWN, Distribution.NAMED, Distribution.ALL},
    TLP.AMBER_STRICT: {Distribution.OWN},
    TLP.RED: {Distribution.NAMED},
}


class RecordShare(Base):
    """A named organisation (for GREEN/AMBER) or a named person (for RED) a record is shared with."""

    __tablename__ = "record_share"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT")
    )

    __table_args__ = (Index("ix_record_share_record", "record_kind", "record_id"),)


class MarkedMixin:
    """Columns every shared record carries. Subclasses set ``record_kind``."""

    record_kind: ClassVar[str]

    tlp: Mapped[TLP] = mapped_column(str_enum_column(TLP), default=TLP.AMBER)
    distribution: Mapped[Distribution] = mapped_column(
        str_enum_column(Distribution), default=Distribution.OWN
    )
    personal: Mapped[bool] = mapped_column(default=False)

    @declared_attr
    def owner_org_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)

    @declared_attr
    def created_by_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"), index=True)


def _shared_with(model: type[MarkedMixin], **match: Any) -> ColumnElement[bool]:
    conditions = [
        RecordShare.record_kind == model.record_kind,
        RecordShare.record_id == model.id,  # type: ignore[attr-defined]
    ]
    conditions += [getattr(RecordShare, column) == value for column, value in match.items()]
    return exists(select(RecordShare.id).where(*conditions))


def visible_to(model: type[MarkedMixin], user: Reader | None) -> ColumnElement[bool]:
    """The WHERE clause that keeps only the records of ``model`` that ``user`` may see."""
    if user is None or not user.active:
        return false()
    org = user.organisation_id
    in_distribution = or_(
        model.distribution == Distribution.ALL,
        model.owner_org_id == org,
        and_(model.distribution == Distribution.NAMED, _shared_with(model, agency_id=org)),
    )
    clauses = [
        model.created_by_id == user.id,
        model.tlp == TLP.CLEAR,
        and_(model.tlp == TLP.GREEN, in_distribution),
        and_(model.tlp == TLP.RED, _shared_with(model, user_id=user.id)),
    ]
    if user.has_role("officer"):
        clauses += [
            and_(model.tlp == TLP.AMBER, in_distribution),
            and_(model.tlp == TLP.AMBER_STRICT, model.owner_org_id == org),
        ]
    return or_(*clauses)
