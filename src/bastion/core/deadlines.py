"""Deadlines: what must happen by when, which have been missed, and how far up the ladder
each missed one has escalated.

A record has named deadlines (acknowledge within 10 minutes, land the patient within an hour,
repair within a week); a deadline is missed once it has passed and its act is not done. A
ladder says how escalation rises with lateness: level 1 as soon as a deadline is missed
(e.g. the supervisors), level 2 once it is late by more than a grace period (also the
administrators), and so on. Each deadline rises on its own clock, and a level is announced
once: ``rises`` compares with the levels already raised. ``claim`` makes several processes
running the same check take each record once (``SKIP LOCKED`` on PostgreSQL; SQLite has one
writer at a time anyway).

Used by the green channel (clearance/green); the land border's hazard repairs and
acknowledged notifications follow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select


@dataclass(frozen=True)
class Deadline:
    name: str
    due: datetime | None
    done: bool  # the act the deadline asks for has happened


@dataclass(frozen=True)
class Ladder:
    """Level n+1 is reached once a deadline is late by more than ``after[n]``."""

    after: Sequence[timedelta] = (timedelta(0),)

    def level(self, late_by: timedelta) -> int:
        return sum(1 for step in self.after if late_by > step)


def missed(deadlines: Sequence[Deadline], now: datetime) -> list[tuple[str, datetime]]:
    """The deadlines passed with their act not done, earliest first."""
    return sorted(((d.name, d.due) for d in deadlines
                   if not d.done and d.due is not None and now > d.due),
                  key=lambda item: item[1])


def levels_at(deadlines: Sequence[Deadline], now: datetime, ladder: Ladder) -> dict[str, int]:
    """Per missed deadline, how far up the ladder it is now."""
    return {name: ladder.level(now - due) for name, due in missed(deadlines, now)}


def rises(levels: Mapping[str, int], raised: Mapping[str, int]) -> dict[str, int]:
    """The deadlines whose level is higher than any announced before."""
    return {name: level for name, level in levels.items() if level > raised.get(name, 0)}


def claim(query: Select[Any]) -> Select[Any]:
    """Rows for this process alone: others running the same check skip them."""
    return query.with_for_update(skip_locked=True)
