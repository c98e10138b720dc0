"""Legal outreach's figures for the annual report, counted from the visits the user may see
(operational only): ``outreach.visits``, ``outreach.people_reached``, ``outreach.villages``."""

from __future__ import annotations

from datetime import date
from typing import Any

from bastion.core.figures import Figure
from bastion.core.i18n import lazy
from bastion.org import capabilities
from bastion.outreach import access, service


def figures(*, session: Any, user: Any, start: date, end: date) -> list[Figure] | None:
    if not capabilities.can(user, access.READ):
        return None
    t = service.totals(session, user=user, start=start, end=end)
    return [Figure("outreach.visits", lazy("Legal-outreach visits to linked villages"),
                   t["visits"], lazy("visits"), "/outreach"),
            Figure("outreach.people_reached", lazy("People reached by legal outreach"),
                   t["people"], lazy("persons")),
            Figure("outreach.villages", lazy("Villages visited"), t["villages"],
                   lazy("villages"), "/outreach/board")]
