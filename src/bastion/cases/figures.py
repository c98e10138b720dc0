"""The cases' figures for the annual report (``core.figures``): cross-border crime cases and
their persons, smuggling cases, hazards eliminated through the vessel risk model (cases opened
from vessel alerts closed "hazard eliminated"), tips received and acted on. Counted from the
records the user may read, drills left out (``cases.stats``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bastion.cases import stats
from bastion.core.figures import Figure
from bastion.core.i18n import lazy
from bastion.org import capabilities

LINK = "/cases/stats"


def figures(*, session: Any, user: Any, start: date, end: date) -> list[Figure] | None:
    if not capabilities.can(user, "cases.stats"):  # as the statistics page
        return None
    found = stats.summary(session, user=user, start=start, end=end, own=True)
    return [
        Figure("cases.cross_border", lazy("Cross-border crime cases"),
               found["cross_border"]["cases"], lazy("cases"), LINK),
        Figure("cases.cross_border_persons", lazy("Persons in cross-border crime cases"),
               found["cross_border"]["persons"], lazy("persons"), LINK),
        Figure("cases.smuggling", lazy("Smuggling cases"), found["smuggling"], lazy("cases"),
               LINK),
        Figure("cases.risk_model_hazards_eliminated",
               lazy("Hazards eliminated through the vessel risk model"),
               found["hazards_eliminated_by_risk_model"], lazy("hazards"), LINK),
        Figure("cases.tips_received", lazy("Tips from the public received"),
               found["tips"]["received"], lazy("tips"), LINK),
        Figure("cases.tips_acted_on", lazy("Tips from the public acted on"),
               found["tips"]["acted_on"], lazy("tips"), LINK),
    ]
