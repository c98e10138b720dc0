"""The green channel's clock: escalate overdue cases every minute while the server runs."""

from __future__ import annotations

import asyncio
import logging

from bastion.clearance.green.service import escalate_overdue

log = logging.getLogger(__name__)


def escalate_once(sessions) -> int:
    with sessions() as session:
        raised = escalate_overdue(session)
        session.commit()
        return len(raised)


async def run(sessions, *, every: float = 60.0) -> None:
    """A failed round is logged and the next one runs: the clock must not stop."""
    while True:
        try:
            await asyncio.to_thread(escalate_once, sessions)
        except Exception:  # keep ticking: the next round retries
            log.exception("green-channel escalation round failed")
        await asyncio.sleep(every)


def start(app) -> list[asyncio.Task]:
    every = app.state.settings.green_channel_check_seconds
    if every <= 0:
        return []
    return [asyncio.create_task(run(app.state.sessionmaker, every=every),
                                name="green-channel escalation")]
