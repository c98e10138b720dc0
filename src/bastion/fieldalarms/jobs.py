"""The device-health job: silent devices flagged (``service.flag_silent``)."""

from __future__ import annotations

from typing import Any

from bastion.core.db import transaction
from bastion.fieldalarms import service


def flag_silent(sessions: Any, settings: Any) -> int:
    """One round in its own transaction: the number of devices newly flagged silent."""
    with transaction(sessions) as session:
        return service.flag_silent(session, settings=settings.fieldalarms)
