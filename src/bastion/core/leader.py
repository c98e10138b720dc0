"""Which of several ``bastion serve`` processes on one machine runs the once-only work.

With ``BASTION_WEB_WORKERS`` above 1 the server is several processes answering requests; the
scheduled jobs, the AIS feeds and the NATS relay must still run once. The first process to
take an exclusive lock on a file in the data folder leads and runs them; the others only answer
requests and hear events. The operating system drops the lock when its holder dies, and
uvicorn starts a process in its place, which takes the lead again — so no job is left unrun
and none runs twice. One process alone always leads.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

LOCK_FILE = "serve.lead"
# Set by ``bastion serve`` for the processes it starts when there are several of them.
LOCK_VARIABLE = "BASTION_LEAD_LOCK"
_held: IO[bytes] | None = None


def lock_path(settings: Any) -> Path:
    """The lock the processes of one server contend for: in its data folder, named after its
    database, so that two installations sharing a folder never share a leader."""
    return deployment_file(settings, LOCK_FILE)


def deployment_file(settings: Any, name: str) -> Path:
    """A file of this installation's own in the data folder (``name`` with the database's
    fingerprint before its suffix)."""
    folder = Path(settings.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    tag = hashlib.sha256(settings.database_url.encode()).hexdigest()[:12]
    stem, dot, suffix = name.partition(".")
    return folder / f"{stem}-{tag}{dot}{suffix}"


def take_lead() -> bool:
    """True when this process runs the once-only work (it keeps the lock until it exits)."""
    global _held
    path = os.environ.get(LOCK_VARIABLE)
    if not path or _held is not None:
        return True
    handle = open(path, "ab")  # noqa: SIM115 - held for the life of the process
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return False
    _held = handle
    log.info("process %d leads: it runs the jobs and feeds", os.getpid())
    return True
