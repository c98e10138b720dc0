"""Supplies and equipment: the catalogue, individually tracked assets, movements, thresholds.

Stock is never stored: it is the sum of the movements into a store minus those out of it
(``service.stock``), so it cannot drift from the record of what happened. A store is an agency
of the command's organisation: the command's own store or a post. A movement names the store
it leaves (``from_agency_id``) and the one it enters (``to_agency_id``); either may be empty
(a receipt comes from outside, an issue to a person or a write-off leaves the stores).

Quantities are whole units of the item's unit (pieces, sets, bags, metres); prices are kept in
fen (1/100 yuan) as integers so that sums are exact on every database.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.exercise import ExerciseMixin


class Category(enum.StrEnum):
    VEHICLE = "vehicle"  # 车辆: tricycles, electric motorbikes
    EQUIPMENT = "equipment"  # 装备: water purifiers, cameras, searchlights
    TOOL = "tool"  # 工具: grass cutters, sprayers
    UNIFORM = "uniform"  # 被装: uniforms and personal kit
    CONSUMABLE = "consumable"  # 消耗品: batteries, fuel
    MATERIAL = "material"  # 材料: cement, wire, fence posts


# What "equipment bought for the posts" counts in the annual report (not kit nor consumables).
EQUIPMENT_CATEGORIES = (Category.VEHICLE, Category.EQUIPMENT, Category.TOOL)


class MovementKind(enum.StrEnum):
    RECEIPT = "receipt"  # 入库: bought or donated, from outside into a store
    ISSUE = "issue"  # 发放: to a person, to a post (from the command's store), or used up
    RETURN = "return"  # 归还: back from a person or a post
    TRANSFER = "transfer"  # 调拨: between stores
    WRITE_OFF = "write_off"  # 报废/丢失
    REPAIR_OUT = "repair_out"  # 送修
    REPAIR_IN = "repair_in"  # 修回


class PersonSource(enum.StrEnum):
    """Where a person of a post is known from (``service.post_people``; not stored)."""

    DUTY = "duty"  # on the post's 24-hour duty list (auxiliaries without a login included)
    ACCOUNT = "account"  # an account of the post, not on its duty list
    ISSUED = "issued"  # only a name that has had things from the store (a former auxiliary)


class Condition(enum.StrEnum):
    GOOD = "good"
    WORN = "worn"
    DAMAGED = "damaged"
    LOST = "lost"


class Item(Base):
    """A line of the catalogue: 电动三轮车, 冬季执勤服, 水泥."""

    __tablename__ = "supply_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[Category] = mapped_column(str_enum_column(Category), index=True)
    unit: Mapped[str] = mapped_column(String(20))  # 辆, 台, 套, 件, 袋, 米
    tracked: Mapped[bool] = mapped_column(default=False)  # by serial number, one by one
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def display_name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name


class Asset(Base):
    """One tracked thing (a tricycle, a water purifier) by its serial number. Where it is
    follows from its movements; its condition is what was last found."""

    __tablename__ = "supply_asset"
    __table_args__ = (UniqueConstraint("item_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("supply_item.id", ondelete="RESTRICT"),
                                         index=True)
    serial: Mapped[str] = mapped_column(String(64))
    condition: Mapped[Condition] = mapped_column(str_enum_column(Condition),
                                                 default=Condition.GOOD)
    condition_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Receipt(ExerciseMixin, Base):
    """A delivery into a store, bought under a project with a funder's money
    (边境基础设施项目, 县财政局); its lines are receipt movements with unit prices."""

    __tablename__ = "supply_receipt"
    record_kind: ClassVar[str] = "supply_receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                           index=True)
    received_on: Mapped[date] = mapped_column(index=True)
    project: Mapped[str] = mapped_column(String(200), default="", index=True)
    funder: Mapped[str] = mapped_column(String(200), default="", index=True)
    reference: Mapped[str] = mapped_column(String(100), default="")  # invoice, contract
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Movement(ExerciseMixin, Base):
    """Something moved: one audited row, never edited (a mistake is corrected by another
    movement)."""

    __tablename__ = "supply_movement"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)
    record_kind: ClassVar[str] = "supply_movement"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    kind: Mapped[MovementKind] = mapped_column(str_enum_column(MovementKind), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("supply_item.id", ondelete="RESTRICT"),
                                         index=True)
    asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("supply_asset.id", ondelete="RESTRICT"), index=True)
    quantity: Mapped[int]
    unit_price_fen: Mapped[int] = mapped_column(default=0)  # receipt price, else valuation
    from_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    to_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    # the organisation whose stores these are (need-to-know)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                              index=True)
    person_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"), index=True)
    person_name: Mapped[str] = mapped_column(String(100), default="", index=True)
    receipt_id: Mapped[int | None] = mapped_column(
        ForeignKey("supply_receipt.id", ondelete="RESTRICT"), index=True)
    kit_issue: Mapped[str | None] = mapped_column(String(36), index=True)  # one kit issue's rows
    work_order_id: Mapped[int | None] = mapped_column(index=True)  # a hazard work order
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Threshold(Base):
    """Below this many in this store, the store's officers are warned."""

    __tablename__ = "supply_threshold"
    __table_args__ = (UniqueConstraint("item_id", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("supply_item.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"),
                                           index=True)
    minimum: Mapped[int]


class LowStock(Base):
    """One crossing below a threshold: opened (and the officers told) when the stock falls
    below it, closed when it is back. At most one open row per item and store, so a store is
    told once per crossing, not at every issue."""

    __tablename__ = "supply_low_stock"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("supply_item.id", ondelete="CASCADE"),
                                         index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"),
                                           index=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    FULFILLED = "fulfilled"
    REFUSED = "refused"


class SupplyRequest(Base):
    """A post asks the command for items; the command fulfils it (an issue from its store to
    the post, linked here) or refuses it with a reason."""

    __tablename__ = "supply_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                           index=True)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                              index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("supply_item.id", ondelete="RESTRICT"))
    quantity: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RequestStatus] = mapped_column(str_enum_column(RequestStatus),
                                                  default=RequestStatus.OPEN, index=True)
    requested_by_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    movement_id: Mapped[int | None] = mapped_column(
        ForeignKey("supply_movement.id", ondelete="RESTRICT"))
