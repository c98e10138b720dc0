"""The field alarms' figures for the annual report (``core.figures``): alarms received and
those found false, from the records, operational only (a test press in a drill is not counted),
and only what the user may see. Battery-low messages are device upkeep, not alarms."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func

from bastion.core.config import get_settings
from bastion.core.exercise import operational
from bastion.core.figures import Figure
from bastion.core.i18n import lazy
from bastion.fieldalarms import access
from bastion.fieldalarms.models import AlarmKind, AlarmStatus, FieldAlarm
from bastion.org import capabilities

ALARMS = (AlarmKind.BUTTON, AlarmKind.TRIGGER, AlarmKind.TAMPER)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(get_settings().timezone)
    return (datetime.combine(start, time(), zone), datetime.combine(end, time(), zone))


def figures(*, session: Any, user: Any, start: date, end: date) -> list[Figure] | None:
    if not capabilities.can(user, "fieldalarms.read"):
        return None
    since, until = _bounds(start, end)
    query = access.alarms_query(user).where(
        operational(FieldAlarm), FieldAlarm.kind.in_(ALARMS),
        FieldAlarm.received_at >= since, FieldAlarm.received_at < until).order_by(None)
    alarms = session.scalar(query.with_only_columns(func.count(FieldAlarm.id))) or 0
    false = session.scalar(query.where(FieldAlarm.status == AlarmStatus.FALSE_ALARM)
                           .with_only_columns(func.count(FieldAlarm.id))) or 0
    return [Figure("fieldalarms.alarms", lazy("Field alarms received"), alarms,
                   lazy("alarms"), "/field-alarms"),
            Figure("fieldalarms.false_alarms", lazy("Field alarms found false"), false,
                   lazy("alarms"), "/field-alarms")]
