"""Live AIS feeds into the picture: started with the server (settings) or by ``ais listen``.

Decoding and detectors run on the event loop (cheap per message); database writes run in a
worker thread every ``flush_every`` seconds so a slow disk never stalls the socket, and the
engine's clock is ticked so that a vessel going dark raises its gap alert while still dark.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path

from bastion.maritime.ais import open_source
from bastion.maritime.picture import Picture

log = logging.getLogger("bastion.ais")


async def run_feed(url: str, picture: Picture, *, flush_every: float = 2.0,
                   tick_every: float = 60.0, watchdog: float = 60.0) -> None:
    options = {"watchdog": watchdog} if url.startswith("tcp:") else {}
    source = open_source(url, **options)
    lock = asyncio.Lock()

    async def housekeeping() -> None:
        clock = asyncio.get_running_loop().time
        last_tick = clock()
        while True:
            await asyncio.sleep(flush_every)
            async with lock:
                if clock() - last_tick >= tick_every:
                    picture.tick(datetime.now(UTC))
                    last_tick = clock()
                await asyncio.to_thread(picture.flush)

    keeper = asyncio.create_task(housekeeping())
    try:
        async for message in source:
            async with lock:
                picture.ingest(message, arrival=datetime.now(UTC))
    finally:
        keeper.cancel()
        log.info("feed %s stopped: %s", url, source.stats.as_dict())
        await asyncio.to_thread(picture.flush)


def build_engine(zones: Path | None, settings):
    """The risk engine the settings describe (thresholds, zones file unless ``zones``)."""
    from bastion.maritime.risk import RiskEngine
    from bastion.maritime.zoneconfig import load_zones

    return RiskEngine(settings=settings.detectors, zones=load_zones(zones or settings.zones_file))


def start_configured_feeds(app) -> list[asyncio.Task]:
    """One task per ``BASTION_AIS_LISTENERS`` entry, sharing one picture."""
    settings = app.state.settings
    if not settings.ais_listeners:
        return []
    picture = Picture(sessions=app.state.sessionmaker, settings=settings,
                      engine=build_engine(None, settings))
    app.state.picture = picture
    return [asyncio.create_task(run_feed(url, picture), name=f"ais-feed {url}")
            for url in settings.ais_listeners]


def listen_into_picture(url: str, *, watchdog: float = 60.0) -> None:
    """``bastion ais listen URL``: one feed into the database, until interrupted."""
    from bastion.core.config import get_settings
    from bastion.core.db import make_engine, make_sessionmaker
    settings = get_settings()
    picture = Picture(sessions=make_sessionmaker(make_engine(settings.database_url)),
                      settings=settings, engine=build_engine(None, settings))
    try:
        asyncio.run(run_feed(url, picture, watchdog=watchdog))
    except KeyboardInterrupt:
        picture.flush()
