"""The hourly recomputation of every person's flags: time alone turns an entry into an
overstay or a missing lodging registration, with no record changing. Persons are taken in
batches of :data:`BATCH` (one query per table each, one transaction each), progress logged."""

from __future__ import annotations

import logging
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bastion.core.db import transaction, utcnow
from bastion.residents.flags import rules as rules_mod
from bastion.residents.flags.service import recompute_many
from bastion.residents.models import Resident

log = logging.getLogger(__name__)
BATCH = 2000


def recompute_all(sessions: Any, settings: Any) -> int:
    """Recompute everyone's flags as of now; returns how many persons were done."""
    rules = rules_mod.load(settings)
    zone = ZoneInfo(settings.timezone)
    now = utcnow()
    started = monotonic()
    done, after = 0, 0
    while True:
        with transaction(sessions) as session:
            batch = list(session.scalars(select(Resident).where(Resident.id > after)
                                         .order_by(Resident.id).limit(BATCH)))
            if not batch:
                break
            recompute_many(session, residents=batch, now=now, rules=rules, zone=zone)
            after = batch[-1].id
            done += len(batch)
        log.info("residents flags: %d persons recomputed (%.1f s)", done, monotonic() - started)
    return done
