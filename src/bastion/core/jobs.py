"""Scheduled jobs: every domain declares its periodic work in its manifest; this runs it.

``bastion worker`` runs the jobs (``bastion/worker.py``); so does ``bastion serve`` in the
embedded default (``BASTION_JOBS_IN_SERVER=true``), so a laptop needs one process. Each job is
a function ``(sessions, settings) -> int | None`` that owns its transaction, like a CLI command.
Each job runs in a thread on its own clock: a job that fails is logged and runs again at its
next turn, and neither a failure nor a slow job delays the others.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bastion.core.domains import Domain, Job, load, registered

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scheduled:
    """A job with its interval resolved from settings."""

    domain: str
    name: str
    target: str
    every: float


def interval(job: Job, settings: Any) -> float:
    """``every`` is seconds, or the name of a setting (dotted for a nested one) holding them."""
    if isinstance(job.every, int | float):
        return float(job.every)
    value: Any = settings
    for part in job.every.split("."):
        value = getattr(value, part)
    return float(value)


def scheduled(settings: Any, domains: Iterable[Domain] | None = None) -> list[Scheduled]:
    """Every job of every registered domain that is switched on (an interval above 0)."""
    found = []
    for domain in registered() if domains is None else domains:
        for job in domain.jobs:
            every = interval(job, settings)
            if every > 0:
                found.append(Scheduled(domain.name, job.name, job.target, every))
    return found


def run_once(job: Scheduled, sessions: Any, settings: Any) -> bool:
    """Run one job now; False (and the traceback in the log) when it failed."""
    started = time.perf_counter()
    try:
        result = load(job.target)(sessions, settings)
    except Exception:  # one job's failure must not stop the worker or the other jobs
        log.exception("job %s failed", job.name)
        return False
    log.info("job %s: %s in %.2f s", job.name, "done" if result is None else result,
             time.perf_counter() - started)
    return True


async def _every(job: Scheduled, sessions: Any, settings: Any) -> None:
    while True:
        await asyncio.to_thread(run_once, job, sessions, settings)
        await asyncio.sleep(job.every)


def start(jobs: Iterable[Scheduled], sessions: Any, settings: Any) -> list[asyncio.Task]:
    """One task per job on the running loop; cancel them to stop."""
    return [asyncio.create_task(_every(job, sessions, settings), name=f"job {job.name}")
            for job in jobs]


def start_in_server(app: Any) -> list[asyncio.Task]:
    """The jobs inside ``bastion serve``, unless a separate ``bastion worker`` runs them."""
    settings = app.state.settings
    if not settings.jobs_in_server:
        return []
    return start(scheduled(settings), app.state.sessionmaker, settings)
