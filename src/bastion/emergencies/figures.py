"""The emergency board's annual figures, counted from the records (drills left out):
emergencies opened in the period, the vessels moved to safety (sheltered, departed or their
crew ashore) and the persons aboard them (the seed report: "more than 10 vessels and over 100
crew moved to safe waters" in Typhoon Yagi)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bastion.core.exercise import operational
from bastion.core.figures import Figure
from bastion.core.i18n import lazy
from bastion.emergencies import access
from bastion.emergencies.models import MOVED, Emergency, EmergencyVessel
from bastion.org.models import User


def figures(*, session: Session, user: User, start: date, end: date) -> list[Figure] | None:
    if not access.reads_all(user):
        return None
    since = datetime.combine(start, time(), tzinfo=UTC)
    until = datetime.combine(end, time(), tzinfo=UTC)
    opened: Any = (Emergency.opened_at >= since, Emergency.opened_at < until,
                   operational(Emergency))
    count = session.scalar(select(func.count(Emergency.id)).where(*opened)) or 0
    vessels, crew = session.execute(
        select(func.count(EmergencyVessel.id),
               func.coalesce(func.sum(EmergencyVessel.persons_aboard), 0))
        .join(Emergency, Emergency.id == EmergencyVessel.emergency_id)
        .where(*opened, operational(EmergencyVessel), EmergencyVessel.status.in_(MOVED))).one()
    return [Figure("emergencies.count", lazy("Emergencies"), int(count), link="/emergencies"),
            Figure("emergencies.vessels_moved", lazy("Vessels moved to safety"), int(vessels or 0),
                   lazy("vessels")),
            Figure("emergencies.crew_moved", lazy("Persons moved to safety"), int(crew or 0),
                   lazy("persons"))]
