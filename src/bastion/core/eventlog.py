"""Hearing events written by other processes: read the event log in id order, each row once.

The event log is the source of truth. ``bastion ais listen``, ``bastion worker`` and the CLI
write rows from their own processes; the web server learns of them by reading the log
(``tail``), or from NATS, which a relay feeds from the same reader (``core/natsbus.py``);
``core/remote.py`` picks one for the server.

Ids are not always committed in order. On SQLite they are (one writer at a time, ``BEGIN
IMMEDIATE``), but on PostgreSQL a transaction that took id 10 may commit after one that took
id 11. The reader therefore keeps a low-water mark (every id at or below it is handled) and
the ids it handled above it; a missing id holds the mark for ``GAP_GRACE_S`` and is then
given up as rolled back. A row committed later than that stays in the log and in statistics,
but is not streamed live.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from sqlalchemy import Engine, func, or_, select

from bastion.core.bus import Bus, Event
from bastion.core.events import EventRecord

log = logging.getLogger(__name__)

# A transaction that emitted an event commits within this many seconds, or its event is not
# streamed live: longer than an AIS batch flush or a file import, short enough that a
# rolled-back id does not hold readers for long.
GAP_GRACE_S = 60.0
BATCH = 1000
MAX_RUNS = 50

_TABLE = EventRecord.__table__


def to_event(row: Any) -> Event:
    return Event(row.id, row.kind, row.at, row.record_kind, row.record_id, dict(row.payload or {}))


def last_id(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.max(_TABLE.c.id))) or 0


class LogReader:
    """Rows of the event log after ``after``, each returned until it is marked ``done``.

    ``read`` returns rows not yet done (new ones, and late commits that filled a gap); the
    caller delivers them and marks each ``done`` only once delivered, so a failed delivery is
    retried by the next ``read``.
    """

    def __init__(self, engine: Engine, *, after: int, done: set[int] | None = None,
                 grace: float = GAP_GRACE_S, clock=time.monotonic) -> None:
        self.engine = engine
        self.low = after  # every id <= low is handled (delivered, or given up)
        self.high = max([after, *(done or ())])  # the highest id read so far
        self._done = {i for i in (done or ()) if i > after}
        self._missing_since: dict[int, float] = {}  # the first missing id above low -> since
        self._grace, self._clock = grace, clock
        self._advance()

    def read(self) -> list[Event]:
        with self.engine.connect() as conn:
            rows = list(conn.execute(select(_TABLE).where(_TABLE.c.id > self.high)
                                     .order_by(_TABLE.c.id).limit(BATCH)))
            missing = self._missing()
            if missing:  # ids skipped below high: committed late since?
                rows = list(conn.execute(select(_TABLE).where(
                    or_(*(_TABLE.c.id.between(a, b) for a, b in missing)))
                    .order_by(_TABLE.c.id))) + rows
        if rows:
            self.high = max(self.high, rows[-1].id)
        events = [to_event(r) for r in rows if r.id not in self._done]
        self._advance()
        return events

    def _missing(self) -> list[tuple[int, int]]:
        """The runs of ids between low and high not handled yet (few: each is a transaction
        still open, or rolled back); past ``MAX_RUNS`` one range covers the rest."""
        runs, start = [], self.low + 1
        for handled in sorted(self._done):
            if handled > start:
                runs.append((start, handled - 1))
            start = handled + 1
        if start <= self.high:
            runs.append((start, self.high))
        if len(runs) > MAX_RUNS:
            runs = [*runs[:MAX_RUNS - 1], (runs[MAX_RUNS - 1][0], self.high)]
        return runs

    def done(self, event_id: int) -> None:
        if event_id > self.low:
            self._done.add(event_id)
        self._advance()

    def _advance(self) -> None:
        """Move the low-water mark over handled ids, and over a missing one once its grace has
        passed."""
        while self.low < self.high:
            following = self.low + 1
            if following in self._done:
                self._done.discard(following)
                self.low = following
                self._missing_since.clear()
                continue
            if not self._done:
                return  # nothing handled above: nothing is known to be missing yet
            since = self._missing_since.setdefault(following, self._clock())
            if self._clock() - since < self._grace:
                return
            # The whole run of missing ids up to the next handled one went missing together
            # (a rolled-back batch): give it up at once, not one grace period per id.
            resume = min(self._done) - 1
            log.warning("events %s-%s never appeared within %.0f s: given up", following,
                        resume, self._grace)
            self._missing_since.clear()
            self.low = resume


async def tail(engine: Engine, bus: Bus, *, every: float) -> None:
    """Publish on this process's bus the rows other processes write (this process's own rows
    are claimed, so ``publish_remote`` skips them). Starts at the end of the log: browsers
    hear what happens from now on. Runs until cancelled, then closes ``engine``."""
    reader: LogReader | None = None
    try:
        while True:
            try:
                if reader is None:
                    reader = LogReader(engine, after=await asyncio.to_thread(last_id, engine))
                for event in await asyncio.to_thread(reader.read):
                    bus.publish_remote(event)
                    reader.done(event.id)
            except Exception:  # a locked, restarting or not yet migrated database: next round
                log.exception("reading the event log failed")
            await asyncio.sleep(every)
    finally:
        engine.dispose()

