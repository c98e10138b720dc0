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

Private parties (shipping agencies) stand outside the TLP community: for them "all" and CLEAR
reach nothing; they see what they wrote, their own organisation's records, and what names
them. Which functions a user may use at all is a separate question (org.capabilities).

"Organisation" is the top-level agency: a duty team sees what its station sees.
"""

from __future__ import annotations

import enum
from typing import Any, ClassVar, Protocol

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, and_, exists, false, or_, select
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


class AreaAssignment(Base):
    """An area (a border segment, a checkpoint, a village: ``area_kind`` and the id of that
    record) a unit is responsible for. A unit given areas sees records tied to an area only
    in its own areas; units given none (the command, the police) are not narrowed."""

    __tablename__ = "area_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"),
                                           index=True)
    area_kind: Mapped[str] = mapped_column(String(40))
    area_id: Mapped[int]

    __table_args__ = (UniqueConstraint("agency_id", "area_kind", "area_id"),
                      Index("ix_area_assignment_area", "area_kind", "area_id"))


class AreaMixin:
    """A shared record that may be tied to a place, narrowing it to the units responsible
    for that place on top of its TLP marking (see :func:`in_area`)."""

    area_kind: Mapped[str | None] = mapped_column(String(40), default=None)
    area_id: Mapped[int | None] = mapped_column(default=None)


def in_area(model: Any, user: Reader) -> ColumnElement[bool]:
    """Records tied to no area; or the user's unit is given no areas; or it is given this one."""
    mine = select(AreaAssignment.id).where(AreaAssignment.agency_id == user.agency_id)
    return or_(model.area_kind.is_(None), ~exists(mine),
               exists(mine.where(AreaAssignment.area_kind == model.area_kind,
                                 AreaAssignment.area_id == model.area_id)))


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
    named = and_(model.distribution == Distribution.NAMED, _shared_with(model, agency_id=org))
    # Private parties (shipping agencies) stand outside the community: "all agencies" and
    # CLEAR do not reach them; only their own records and what names them does.
    private = bool(getattr(user, "private_party", False))
    in_distribution = or_(model.owner_org_id == org, named) if private else or_(
        model.distribution == Distribution.ALL, model.owner_org_id == org, named)
    clauses = [
        model.tlp == TLP.CLEAR if not private else false(),
        and_(model.tlp == TLP.GREEN, in_distribution),
        and_(model.tlp == TLP.RED, _shared_with(model, user_id=user.id)),
    ]
    if user.has_role("officer"):
        clauses += [
            and_(model.tlp == TLP.AMBER, in_distribution),
            and_(model.tlp == TLP.AMBER_STRICT, model.owner_org_id == org),
        ]
    marked = or_(*clauses)
    if hasattr(model, "area_kind"):  # areas of responsibility narrow the marking's reach
        marked = and_(marked, in_area(model, user))
    return or_(model.created_by_id == user.id, marked)  # the author always sees it
