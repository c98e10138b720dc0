"""Evaluations' figures for the annual report, counted from the assessments the user may see:
``evaluations.excellent`` (people whose rating for a year in the period stands at excellent,
by the rule or a supervisor's override) and ``evaluations.assessed`` (people assessed in the
period)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import distinct, func

from bastion.core.figures import Figure
from bastion.core.i18n import lazy
from bastion.evaluations import access, service
from bastion.evaluations.models import Assessment, Rating
from bastion.org import capabilities


def figures(*, session: Any, user: Any, start: date, end: date) -> list[Figure] | None:
    if not capabilities.can(user, access.READ) or access.population_for(user) is None:
        return None
    last = end - timedelta(days=1)
    excellent = sum(1 for year in range(start.year, last.year + 1)
                    for row in service.annual(session, user=user, year=year)
                    if row["rating"] == Rating.EXCELLENT.value)
    assessed = session.scalar(access.assessments_query(user).with_only_columns(
        func.count(distinct(Assessment.person_id)))
        .where(Assessment.month >= start.replace(day=1), Assessment.month < end)) or 0
    return [Figure("evaluations.excellent", lazy("Rated excellent for the year"), excellent,
                   lazy("persons"), f"/evaluations/annual?year={last.year}"),
            Figure("evaluations.assessed", lazy("People assessed monthly"), assessed,
                   lazy("persons"), "/evaluations")]
