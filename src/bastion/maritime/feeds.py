"""Live AIS feeds into the picture: started with the server (settings) or by ``ais listen``.

Decoding and detectors run on the event loop (cheap per message); database writes run in a
worker thread, at once when the engine raises an alert (so it reaches browsers within a second:
``bench/alert_latency.py``), else every ``flush_every`` seconds, so a slow disk never stalls the
socket; and the engine's clock is ticked so that a vessel going dark raises its gap alert while
still dark.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bastion.core.leader import LOCK_VARIABLE, deployment_file
from bastion.maritime.ais import open_source
from bastion.maritime.picture import Picture

log = logging.getLogger("bastion.ais")
# Positions a live feed's batch holds at most. An alert is written with the positions gathered
# before it, so it waits for the batch being written and then for its own: small batches keep
# that wait short when a feed runs fast. AISHub's sample at 5,000 msg/s through a server just
# started (bench/alert_latency.py): batches of 5,000 gave alerts p99 2.9 s, of 1,000 1.1 s, of
# 500 0.37 s; a replay, which nobody watches live, keeps its --batch of 5,000.
FEED_BATCH = 500


@dataclass
class FeedState:
    """What ``/healthz`` says of one configured feed: its state and its last message time.

    ``state`` is the source's ("connecting", "connected", "reconnecting" for TCP, "listening"
    for UDP) unless the feed task itself failed and waits to restart ("restarting"), or ended
    ("stopped").
    """

    url: str
    last_message: datetime | None = None
    messages: int = 0
    restarts: int = 0
    error: str | None = None
    failed: bool = False
    stopped: bool = False
    source: Any = None

    @property
    def state(self) -> str:
        if self.stopped:
            return "stopped"
        if self.failed:
            return "restarting"
        return getattr(self.source, "state", "connecting")

    def as_dict(self) -> dict[str, Any]:
        stats = self.source.stats.as_dict() if self.source is not None else {}
        return {"url": self.url, "state": self.state,
                "last_message": self.last_message.isoformat() if self.last_message else None,
                "messages": self.messages, "restarts": self.restarts, "error": self.error,
                "skipped": stats.get("skipped", {}), "reconnects": stats.get("reconnects", 0)}


async def run_feed(url: str, picture: Picture, *, flush_every: float = 2.0,
                   tick_every: float = 60.0, watchdog: float = 60.0,
                   state: FeedState | None = None, backoff_initial: float = 1.0,
                   backoff_max: float = 60.0) -> None:
    """Feed ``url`` into ``picture`` until cancelled or the source is closed.

    Nothing a feed sends can end this: a line the decoder cannot take is counted, a lost
    connection is the source's to retry, and anything that still raises (a bug, the database
    gone) is logged and the feed restarts after a backoff doubling up to ``backoff_max``.
    """
    state = state or FeedState(url)
    delay = backoff_initial
    while True:
        seen = state.messages
        try:
            await _run_once(url, picture, state, flush_every=flush_every,
                            tick_every=tick_every, watchdog=watchdog)
        except asyncio.CancelledError:
            state.stopped = True
            raise
        except Exception as exc:
            if state.messages > seen:
                delay = backoff_initial  # it worked for a while: retry soon
            state.failed, state.error = True, f"{type(exc).__name__}: {exc}"
            state.restarts += 1
            log.exception("AIS feed %s failed; restarting in %.1f s", url, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, backoff_max)
            continue
        state.stopped = True
        return


async def _run_once(url: str, picture: Picture, state: FeedState, *, flush_every: float,
                    tick_every: float, watchdog: float) -> None:
    options = {"watchdog": watchdog} if url.startswith("tcp:") else {}
    source = state.source = open_source(url, **options)
    state.failed = False
    picture.autoflush = False  # batches are written by the keeper below, off the event loop
    due = asyncio.Event()
    stopping = False

    async def keeper() -> None:
        """Writes a batch as soon as one is due (an alert: at once), else every
        ``flush_every`` seconds, in a thread while the socket is read on. A write that fails
        puts its batch back for the next one, after a pause."""
        clock = asyncio.get_running_loop().time
        last_tick = clock()
        while not stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(due.wait(), flush_every)
            due.clear()
            async with picture.writing:  # batches are written in the order they were taken
                batch = None
                try:
                    if clock() - last_tick >= tick_every:
                        picture.tick(datetime.now(UTC))
                        last_tick = clock()
                    batch = picture.take()
                    if batch:
                        await asyncio.to_thread(picture.write, batch)
                except Exception:
                    if batch:
                        picture.give_back(batch)
                    log.exception("AIS feed %s: storing a batch failed", url)
                    await asyncio.sleep(flush_every)

    writer = asyncio.create_task(keeper())
    try:
        async for message in source:
            now = datetime.now(UTC)
            picture.ingest(message, arrival=now)
            if picture.due:
                due.set()
            state.messages += 1
            state.last_message = now
    finally:
        # The keeper finishes the write it is in (a thread cannot be cancelled), then stops;
        # the last batch is written after it.
        stopping = True
        due.set()
        with contextlib.suppress(Exception):
            await asyncio.shield(writer)
        close = getattr(source, "close", None)
        if close is not None:
            close()
        log.info("feed %s stopped: %s", url, source.stats.as_dict())
        try:
            async with picture.writing:
                await asyncio.to_thread(picture.flush)
        except Exception:
            log.exception("AIS feed %s: storing the last batch failed", url)


def build_engine(zones: Path | None, settings, sessions=None):
    """The risk engine the settings describe (thresholds, zones file unless ``zones``), with
    the places known without drawing: UN/LOCODE ports, and the learned anchorages and water
    stored in the database when ``sessions`` is given (``bastion ais learn-places``)."""
    from bastion.maritime.places.service import known_places
    from bastion.maritime.risk import RiskEngine
    from bastion.maritime.zoneconfig import load_zones

    if sessions is None:
        places = known_places(None, settings.detectors.places)
    else:
        with sessions() as session:
            places = known_places(session, settings.detectors.places)
    return RiskEngine(settings=settings.detectors, zones=load_zones(zones or settings.zones_file),
                      places=places)


def start_configured_feeds(app) -> list[asyncio.Task]:
    """One task per ``BASTION_AIS_LISTENERS`` entry, sharing one picture, in the process that
    leads (``core/leader.py``). With several server processes the leader also writes its feeds'
    states to a file every few seconds, which the others read for ``/healthz``."""
    settings = app.state.settings
    if not settings.ais_listeners:
        return []
    shared = deployment_file(settings, STATES_FILE)
    if not getattr(app.state, "leads", True):
        app.state.feeds = SharedFeedStates(shared)
        return []
    picture = Picture(sessions=app.state.sessionmaker, settings=settings,
                      engine=build_engine(None, settings, app.state.sessionmaker),
                      batch=FEED_BATCH)
    app.state.picture = picture
    app.state.feeds = [FeedState(url) for url in settings.ais_listeners]
    tasks = [asyncio.create_task(run_feed(state.url, picture, state=state),
                                 name=f"ais-feed {state.url}") for state in app.state.feeds]
    if os.environ.get(LOCK_VARIABLE):
        tasks.append(asyncio.create_task(_share_states(app.state.feeds, shared),
                                         name="ais-feed states"))
    return tasks


STATES_FILE = "feeds.json"


@dataclass
class _Reported:
    """A feed's state as the leading process last wrote it."""

    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return self.data


@dataclass
class SharedFeedStates:
    """The leading process's feed states, read from its file at each look (``/healthz``)."""

    path: Path

    def __iter__(self):
        try:
            written = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return iter(())
        return iter(_Reported({**feed, "reported_at": written["at"]})
                    for feed in written["feeds"])


async def _share_states(feeds: list[FeedState], path: Path, every: float = 5.0) -> None:
    while True:
        data = {"at": datetime.now(UTC).isoformat(), "feeds": [f.as_dict() for f in feeds]}
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, default=str), encoding="utf-8")
        temporary.replace(path)  # atomic: a reader sees the old file or the new one
        await asyncio.sleep(every)


def listen_into_picture(url: str, *, watchdog: float = 60.0) -> None:
    """``bastion ais listen URL``: one feed into the database, until interrupted."""
    from bastion.core.config import get_settings
    from bastion.core.db import make_engine, make_sessionmaker
    settings = get_settings()
    factory = make_sessionmaker(make_engine(settings.database_url))
    picture = Picture(sessions=factory, settings=settings,
                      engine=build_engine(None, settings, factory), batch=FEED_BATCH)
    try:
        asyncio.run(run_feed(url, picture, watchdog=watchdog))
    except KeyboardInterrupt:
        picture.flush()
