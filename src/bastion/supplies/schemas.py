"""What the supplies API reads and answers. Money is read in yuan (at most two decimals) and
kept in fen; quantities are whole units."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from bastion.core.bounds import Id
from bastion.supplies.models import (
    Category,
    Condition,
    MovementKind,
    PersonSource,
    RequestStatus,
)

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Quantity = Annotated[int, Field(ge=1, le=1_000_000)]
Yuan = Annotated[Decimal, Field(ge=0, le=100_000_000, decimal_places=2)]
ClientId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=36,
                                            pattern=r"^[0-9A-Za-z-]+$")]


def fen(yuan: Decimal) -> int:
    return int((yuan * 100).to_integral_value())


class ItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Code
    name: Name
    name_en: Text200 = ""
    category: Category
    unit: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
    tracked: bool = False


class ItemOut(BaseModel):
    id: int
    code: str
    name: str
    name_en: str
    category: Category
    category_label: str
    unit: str
    tracked: bool
    active: bool


class ThresholdIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item_code: Code
    agency_id: Id
    minimum: int = Field(ge=0, le=1_000_000)


class ReceiptLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item_code: Code
    quantity: Quantity
    unit_price: Yuan
    serials: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                   max_length=64)]] = Field(default=[],
                                                                            max_length=1000)


class ReceiptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    client_id: ClientId | None = None
    agency_id: Id | None = None
    received_on: date
    project: Text200 = ""
    funder: Text200 = ""
    reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    note: Annotated[str, StringConstraints(max_length=4000)] = ""
    exercise: bool = False
    lines: list[ReceiptLineIn] = Field(min_length=1, max_length=500)


class ReceiptOut(BaseModel):
    id: int
    agency_id: int
    received_on: date
    project: str
    funder: str
    reference: str
    note: str
    exercise: bool
    synthetic: bool
    lines: int
    value_cny: float


class MovementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    client_id: ClientId | None = None
    kind: MovementKind
    item_code: Code
    quantity: Quantity = 1
    from_agency_id: Id | None = None
    to_agency_id: Id | None = None
    person_user_id: Id | None = None
    person_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    serial: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = ""
    condition: Condition | None = None
    occurred_at: datetime | None = None
    note: Annotated[str, StringConstraints(max_length=4000)] = ""
    exercise: bool = False

    @field_validator("kind")
    @classmethod
    def _not_receipt(cls, value: MovementKind) -> MovementKind:
        if value == MovementKind.RECEIPT:
            raise ValueError("record a receipt through /api/v1/supplies/receipts")
        return value


class MovementOut(BaseModel):
    id: int
    kind: MovementKind
    kind_label: str
    item_id: int
    item_code: str
    item_name: str
    asset_id: int | None
    serial: str | None
    quantity: int
    unit_price_cny: float
    value_cny: float
    from_agency_id: int | None
    to_agency_id: int | None
    person_user_id: int | None
    person_name: str
    receipt_id: int | None
    kit_issue: str | None
    work_order_id: int | None
    occurred_at: datetime
    note: str
    exercise: bool
    synthetic: bool


class KitIssueIn(BaseModel):
    """One item to each person of a post in one step (the winter uniform)."""

    model_config = ConfigDict(extra="forbid")
    client_id: ClientId | None = None
    agency_id: Id
    item_code: Code
    quantity_each: Annotated[int, Field(ge=1, le=100)] = 1
    people: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                  max_length=100)]] = Field(default=[],
                                                                            max_length=500)
    user_ids: list[Id] = Field(default=[], max_length=500)
    note: Annotated[str, StringConstraints(max_length=4000)] = ""
    exercise: bool = False


class PersonOut(BaseModel):
    """A person of a post, once: by their place on the duty list, their account, or only the
    name an earlier issue gave (no phone numbers: those stay with duty's planners)."""

    name: str
    user_id: int | None = None
    duty_person_id: int | None = None
    source: PersonSource
    source_label: str


class ConditionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    condition: Condition
    note: Annotated[str, StringConstraints(max_length=4000)] = ""


class StockRow(BaseModel):
    agency_id: int
    agency: str
    item_id: int
    item_code: str
    item_name: str
    category: Category
    category_label: str
    unit: str
    quantity: int
    value_cny: float
    minimum: int | None
    low: bool


class AssetOut(BaseModel):
    id: int
    item_id: int
    item_code: str
    serial: str
    condition: Condition
    condition_label: str
    condition_note: str
    agency_id: int | None
    person_name: str
    at_repair: bool


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    client_id: ClientId | None = None
    agency_id: Id | None = None
    item_code: Code
    quantity: Quantity
    note: Annotated[str, StringConstraints(max_length=4000)] = ""


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["fulfil", "refuse"]
    note: Annotated[str, StringConstraints(max_length=4000)] = ""
    from_agency_id: Id | None = None  # the store it is issued from; the command's by default


class RequestOut(BaseModel):
    id: int
    agency_id: int
    item_code: str
    item_name: str
    unit: str
    quantity: int
    note: str
    status: RequestStatus
    status_label: str
    requested_by_id: int
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str
    movement_id: int | None
