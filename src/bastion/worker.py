"""``bastion worker``: the domains' scheduled jobs, and the NATS relay, outside the server.

A laptop does not need it (``bastion serve`` runs the jobs itself by default). A deployment
with several server processes runs one worker and sets ``BASTION_JOBS_IN_SERVER=false`` on the
servers, so each job runs once per turn; with ``BASTION_BUS=nats://...`` the worker is also
the relay that carries event-log rows to NATS. ``--once`` runs every job once and exits (for
cron, and tests), non-zero if any failed.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from bastion.core import jobs
from bastion.core.config import Settings, get_settings
from bastion.core.db import make_engine, make_reader_engine, make_sessionmaker

log = logging.getLogger("bastion.worker")


def main(*, once: bool = False, settings: Settings | None = None) -> int:
    """Run the worker; the exit status."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    scheduled = jobs.scheduled(settings)
    try:
        if once:
            failed = [job.name for job in scheduled if not jobs.run_once(job, sessions, settings)]
            if failed:
                log.error("failed: %s", ", ".join(failed))
            return 1 if failed else 0
        log.info("jobs: %s",
                 ", ".join(f"{j.name} every {j.every:g} s" for j in scheduled) or "none")
        asyncio.run(_forever(scheduled, sessions, settings))
        return 0
    finally:
        engine.dispose()


async def _forever(scheduled: list[jobs.Scheduled], sessions, settings: Settings) -> None:
    """Until Ctrl-C or SIGTERM; a job running at that moment is left to its thread's end."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    tasks = jobs.start(scheduled, sessions, settings)
    if settings.bus.startswith(("nats://", "tls://")):
        from bastion.core import natsbus
        from bastion.core.bus import get_bus

        reader = make_reader_engine(settings.database_url)
        tasks.append(asyncio.create_task(natsbus.run(
            settings.bus, settings.bus_stream, reader, get_bus(), consumer=False, relay=True,
            every=settings.event_poll_seconds or 0.25), name="event relay"))
    await stop.wait()
    log.info("stopping")
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
