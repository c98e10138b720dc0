"""Payloads of evaluations. Months are written ``YYYY-MM``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

from bastion.core.bounds import Id
from bastion.evaluations.models import Rating


def _month(value: object) -> object:
    """``2026-11`` (or a date) -> the first day of that month."""
    if isinstance(value, date):
        return value.replace(day=1)
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 7 and text[4] == "-":
            text += "-01"
        try:
            return date.fromisoformat(text).replace(day=1)
        except ValueError:
            raise ValueError("a month is written YYYY-MM") from None
    return value


Month = Annotated[date, BeforeValidator(_month)]
Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")]
Score = Annotated[float, Field(ge=0, le=1000)]


class AssessmentIn(BaseModel):
    person_id: Id
    month: Month
    scores: dict[Code, Score] = Field(max_length=50)
    comments: str = Field(default="", max_length=4000)


class OverrideIn(BaseModel):
    person_id: Id
    year: int = Field(ge=2000, le=2100)
    rating: Rating | None = None  # None: back to the rule's rating
    reason: str = Field(default="", max_length=2000)


class IndicatorIn(BaseModel):
    code: Code
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    weight: float = Field(gt=0, le=100)
    max_score: float = Field(gt=0, le=1000)


class BandIn(BaseModel):
    rating: Rating
    min: float = Field(ge=0, le=100)


class RuleIn(BaseModel):
    min_months: int = Field(ge=1, le=12)
    bands: list[BandIn] = Field(min_length=1, max_length=4)
    otherwise: Rating = Rating.INCOMPETENT


class IndicatorSetIn(BaseModel):
    valid_from: Month
    indicators: list[IndicatorIn] = Field(min_length=1, max_length=50)
    rating_rule: RuleIn
