"""The in-memory index of every person's names (``residents.names`` searches it), one per
database (engine), kept up to date with the database without making a user wait.

The keys are stored with each person (``Resident.name_keys``), so the index is built from
them, never derived: 50,000 persons in a second or two (``StoredKeysIndex.add_many``). Who
builds it and when:

- **the server** (``bastion serve``) starts a keeper with itself (:func:`keep_up`, the
  domain's ``startup``): it builds the index at once, then every
  ``residents.names_every_s`` seconds takes in what any process changed (persons added,
  renamed or deleted; a big import), a big change by building a new index beside the one in
  use and swapping it in. A search meanwhile only takes in persons registered since the
  keeper's last pass (the highest id moved: one query on the primary key), when they are few
  (:data:`ABSORB`); a person registered in another process is found at once, a
  50,000-person import within one pass. Only a search in the first second or two of the
  server's life, before the first build is done, waits for it.
- **elsewhere** (a command, a test; a server with ``names_every_s`` 0) the search brings the
  index up to date itself, as the keeper would, checking for edits and deletions made
  elsewhere every :data:`CHECK_EVERY_S` seconds.

An edit made in this process is passed on at once by :func:`note`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import weakref
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bastion.residents.models import Resident
from bastion.screening.names import PersonRecord
from bastion.screening.names.hanvietindex import StoredKeysIndex

log = logging.getLogger(__name__)
CHECK_EVERY_S = 10.0  # without a keeper: how often edits elsewhere are looked for
ABSORB = 2000  # new persons a search takes in itself while a keeper runs; more: the keeper
STALE_AFTER = 3  # a keeper silent for this many of its intervals is taken for gone


class _Cache:
    def __init__(self) -> None:
        self.index = StoredKeysIndex()
        self.seen: datetime | None = None  # the latest updated_at read
        self.last: tuple | None = None  # (id, updated_at) of the highest id read
        self.checked = 0.0  # time.monotonic() of the last full check
        self.lock = threading.Lock()
        self.kept = 0.0  # time.monotonic() of the keeper's last pass (0: no keeper)
        self.every = 0.0  # the keeper's interval
        self.ready = threading.Event()  # set once the index has been built
        self.ready.set()


_caches: weakref.WeakKeyDictionary[Any, _Cache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def _key(session: Session) -> Any:
    """What one index serves: an engine's pool, shared by the engine and the copies of it
    with other options (a server's GET requests read through one: ``core.db``'s read
    sessions); a test's one connection."""
    bind = session.get_bind()
    return bind.pool if isinstance(bind, Engine) else bind


def _cache(session: Session) -> _Cache:
    key = _key(session)
    with _caches_lock:
        cache = _caches.get(key)
        if cache is None:
            cache = _caches[key] = _Cache()
    return cache


def _record(row: Any) -> PersonRecord:
    dob = row.birth_date
    return PersonRecord(name=row.name, aliases=tuple(n for n in (row.name_latin, row.name_han)
                                                      if n),
                        dob=dob if isinstance(dob, str) or dob is None else dob.isoformat(),
                        id=str(row.id))


def _read(session: Session, *where: Any, limit: int | None = None
          ) -> tuple[list[PersonRecord], list[list[str]]]:
    """Persons' records and stored keys, as text from the database (dates and JSON read by
    one parse each, not a conversion per row)."""
    stmt = select(Resident.id, Resident.name, Resident.name_latin, Resident.name_han,
                  cast(Resident.birth_date, String).label("birth_date"),
                  cast(Resident.name_keys, String).label("name_keys")).where(*where)
    if limit is not None:
        stmt = stmt.order_by(Resident.id).limit(limit)
    rows = session.connection().execute(stmt).all()
    keys = json.loads("[" + ",".join(r.name_keys or "null" for r in rows) + "]")
    return [_record(r) for r in rows], [k or () for k in keys]


def _highest(session: Session) -> tuple | None:
    last = session.execute(select(Resident.id, Resident.updated_at)
                           .order_by(Resident.id.desc()).limit(1)).first()
    return tuple(last) if last else None


def _grew(session: Session, cache: _Cache, last: tuple | None) -> bool:
    """Only new persons since the last read: ids above the highest read, which is as it was
    (not a rolled back row whose id came round again)."""
    return last is not None and cache.last is not None and last[0] > cache.last[0] and (
        session.scalar(select(Resident.updated_at).where(Resident.id == cache.last[0]))
        == cache.last[1])


