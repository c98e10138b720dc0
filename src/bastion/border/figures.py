"""Joint patrols' figures for the annual report (``core.figures``): patrols made, joint ones,
hours, kilometres, person-days and planned patrols completed, from ``patrols.measures`` over
the period (what the reader may see; the engine that draws the measures page)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from bastion.border.patrols import measures as patrol_measures
from bastion.core.config import get_settings
from bastion.core.figures import Figure
from bastion.core.i18n import lazy
from bastion.org import capabilities
from bastion.org.models import User


def figures(*, session: Session, user: User, start: date, end: date) -> list[Figure] | None:
    if not capabilities.can(user, patrol_measures.CAPABILITY):
        return None
    total = patrol_measures.measures(session, user=user, settings=get_settings().patrols,
                                     start=start, end=end - timedelta(days=1),
                                     period="month")["total"]
    link = f"/patrols/measures?from={start.isoformat()}&to={(end - timedelta(days=1)).isoformat()}"
    return [Figure("patrols.patrols", lazy("Patrols made"), total["patrols"], link=link),
            Figure("patrols.joint", lazy("Joint patrols"), total["joint"]),
            Figure("patrols.hours", lazy("Patrol hours"), total["hours"], lazy("hours")),
            Figure("patrols.km", lazy("Distance patrolled"), total["km"], lazy("km")),
            Figure("patrols.person_days", lazy("Person-days on patrol"), total["person_days"]),
            Figure("patrols.planned_completed", lazy("Planned patrols completed"),
                   total["completed"])]
