"""The event bus: publish/subscribe inside one process.

Publishers are often worker threads (FastAPI runs sync endpoints in a thread pool) while
subscribers are asyncio tasks (server-sent events), so delivery hops onto each subscriber's
loop with ``call_soon_threadsafe``. A slow subscriber loses its oldest events rather than
blocking publishers or growing without bound.

Events written by other processes arrive from the event log or NATS (``core/eventlog.py``,
``core/natsbus.py``) through ``publish_remote``, which delivers each event id once: this
process ``claim``s the ids it writes as it writes them, so the copy read back from the log
(which may come before or after the local publication) is not delivered a second time.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Event:
    """What subscribers receive. ``record_kind``/``record_id`` let them check need-to-know."""

    id: int
    kind: str
    at: datetime
    record_kind: str | None = None
    record_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)


class Bus(Protocol):
    def publish(self, event: Event) -> None: ...

    def publish_remote(self, event: Event) -> bool: ...

    def claim(self, event_id: int) -> None: ...

    def release(self, event_id: int) -> None: ...

    def subscribe(self, maxsize: int = 256) -> AsyncIterator[asyncio.Queue[Event]]: ...


# Ids remembered for deduplication: far more than the events of the few seconds in which a
# row can be both published here and read back from the log or NATS.
REMEMBERED_IDS = 65_536


class InProcessBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Event]]] = []
        self._known: OrderedDict[int, None] = OrderedDict()

    def claim(self, event_id: int) -> None:
        """This process wrote the row (published after commit): ignore it from elsewhere."""
        with self._lock:
            self._remember(event_id)

    def release(self, event_id: int) -> None:
        """The row was rolled back; SQLite may give its id to another process's row."""
        with self._lock:
            self._known.pop(event_id, None)

    def publish_remote(self, event: Event) -> bool:
        """Deliver an event read from the log or NATS unless this id was delivered already."""
        with self._lock:
            if event.id in self._known:
                return False
            self._remember(event.id)
        self.publish(event)
        return True

    def _remember(self, event_id: int) -> None:
        self._known[event_id] = None
        if len(self._known) > REMEMBERED_IDS:
            self._known.popitem(last=False)

    def publish(self, event: Event) -> None:
        with self._lock:
            targets = list(self._subscribers)
        for loop, queue in targets:
            try:
                loop.call_soon_threadsafe(_offer, queue, event)
            except RuntimeError:  # loop closed: the subscriber is gone
                self._drop(queue)

    @asynccontextmanager
    async def subscribe(self, maxsize: int = 256) -> AsyncIterator[asyncio.Queue[Event]]:
        queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=maxsize)
        with self._lock:
            self._subscribers.append((asyncio.get_running_loop(), queue))
        try:
            yield queue
        finally:
            self._drop(queue)

    @property
    def subscriber_count(self) -> int:
        with self._lock:
            return len(self._subscribers)

    def _drop(self, queue: asyncio.Queue[Event]) -> None:
        with self._lock:
            self._subscribers = [(lp, q) for lp, q in self._subscribers if q is not queue]


def _offer(queue: asyncio.Queue[Event], event: Event) -> None:
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(event)


_bus: Bus = InProcessBus()


def get_bus() -> Bus:
    return _bus


def set_bus(bus: Bus) -> None:
    global _bus
    _bus = bus
