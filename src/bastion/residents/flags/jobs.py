"""The hourly recomputation of every person's flags: time alone turns an entry into an
overstay or a missing lodging registration, with no record changing.

Persons are taken in batches of :data:`BATCH` by id, one transaction each, progress logged.
Each batch is read once, as columns (``load.load_columns``: one query a table over the id
range, times as numbers, no objects per crossing) and screened (``engine.screen``); the
persons the screen flags, and those with flags stored that may need clearing, get their
Facts from those columns (``load.facts_from_columns``: no second read) and go through the
exact engine; ``store.store_batch`` then writes only what changed, a statement per kind of
write. 50,000 persons with a million crossings: see ``bench/residents_flags.py``."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bastion.core.db import transaction, utcnow
from bastion.residents.flags import rules as rules_mod
from bastion.residents.flags.engine import Flag, evaluate, screen
from bastion.residents.flags.load import facts_from_columns, load_columns
from bastion.residents.flags.models import FlagStatus, RiskFlag
from bastion.residents.flags.store import store_batch
from bastion.residents.models import Resident

log = logging.getLogger(__name__)
BATCH = 5000


def recompute_all(sessions: Any, settings: Any, *, now: datetime | None = None) -> int:
    """Recompute everyone's flags as of ``now`` (the present unless a test or the benchmark
    says); returns how many persons were looked at."""
    rules = rules_mod.load(settings)
    zone = ZoneInfo(settings.timezone)
    now = now or utcnow()
    started, cpu = monotonic(), _cpu()
    done, after, flagged, written = 0, 0, 0, 0
    while True:
        with _no_cycle_collection(), transaction(sessions) as session:
            run = session.connection().execute
            persons = {row[0]: (row[1], row[2]) for row in run(
                select(Resident.id, Resident.post_agency_id, Resident.name)
                .where(Resident.id > after).order_by(Resident.id).limit(BATCH))}
            if not persons:
                break
            ids = list(persons)
            lo, hi = ids[0], ids[-1]
            cols = load_columns(session, ids)
            hits = screen(cols, as_of=now, rules=rules, zone=zone)
            standing = set(run(select(RiskFlag.resident_id).where(
                RiskFlag.resident_id.between(lo, hi),
                RiskFlag.status != FlagStatus.CLEARED)).scalars())
            index = {rid: k for k, rid in enumerate(ids)}
            todo = sorted(set(hits) | {index[rid] for rid in standing if rid in index})
            found: dict[int, list[Flag]] = {}
            for rid, facts in facts_from_columns(cols, todo, ids).items():
                flags = evaluate(facts, as_of=now, rules=rules, zone=zone)
                if flags:
                    found[rid] = flags
            wrote, _told = store_batch(session, found=found, persons=persons, lo=lo, hi=hi,
                                       now=now)
            after = hi
            done += len(ids)
            flagged += len(found)
            written += wrote
        log.info("residents flags: %d persons looked at, %d flagged, %d rows written "
                 "(%.1f s, %.1f s CPU)", done, flagged, written, monotonic() - started,
                 _cpu() - cpu)
    return done


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic collector paused for a batch: reading 100,000 crossings allocates a
    million objects, none in a cycle (refcounts free them), and each allocation burst
    made the collector walk every live object again: a quarter of the job's CPU."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cpu() -> float:
    t = os.times()
    return t.user + t.system
