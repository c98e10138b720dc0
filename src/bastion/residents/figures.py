"""The foreign-resident registry's figures for the annual report (``core.figures``): persons
on the register the reader may see, and the period's crossings at designated points and
elsewhere, counted by ``stats.compute`` from the records."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from bastion.core.config import get_settings
from bastion.core.figures import Figure
from bastion.core.i18n import lazy
from bastion.org import capabilities
from bastion.org.models import User
from bastion.residents import stats


def figures(*, session: Session, user: User, start: date, end: date) -> list[Figure] | None:
    if not capabilities.can(user, "residents.stats"):
        return None
    found = stats.compute(session, user=user, zone=get_settings().timezone, since=start,
                          until=end - timedelta(days=1))
    crossings = found["crossings"]
    return [Figure("residents.persons", lazy("Foreign residents registered"),
                   found["residents"]["total"], link="/residents"),
            Figure("residents.crossings", lazy("Crossings recorded"), crossings["total"]),
            Figure("residents.crossings_undesignated",
                   lazy("Crossings outside designated points"), crossings["undesignated"],
                   link="/residents/queue")]
