"""The retention purge of the foreign-resident registry (personal data kept no longer than
needed; LAND-BORDER.md appendix item 7): crossings (pass stubs) older than
``residents.retention_crossings_days``, the audit of reads older than
``retention_reads_days`` and closed home visits (done or cancelled) older than
``retention_visits_days`` are deleted; 0 keeps that kind. Rows go in batches of :data:`BATCH`,
one transaction each, so a long backlog neither holds locks nor fills memory. Each run writes
one audit entry with what it deleted (the purge is itself audited), even when nothing was due.

Deleting crossings may lower a person's flags (e.g. frequent crossings): the hourly flags job
(``residents.flags.jobs.recompute_all``) recomputes everyone."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, select

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core.db import transaction, utcnow
from bastion.residents.crossings.models import Crossing
from bastion.residents.models import RecordRead
from bastion.residents.visits.models import VisitStatus, VisitTask

log = logging.getLogger(__name__)
BATCH = 2000
ACTOR = "system:residents-purge"


def _cutoff(now: datetime, days: int) -> datetime | None:
    return now - timedelta(days=days) if days > 0 else None


def _due(now: datetime, settings: Any) -> dict[str, tuple[Any, Select[Any]]]:
    s = settings.residents
    due: dict[str, tuple[Any, Select[Any]]] = {}
    if (cut := _cutoff(now, s.retention_crossings_days)) is not None:
        due["crossings"] = (Crossing, select(Crossing.id).where(Crossing.at < cut))
    if (cut := _cutoff(now, s.retention_reads_days)) is not None:
        due["reads"] = (RecordRead, select(RecordRead.id).where(RecordRead.at < cut))
    if (cut := _cutoff(now, s.retention_visits_days)) is not None:
        due["visits"] = (VisitTask, select(VisitTask.id).where(
            VisitTask.status.in_([VisitStatus.DONE, VisitStatus.CANCELLED]),
            func.coalesce(VisitTask.visited_at, VisitTask.created_at) < cut))
    return due


def purge(sessions: Any, settings: Any, *, now: datetime | None = None,
          batch: int = BATCH) -> int:
    """Delete what is past its retention period; returns how many rows went."""
    now = now or utcnow()
    counts = {"crossings": 0, "reads": 0, "visits": 0}
    for kind, (model, ids_query) in _due(now, settings).items():
        while True:
            with transaction(sessions) as session:
                ids = list(session.scalars(ids_query.order_by(model.id).limit(batch)))
                if ids:
                    session.execute(delete(model).where(model.id.in_(ids)))
            counts[kind] += len(ids)
            if len(ids) < batch:
                break
    s = settings.residents
    with transaction(sessions) as session:
        audit.record(session, action=AuditAction.DELETE, actor=None, actor_name=ACTOR,
                     record_kind="resident",
                     summary=f"residents purge: {counts['crossings']} crossings, "
                     f"{counts['reads']} reads, {counts['visits']} home visits",
                     detail={**counts, "retention_days": {
                         "crossings": s.retention_crossings_days, "reads": s.retention_reads_days,
                         "visits": s.retention_visits_days}, "as_of": now.isoformat()})
    log.info("residents purge: %s", counts)
    return sum(counts.values())
