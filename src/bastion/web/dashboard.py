"""Numbers for the dashboard, computed for the caller (need-to-know applies to counts too)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bastion.audit.models import AuditAction, AuditEntry
from bastion.core import context
from bastion.core.db import utcnow
from bastion.core.marking import TLP, visible_to
from bastion.notices.models import Notice
from bastion.org.models import Role, User


def summary(session: Session, *, user: User, days: int = 14) -> dict[str, Any]:
    visible = visible_to(Notice, user)
    by_tlp = dict(session.execute(
        select(Notice.tlp, func.count(Notice.id))
        .where(visible, Notice.withdrawn_at.is_(None)).group_by(Notice.tlp)).all())
    since = utcnow() - timedelta(days=days)
    created = session.scalars(select(Notice.created_at).where(visible, Notice.created_at >= since))
    zone = ZoneInfo(context.current().timezone)  # days as the user lives them, not UTC days
    per_day: dict[str, int] = {}
    for when in created:
        key = when.astimezone(zone).date().isoformat()
        per_day[key] = per_day.get(key, 0) + 1
    today = utcnow().astimezone(zone).date()
    dates = [(today - timedelta(days=i)).isoformat() for i in range(days - 1, -1, -1)]
    result: dict[str, Any] = {
        "notices_by_tlp": {t.value: by_tlp.get(t, 0) for t in TLP},
        "notices_per_day": {"dates": dates, "counts": [per_day.get(d, 0) for d in dates]},
    }
    if user.has_role(Role.ADMIN):
        logins = dict(session.execute(
            select(AuditEntry.action, func.count(AuditEntry.id))
            .where(AuditEntry.at >= since,
                   AuditEntry.action.in_([AuditAction.LOGIN, AuditAction.LOGIN_FAILED]))
            .group_by(AuditEntry.action)).all())
        result["logins"] = {"ok": logins.get(AuditAction.LOGIN, 0),
                            "failed": logins.get(AuditAction.LOGIN_FAILED, 0)}
    return result
