"""How far a recorded AIS file is stored (``ReplayCheckpoint``), for ``bastion ais replay``.

A message with its own time (an NMEA tag block, a CSV time column) is stored under its natural
key, so reading it again stores nothing new. A message without one is stamped with the time it
is read: reading it again would store it again. So each stored batch also records how many of
the file's messages it covers, in the same transaction; a replay of the same file skips that
many of its timeless messages, and a crash loses at most the open batch.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.orm import Session

from bastion.maritime.tracks.models import ReplayCheckpoint

HEAD_BYTES = 64 * 1024


def source_of(path: Path) -> str:
    """The file's identity: the hash of its head (so a renamed or a grown file is known)."""
    with path.open("rb") as handle:
        return hashlib.sha256(handle.read(HEAD_BYTES)).hexdigest()


def stored(session: Session, source: str) -> int:
    """Messages of this file already stored (0 for a file never replayed)."""
    checkpoint = session.get(ReplayCheckpoint, source)
    return checkpoint.messages if checkpoint else 0


def record(session: Session, source: str, name: str, messages: int) -> None:
    """Note, in the caller's transaction, that the first ``messages`` are stored."""
    checkpoint = session.get(ReplayCheckpoint, source)
    if checkpoint is None:
        session.add(ReplayCheckpoint(source=source, name=name[-255:], messages=messages))
    elif messages > checkpoint.messages:
        checkpoint.messages = messages
