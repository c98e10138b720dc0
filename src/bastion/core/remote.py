"""How ``bastion serve`` hears events other processes write: over NATS when ``BASTION_BUS``
names it (relaying the log there too while the server runs the jobs), else by reading the
event log itself. Either way they land on this process's bus, each id once."""

from __future__ import annotations

import asyncio
from typing import Any

from bastion.core.bus import get_bus
from bastion.core.db import make_reader_engine


def start_in_server(app: Any) -> list[asyncio.Task]:
    settings = app.state.settings
    if settings.bus.startswith(("nats://", "tls://")):
        from bastion.core import natsbus

        engine = make_reader_engine(settings.database_url)
        return [asyncio.create_task(natsbus.run(
            settings.bus, settings.bus_stream, engine, get_bus(), consumer=True,
            relay=settings.jobs_in_server and getattr(app.state, "leads", True), every=settings.event_poll_seconds or 0.25),
            name="events over NATS")]
    if settings.event_poll_seconds <= 0:
        return []
    from bastion.core.eventlog import tail

    engine = make_reader_engine(settings.database_url)
    return [asyncio.create_task(tail(engine, get_bus(), every=settings.event_poll_seconds),
                                name="event log tail")]
