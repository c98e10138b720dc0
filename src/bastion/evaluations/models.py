"""Monthly assessments of auxiliaries (护边员) and of the port station's party members (党员),
against indicator sets kept as data, and the annual rating's overrides.

People are the duty domain's (``duty_person``, referred to by table name: this domain never
imports duty's models). Indicator sets are versioned: a new version is a new row, and every
assessment keeps the set it was scored against, so past scores keep their indicators. The
annual rating is derived when asked from the year's monthly totals by the set's rule (data on
the set, ``rating_rule``); only a supervisor's override with its reason is stored.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column


class Population(enum.StrEnum):
    AUXILIARY = "auxiliary"  # 护边员, at a joint-defence post
    PARTY_MEMBER = "party_member"  # 党员, at the port station


class Rating(enum.StrEnum):
    EXCELLENT = "excellent"  # 优秀
    COMPETENT = "competent"  # 称职
    BASIC = "basically_competent"  # 基本称职
    INCOMPETENT = "incompetent"  # 不称职


class IndicatorSet(Base):
    """One version of an organisation's indicators for a population."""

    __tablename__ = "eval_indicator_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    population: Mapped[Population] = mapped_column(str_enum_column(Population))
    version: Mapped[int] = mapped_column(default=1)
    valid_from: Mapped[date] = mapped_column(Date)
    # {"min_months": 10, "bands": [{"rating": "excellent", "min": 90}, ...]}: the mean of the
    # year's monthly totals (0-100) against descending minimums; fewer months: not rated
    rating_rule: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("org_id", "population", "version"),)


class Indicator(Base):
    __tablename__ = "eval_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("eval_indicator_set.id", ondelete="CASCADE"),
                                        index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    max_score: Mapped[float] = mapped_column(Float, default=10.0)

    __table_args__ = (UniqueConstraint("set_id", "code"),)


class Assessment(Base):
    """One person's assessment for one month. ``total`` (0-100) is the weighted share of the
    maximum, computed from the scores when they are written (``service.total``)."""

    __tablename__ = "eval_assessment"
    record_kind: ClassVar[str] = "eval_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("duty_person.id", ondelete="RESTRICT"))
    org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    population: Mapped[Population] = mapped_column(str_enum_column(Population))
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    set_id: Mapped[int] = mapped_column(ForeignKey("eval_indicator_set.id", ondelete="RESTRICT"))
    total: Mapped[float] = mapped_column(Float, default=0.0)
    comments: Mapped[str] = mapped_column(Text, default="")
    assessor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("person_id", "population", "month"),
                      Index("ix_eval_assessment_org_month", "org_id", "month"))


class Score(Base):
    __tablename__ = "eval_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("eval_assessment.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("eval_indicator.id", ondelete="RESTRICT"))
    score: Mapped[float] = mapped_column(Float)

    __table_args__ = (UniqueConstraint("assessment_id", "indicator_id"),)


class RatingOverride(Base):
    """A supervisor's annual rating in place of the rule's, with the reason."""

    __tablename__ = "eval_rating_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("duty_person.id", ondelete="RESTRICT"))
    org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    population: Mapped[Population] = mapped_column(str_enum_column(Population))
    year: Mapped[int] = mapped_column()
    rating: Mapped[Rating] = mapped_column(str_enum_column(Rating))
    reason: Mapped[str] = mapped_column(Text)
    set_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("person_id", "population", "year"),)
