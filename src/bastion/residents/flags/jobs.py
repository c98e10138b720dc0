"""The hourly recomputation of every person's flags: time alone turns an entry into an
overstay or a missing lodging registration, with no record changing.

Persons are taken in batches of :data:`BATCH` by id, one transaction each, progress logged.
Each batch is read as columns (one query a table over the id range, times as numbers: no
objects per crossing) and screened (``engine.screen``); only the persons the screen flags,
and those with flags stored that may need clearing, go through the exact engine and the
upsert (``service.recompute_many``). 50,000 persons with a million crossings: see
``bench/residents_flags.py``."""

from __future__ import annotations

import logging
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bastion.core.db import transaction, utcnow
from bastion.residents.flags import rules as rules_mod
from bastion.residents.flags.engine import screen
from bastion.residents.flags.models import FlagStatus, RiskFlag
from bastion.residents.flags.service import _among, load_columns, recompute_many
from bastion.residents.models import Resident

log = logging.getLogger(__name__)
BATCH = 5000


def recompute_all(sessions: Any, settings: Any) -> int:
    """Recompute everyone's flags as of now; returns how many persons were looked at."""
    rules = rules_mod.load(settings)
    zone = ZoneInfo(settings.timezone)
    now = utcnow()
    started = monotonic()
    done, after, flagged = 0, 0, 0
    while True:
        with transaction(sessions) as session:
            ids = list(session.scalars(select(Resident.id).where(Resident.id > after)
                                       .order_by(Resident.id).limit(BATCH)))
            if not ids:
                break
            hits = {ids[k] for k in screen(load_columns(session, ids), as_of=now, rules=rules,
                                           zone=zone)}
            standing = set(session.scalars(select(RiskFlag.resident_id).where(
                RiskFlag.resident_id.between(ids[0], ids[-1]),
                RiskFlag.status != FlagStatus.CLEARED)))
            todo = sorted(hits | (standing & set(ids)))
            if todo:
                residents = list(session.scalars(select(Resident).where(
                    _among(Resident.id, todo)).order_by(Resident.id)))
                recompute_many(session, residents=residents, now=now, rules=rules, zone=zone)
            after = ids[-1]
            done += len(ids)
            flagged += len(hits)
        log.info("residents flags: %d persons looked at, %d flagged (%.1f s)", done, flagged,
                 monotonic() - started)
    return done
