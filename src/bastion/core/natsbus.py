"""Events across processes over NATS JetStream (``BASTION_BUS=nats://host:4222``).

The event log stays the source of truth; NATS only carries it. A relay reads the log in id
order (``core/eventlog.LogReader``) and publishes each row to the stream with its id as
``Nats-Msg-Id``, so JetStream itself drops a row published twice (two relays, or a relay that
died between publishing and noting it) within ``DUPLICATE_WINDOW_S``. Each message also
carries the relay's low-water mark (every id at or below it was published): a relay that
restarts reads the stream's last messages to learn where it stopped, and publishes only
what came after. Consumers (the web servers) deliver each id once to their process's bus.

Deployments: ``bastion serve`` consumes, and relays too while it runs the jobs
(``BASTION_JOBS_IN_SERVER``); otherwise ``bastion worker`` relays.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from bastion.core.bus import Bus, Event
from bastion.core.eventlog import GAP_GRACE_S, LogReader, last_id

log = logging.getLogger(__name__)

MSG_ID = "Nats-Msg-Id"
LOW = "Bastion-Low"
# Longer than a gap is held open (GAP_GRACE_S): a row offered again after a restart or by a
# second relay is still recognised as a duplicate.
DUPLICATE_WINDOW_S = 10 * 60
MAX_AGE_S = 7 * 24 * 3600  # NATS only carries events; the log keeps them
assert DUPLICATE_WINDOW_S > GAP_GRACE_S


def encode(event: Event) -> bytes:
    return json.dumps({"id": event.id, "kind": event.kind, "at": event.at.isoformat(),
                       "record_kind": event.record_kind, "record_id": event.record_id,
                       "payload": event.payload}, default=str).encode()


def decode(data: bytes) -> Event:
    item = json.loads(data)
    return Event(item["id"], item["kind"], datetime.fromisoformat(item["at"]),
                 item.get("record_kind"), item.get("record_id"), item.get("payload") or {})


async def connect(url: str) -> Any:
    import nats

    return await nats.connect(servers=[url], connect_timeout=2, max_reconnect_attempts=-1,
                              reconnect_time_wait=1)


async def ensure_stream(js: Any, stream: str) -> None:
    from nats.js.errors import NotFoundError

    try:
        await js.stream_info(stream)
    except NotFoundError:
        await js.add_stream(name=stream, subjects=[f"{stream}.>"], max_age=MAX_AGE_S,
                            duplicate_window=DUPLICATE_WINDOW_S)


class Relay:
    """Publishes event-log rows to the stream, each once, resuming where it stopped."""

    def __init__(self, js: Any, engine: Engine, stream: str) -> None:
        self.js, self.engine, self.stream = js, engine, stream
        self.reader: LogReader | None = None

    async def resume(self) -> LogReader:
        """Start after the last low-water mark in the stream, knowing which ids above it
        the stream holds already. An empty stream starts at the end of the log: the
        history stays in the log and is not pushed to live consumers."""
        from nats.js.errors import NotFoundError

        seq = (await self.js.stream_info(self.stream)).state.last_seq
        low, done = None, set()
        while seq:
            try:
                msg = await self.js.get_msg(self.stream, seq)
            except NotFoundError:  # expired by age, or deleted
                break
            event_id = int(msg.headers[MSG_ID])
            if low is None:
                low = int(msg.headers[LOW])
            if event_id <= low:
                break
            done.add(event_id)
            seq -= 1
        if low is None:
            low, done = await asyncio.to_thread(last_id, self.engine), set()
        self.reader = LogReader(self.engine, after=low, done=done)
        return self.reader

    async def publish_new(self) -> int:
        """Publish the rows not yet in the stream; the number the stream took as new."""
        reader = self.reader or await self.resume()
        stored = 0
        for event in await asyncio.to_thread(reader.read):
            ack = await self.js.publish(f"{self.stream}.{event.kind}", encode(event),
                                        headers={MSG_ID: str(event.id), LOW: str(reader.low)})
            reader.done(event.id)
            stored += not ack.duplicate
        return stored


async def consume(js: Any, stream: str, bus: Bus) -> Any:
    """Deliver the stream's new events to this process's bus (each id once: ``publish_remote``
    skips ids this process wrote or already delivered)."""
    from nats.js.api import DeliverPolicy

    async def on_message(msg: Any) -> None:
        try:
            bus.publish_remote(decode(msg.data))
        except (ValueError, KeyError):
            log.warning("not an event on %s: %r", msg.subject, msg.data[:200])

    return await js.subscribe(f"{stream}.>", stream=stream, cb=on_message,
                              ordered_consumer=True, deliver_policy=DeliverPolicy.NEW)


async def run(url: str, stream: str, engine: Engine, bus: Bus, *, consumer: bool, relay: bool,
              every: float) -> None:
    """Consume and/or relay until cancelled, reconnecting whenever NATS goes away (the server
    starts and serves while NATS is down; the relay catches up when it is back). Closes
    ``engine`` when cancelled."""
    try:
        while True:
            try:
                await _connected(url, stream, engine, bus, consumer=consumer, relay=relay,
                                 every=every)
            except Exception as exc:  # noqa: BLE001 - unreachable, or JetStream refused: retry
                log.warning("NATS bus at %s: %s; retrying", url, exc)
                await asyncio.sleep(2)
    finally:
        engine.dispose()


async def _connected(url: str, stream: str, engine: Engine, bus: Bus, *, consumer: bool,
                     relay: bool, every: float) -> None:
    nc = await connect(url)
    try:
        js = nc.jetstream()
        await ensure_stream(js, stream)
        if consumer:
            await consume(js, stream, bus)
        publisher = Relay(js, engine, stream) if relay else None
        while True:
            if publisher is not None:
                try:
                    await publisher.publish_new()
                except Exception:  # the database or NATS away for a moment: next round
                    log.exception("relaying events to NATS failed")
            await asyncio.sleep(every)
    finally:
        await nc.close()
