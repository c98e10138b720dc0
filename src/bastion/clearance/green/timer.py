"""The green channel's clock: a scheduled job (see the clearance manifest) escalating overdue
cases every ``BASTION_GREEN_CHANNEL_CHECK_SECONDS``, run by ``bastion worker`` or inside
``bastion serve`` (``core/jobs.py``); ``bastion clearance escalate`` does one round by hand."""

from __future__ import annotations

from bastion.clearance.green.service import escalate_overdue
from bastion.core.db import transaction


def escalate(sessions, settings) -> int:
    """One round in its own transaction: the number of cases escalated."""
    with transaction(sessions) as session:
        return len(escalate_overdue(session))
