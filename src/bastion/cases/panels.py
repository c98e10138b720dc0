"""What cases add to a vessel alert's page (``core.domains.Panel``): the cases opened from the
alert that the user may read, and a link to open one. Nothing for who reads no cases."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bastion.cases import access
from bastion.cases.models import Case
from bastion.org import capabilities
from bastion.org.models import User


def alert_panel(*, session: Session, user: User, alert_id: int | None = None,
                **_: Any) -> dict[str, Any] | None:
    if alert_id is None or not capabilities.can(user, "cases.read"):
        return None
    found = list(session.scalars(access.cases_query(user).where(
        Case.kind == "alert", Case.source_id == alert_id).order_by(Case.opened_at.desc())))
    return {"cases": found, "alert_id": alert_id,
            "can_open": capabilities.can(user, "cases.write")}
