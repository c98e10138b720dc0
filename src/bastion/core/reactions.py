"""Reactions: one domain's rules answering another domain's change, in the same transaction.

A lower domain (screening, maritime) must not import the domains above it, yet its changes are
evidence for them: a confirmed watchlist hit must re-open the pre-check of the port call the
person came from *before* anyone can clear the ship. A reaction registered here runs inside the
transaction that made the change, so both commit or roll back together and no gap is left in
which the old judgement still holds (the bus, which publishes after commit, is for the live
UI, not for rules). ``core.events.emit`` fires the event's kind; a service with no event for
its change fires a kind of its own (``screening.entries_changed``).

Domains name the modules that register their reactions in their manifest (``reactions=``);
they are imported the first time anything fires, in any process (web, worker, CLI).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

Reaction = Callable[..., None]
_handlers: dict[str, list[Reaction]] = {}
_loaded = False


def on(kind: str, reaction: Reaction) -> None:
    """Call ``reaction(session, **facts)`` whenever ``kind`` fires (registered once)."""
    handlers = _handlers.setdefault(kind, [])
    if reaction not in handlers:
        handlers.append(reaction)


def fire(session: Session, kind: str, **facts: Any) -> None:
    """Run every reaction to ``kind`` now, in the caller's transaction."""
    global _loaded
    if not _loaded:
        from bastion.core import domains

        _loaded = True
        domains.import_all("reactions")
    for reaction in list(_handlers.get(kind, ())):
        reaction(session, **facts)
