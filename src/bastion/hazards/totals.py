"""Totals by category and period, counted from the records (never stored).

What counts (decided for issue 16): a **repair** counts in the period of the day it was done
(``WorkOrder.done_on``), whether the command has verified it yet or not — the seed report's
"7.2 km of road repaired" is work done in the year; verification can lag a month. The
verified part is shown beside it. Rejected reports, open work orders and exercise records
(``core.exercise.operational``) never count. A **report** counts in the period it was seen
(``observed_at``). Units are the category's (km, m, or a count). Only what the user may see
is counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bastion.core.exercise import operational
from bastion.hazards import access, categories
from bastion.hazards.models import Hazard, HazardStatus, PointKind, Survey, SurveyPoint, WorkOrder
from bastion.hazards.workflow import REPAIRED
from bastion.org.models import User


@dataclass
class Row:
    category: str
    unit: str | None
    reports: int = 0
    repairs: int = 0
    quantity: float = 0.0
    verified_repairs: int = 0
    verified_quantity: float = 0.0

    def tidy(self) -> Row:
        self.quantity = round(self.quantity, 3)
        self.verified_quantity = round(self.verified_quantity, 3)
        return self


@dataclass
class Totals:
    start: date
    end: date  # exclusive
    rows: list[Row]
    months: list[str] = field(default_factory=list)
    by_month: dict[str, dict[str, int]] = field(default_factory=dict)  # category -> month -> repairs
    camera_points: int = 0
    blind_spots: int = 0


def _utc(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def repairs_query(user: User, start: date, end: date):
    """(work order, hazard) of the operational repairs done in [start, end) the user sees."""
    seen = access.hazards_query(user).with_only_columns(Hazard.id)
    return (select(WorkOrder, Hazard).join(Hazard, Hazard.id == WorkOrder.hazard_id)
            .where(Hazard.id.in_(seen), operational(Hazard), Hazard.status.in_(REPAIRED),
                   WorkOrder.done_on >= start, WorkOrder.done_on < end)
            .order_by(WorkOrder.done_on, WorkOrder.id))


def compute(session: Session, *, user: User, start: date, end: date,
            zone: ZoneInfo | None = None) -> Totals:
    zone = zone or ZoneInfo("UTC")
    rows = {code: Row(code, cat.unit) for code, cat in categories.all_categories().items()}
    months: list[str] = []
    day = start.replace(day=1)
    while day < end:
        months.append(day.strftime("%Y-%m"))
        day = (day + timedelta(days=32)).replace(day=1)
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(months, 0))
    for order, hazard in session.execute(repairs_query(user, start, end)):
        row = rows.setdefault(hazard.category, Row(hazard.category, None))
        row.repairs += 1
        row.quantity += order.quantity or 0.0
        if hazard.status == HazardStatus.VERIFIED:
            row.verified_repairs += 1
            row.verified_quantity += order.quantity or 0.0
        assert order.done_on is not None
        by_month[hazard.category][order.done_on.strftime("%Y-%m")] += 1
    seen = access.hazards_query(user).with_only_columns(Hazard.id)
    for code, n in session.execute(
            select(Hazard.category, func.count()).where(
                Hazard.id.in_(seen), operational(Hazard),
                Hazard.observed_at >= _utc(start, zone), Hazard.observed_at < _utc(end, zone))
            .group_by(Hazard.category)):
        rows.setdefault(code, Row(code, None)).reports = n
    surveys = access.surveys_query(user).with_only_columns(Survey.id).where(
        operational(Survey), Survey.surveyed_on >= start, Survey.surveyed_on < end)
    points = dict(session.execute(select(SurveyPoint.kind, func.count()).where(
        SurveyPoint.survey_id.in_(surveys)).group_by(SurveyPoint.kind)).all())
    return Totals(start, end, [r.tidy() for r in rows.values()], months,
                  {k: dict(v) for k, v in by_month.items()},
                  camera_points=points.get(PointKind.CAMERA, 0),
                  blind_spots=points.get(PointKind.BLIND_SPOT, 0))


def as_dict(t: Totals) -> dict[str, Any]:
    return {"from": t.start.isoformat(), "to": (t.end - timedelta(days=1)).isoformat(),
            "rows": [vars(r) for r in t.rows], "months": t.months, "by_month": t.by_month,
            "survey_camera_points": t.camera_points, "survey_blind_spots": t.blind_spots}
