"""Duty's figures for the annual report (``core.figures``): hotline calls received and closed
on time, duty-log entries and published duty hours, counted by ``stats_service`` from the
records the reader may see (exercises left out)."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bastion.core.config import get_settings
from bastion.core.db import utcnow
from bastion.core.figures import Figure
from bastion.core.i18n import lazy
from bastion.duty import stats_service
from bastion.org import capabilities
from bastion.org.models import User


def figures(*, session: Session, user: User, start: date, end: date) -> list[Figure] | None:
    if not capabilities.can(user, "duty.stats"):
        return None
    span = stats_service.Range(start, end - timedelta(days=1),
                               ZoneInfo(get_settings().timezone))
    hours = stats_service.duty_hours(session, user=user, span=span)
    found = [Figure("duty.hours", lazy("Duty hours"), round(hours["total_hours"], 1),
                    lazy("hours"), "/duty/stats"),
             Figure("duty.duties", lazy("Duties"), hours["total_duties"])]
    if capabilities.can(user, "duty.hotline.read"):
        calls = stats_service.hotline(session, user=user, span=span, now=utcnow())
        found += [Figure("duty.hotline_calls", lazy("Hotline calls received"), calls["total"],
                         link="/duty/hotline"),
                  Figure("duty.hotline_on_time", lazy("Closed on time"),
                         calls["closure"]["on_time"])]
    if capabilities.can(user, "duty.log.read"):
        log = stats_service.duty_log(session, user=user, span=span)
        found.append(Figure("duty.log_entries", lazy("Duty-log entries"), log["total"],
                            link="/duty/log"))
    return found
