"""The event bus: publish/subscribe. In-process by default; NATS later for several processes.

Publishers are often worker threads (FastAPI runs sync endpoints in a thread pool) while
subscribers are asyncio tasks (server-sent events), so delivery hops onto each subscriber's
loop with ``call_soon_threadsafe``. A slow subscriber loses its oldest events rather than
blocking publishers or growing without bound.
"""

from __future__ import annotations

import asyncio
import threading
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

    def subscribe(self, maxsize: int = 256) -> AsyncIterator[asyncio.Queue[Event]]: ...


class InProcessBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Event]]] = []

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
