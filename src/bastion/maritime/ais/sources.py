"""Where NMEA lines come from: files (plain or gzip), a TCP feed, UDP datagrams.

Every source wraps one ``Pipeline`` and exposes its ``stats``. Network sources are async
iterators of message dicts and must survive the feed: a dropped TCP connection is retried with
exponential backoff, and a connection that stays open but goes quiet (a wedged AIS-catcher or a
NAT that forgot us) trips a watchdog instead of stalling the picture forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import logging
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from bastion.maritime.ais.pipeline import Clock, Pipeline, Stats

_GZIP_MAGIC = b"\x1f\x8b"
LINE_TOO_LONG = "line_too_long"
DROPPED_DATAGRAM = "dropped_datagram"
log = logging.getLogger("bastion.ais")


def open_lines(path: str | Path) -> Iterator[bytes]:
    """The lines of a file as bytes; gzip is recognised by its magic number, not its name."""
    path = Path(path)
    with path.open("rb") as probe:
        gzipped = probe.read(2) == _GZIP_MAGIC
    opener = gzip.open if gzipped else open
    with opener(path, "rb") as handle:
        yield from handle


def read_file(path: str | Path, *, pipeline: Pipeline | None = None,
              clock: Clock | None = None) -> Iterator[dict]:
    """Decoded messages of one NMEA file. Without ``clock`` a message without tag-block or
    suffix time has ``time`` None: a file's read time says nothing about when it was received."""
    return (pipeline or Pipeline()).run(open_lines(path), clock)


class TcpSource:
    """A TCP client for a raw NMEA feed (AIS-catcher, AISHub, a shore station's serial bridge).

    ``watchdog`` seconds without a line closes the connection and counts a watchdog trip;
    reconnects wait ``backoff_initial`` doubling up to ``backoff_max`` while attempts fail.
    """

    def __init__(self, host: str, port: int, *, pipeline: Pipeline | None = None,
                 watchdog: float = 60.0, backoff_initial: float = 0.5, backoff_max: float = 30.0,
                 connect_timeout: float = 10.0, clock: Clock = time.time) -> None:
        self.host, self.port = host, port
        self.pipeline = pipeline or Pipeline()
        self.watchdog = watchdog
        self.backoff_initial, self.backoff_max = backoff_initial, backoff_max
        self.connect_timeout = connect_timeout
        self.clock = clock
        self._closed = False
        # "connecting" before the first connection, "connected", "reconnecting" after a loss.
        self.state = "connecting"

    @property
    def stats(self) -> Stats:
        return self.pipeline.stats

    def close(self) -> None:
        """Stop after the current read; the iterator ends."""
        self._closed = True

    async def messages(self) -> AsyncIterator[dict]:
        stats, feed, clock = self.stats, self.pipeline.feed, self.clock
        delay = self.backoff_initial
        while not self._closed:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(self.host, self.port), self.connect_timeout)
            except (OSError, TimeoutError) as exc:
                stats.skipped["connect_failed"] += 1
                log.warning("AIS feed tcp://%s:%s: cannot connect (%s); retrying in %.1f s",
                            self.host, self.port, exc or type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff_max)
                continue
            if stats.connects:
                stats.reconnects += 1
            stats.connects += 1
            self.state = "connected"
            log.info("AIS feed tcp://%s:%s: connected", self.host, self.port)
            why = "closed by the server"
            try:
                while not self._closed:
                    try:
                        line = await asyncio.wait_for(reader.readline(), self.watchdog)
                    except TimeoutError:
                        stats.watchdog_trips += 1
                        why = f"no line for {self.watchdog:g} s"
                        break
                    except ValueError:  # longer than the stream limit; readline dropped it
                        stats.skipped[LINE_TOO_LONG] += 1
                        continue
                    except OSError as exc:
                        why = str(exc) or type(exc).__name__
                        break
                    if not line:
                        break  # the server closed the connection
                    delay = self.backoff_initial  # the feed works again: next retry is quick
                    stats.bytes += len(line)
                    message = feed(line, clock())
                    if message is not None:
                        yield message
            finally:
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
            if not self._closed:
                self.state = "reconnecting"
                log.warning("AIS feed tcp://%s:%s: connection lost (%s); reconnecting in %.1f s",
                            self.host, self.port, why, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff_max)

    def __aiter__(self) -> AsyncIterator[dict]:
        return self.messages()


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, queue: asyncio.Queue, stats: Stats) -> None:
        self.queue, self.stats = queue, stats

    def datagram_received(self, data: bytes, addr: tuple) -> None:
        if not data:
            return
        try:
            self.queue.put_nowait(data)
        except asyncio.QueueFull:  # the consumer is behind: drop rather than grow without bound
            self.stats.skipped[DROPPED_DATAGRAM] += 1


class UdpSource:
    """A UDP listener: each datagram carries one or more NMEA lines (AIS-catcher ``-u``, OpenCPN).

    ``await start()`` binds (``port=0`` picks a free port, then ``self.port`` holds it).
    """

    def __init__(self, port: int, host: str = "0.0.0.0", *, pipeline: Pipeline | None = None,
                 clock: Clock = time.time, queue_size: int = 10_000) -> None:
        self.host, self.port = host, port
        self.pipeline = pipeline or Pipeline()
        self.clock = clock
        self.queue: asyncio.Queue = asyncio.Queue(queue_size)
        self._transport: asyncio.DatagramTransport | None = None
        self.state = "connecting"  # "listening" once bound

    @property
    def stats(self) -> Stats:
        return self.pipeline.stats

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._transport, _ = await loop.create_datagram_endpoint(
            lambda: _Datagrams(self.queue, self.stats), local_addr=(self.host, self.port))
        self.port = self._transport.get_extra_info("sockname")[1]
        self.state = "listening"

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait(None)  # wakes the iterator, which then ends

    async def messages(self) -> AsyncIterator[dict]:
        if self._transport is None:
            await self.start()
        stats, feed, clock = self.stats, self.pipeline.feed, self.clock
        while True:
            data = await self.queue.get()
            if data is None:
                return
            stats.bytes += len(data)
            arrival = clock()
            for line in data.splitlines():
                if line:
                    message = feed(line, arrival)
                    if message is not None:
                        yield message

    def __aiter__(self) -> AsyncIterator[dict]:
        return self.messages()


def open_source(url: str, **options) -> TcpSource | UdpSource:
    """``tcp://host:port`` or ``udp://[host]:port`` to a source."""
    parts = urlsplit(url)
    if parts.port is None or parts.scheme not in ("tcp", "udp"):
        raise ValueError(f"expected tcp://HOST:PORT or udp://[HOST]:PORT, got {url!r}")
    if parts.scheme == "tcp":
        if not parts.hostname:
            raise ValueError(f"a TCP source needs a host: {url!r}")
        return TcpSource(parts.hostname, parts.port, **options)
    return UdpSource(parts.port, parts.hostname or "0.0.0.0", **options)