def index(session: Session) -> StoredKeysIndex:
    """The index of every person's names, up to date with the database (see the module)."""
    cache = _cache(session)
    if cache.kept and time.monotonic() - cache.kept < STALE_AFTER * cache.every + 30:
        cache.ready.wait()  # only before the keeper's first build
        _absorb(session, cache)
        return cache.index
    return _update(session, cache, full=False)


def _absorb(session: Session, cache: _Cache) -> None:
    """Persons registered since the last read, if few (the keeper takes the rest). The last
    person read is read again with them when it changed since (edited elsewhere, or its id
    came round again after a rollback): a new person is never held back behind an edit the
    keeper has not taken in yet (a post registering a duplicate would go unwarned)."""
    last = _highest(session)
    if last == cache.last:
        return
    with cache.lock:
        if last is None or cache.last is None or last == cache.last or last[0] <= cache.last[0]:
            return
        since = Resident.id > cache.last[0] if _grew(session, cache, last) else \
            Resident.id >= cache.last[0]
        records, keys = _read(session, since, limit=ABSORB + 2)
        if len(records) > ABSORB + 1:
            return
        cache.index.add_many(records, keys)
        cache.last = last


def _update(session: Session, cache: _Cache, *, full: bool) -> StoredKeysIndex:
    """Bring the index up to date: new persons at once; edits and deletions elsewhere when
    ``full`` or every :data:`CHECK_EVERY_S` (count and latest ``updated_at``: a scan). A
    change touching many persons is read into a new index, swapped in when built."""
    last = _highest(session)
    with cache.lock:
        due = full or time.monotonic() - cache.checked >= CHECK_EVERY_S
        if last == cache.last and not due:
            return cache.index
        if _grew(session, cache, last) and not due:
            records, keys = _read(session, Resident.id > cache.last[0])
            cache.index.add_many(records, keys)
            cache.last = last
            return cache.index
        count, latest = session.execute(
            select(func.count(Resident.id), func.max(Resident.updated_at))).one()
        cache.checked = time.monotonic()
        if count == len(cache.index) and latest == cache.seen and last == cache.last:
            return cache.index
        if cache.seen is not None and latest is not None and count >= len(cache.index):
            records, keys = _read(session, Resident.updated_at >= cache.seen,
                                  limit=ABSORB + 1)
            if len(records) <= ABSORB:
                cache.index.add_many(records, keys)
                if len(cache.index) == count:
                    cache.seen, cache.last = latest, last
                    return cache.index
    # rows went, many changed, or a row was written with an older time: read them all
    fresh = StoredKeysIndex()
    fresh.add_many(*_read(session))
    fresh.compact()
    with cache.lock:
        cache.index, cache.seen, cache.last = fresh, latest, last
    return fresh


def note(session: Session, *, resident: Resident) -> None:
    """Pass a person's new or changed names to this process's index at once (the registry
    calls it after an edit; without it the index sees the edit within CHECK_EVERY_S, or the
    keeper's next pass)."""
    cache = _caches.get(_key(session))
    if cache is not None and resident.id is not None:
        with cache.lock:
            cache.index.add_stored(_record(resident), resident.name_keys or ())


# --- the keeper, with the server ---------------------------------------------------------------

def refresh(sessions: Any, every: float) -> StoredKeysIndex:
    """One pass of the keeper: the index brought up to date, edits elsewhere included."""
    with sessions() as session:
        cache = _cache(session)
        first = not cache.kept
        if first:
            cache.ready.clear()  # searches wait for the first build only
        cache.every = every
        cache.kept = time.monotonic()
        try:
            started = time.perf_counter()
            found = _update(session, cache, full=True)
            if first:
                log.info("residents name index: %d persons in %.1f s", len(found),
                         time.perf_counter() - started)
            return found
        finally:
            cache.ready.set()
            cache.kept = time.monotonic()


def keep_up(app: Any) -> list[asyncio.Task]:
    """The domain's ``startup``: the keeper as a task of the server (none when
    ``names_every_s`` is 0, or when the sessions share one connection, as tests' do: a
    thread must not use it beside the requests)."""
    every = app.state.settings.residents.names_every_s
    sessions = app.state.sessionmaker
    if every <= 0 or not isinstance(getattr(sessions, "kw", {}).get("bind"), Engine):
        return []
    return [asyncio.create_task(_keep(sessions, every), name="residents name index")]


async def _keep(sessions: Any, every: float) -> None:
    while True:
        try:
            await asyncio.to_thread(refresh, sessions, every)
        except Exception:  # a failed pass is logged; the next one tries again
            log.exception("residents name index: refresh failed")
        await asyncio.sleep(every)
