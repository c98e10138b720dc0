"""Deadlines of hotline calls: when each kind of call must be closed (``duty/data/hotline.json``),
how far up the escalation ladder an overdue call is, and the on-time closure rate.

On time (准时办结): a call closed with ``closed_at <= due_at``. The rate is taken over the calls
*received* in a period (the same calls its totals count; the caller picks them) whose outcome
is known: closed (on time or late) or still open past their deadline (counted as not on time).
Calls received in the period but not yet due, and exercise calls, are left out.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bastion.core import deadlines
from bastion.duty.hotline.models import CallKind, CallStatus, HotlineCall

DATA = Path(__file__).resolve().parent.parent / "data" / "hotline.json"


@dataclass(frozen=True)
class KindRule:
    due: timedelta
    escalate_after: timedelta  # level 2 once overdue by more than this


@functools.cache
def rules() -> dict[CallKind, KindRule]:
    doc: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    found = {}
    for kind in CallKind:
        row = doc["kinds"][kind.value]
        found[kind] = KindRule(due=timedelta(hours=float(row["due_hours"])),
                               escalate_after=timedelta(hours=float(row["escalate_after_hours"])))
    return found


def due_at(kind: CallKind, received_at: datetime) -> datetime:
    return received_at + rules()[CallKind(kind)].due


def ladder(kind: CallKind) -> deadlines.Ladder:
    """Level 1 as soon as the call is overdue, level 2 once overdue by the kind's grace."""
    return deadlines.Ladder((timedelta(0), rules()[CallKind(kind)].escalate_after))


def level_at(call: HotlineCall, now: datetime) -> int:
    """How far up the ladder the call is now (0: not overdue, or closed)."""
    closing = deadlines.Deadline("close", call.due_at, call.status == CallStatus.CLOSED)
    return max(deadlines.levels_at([closing], now, ladder(call.kind)).values(), default=0)


def overdue(call: HotlineCall, now: datetime) -> bool:
    return call.status != CallStatus.CLOSED and now > call.due_at


def on_time(call: HotlineCall) -> bool:
    return (call.status == CallStatus.CLOSED and call.closed_at is not None
            and call.closed_at <= call.due_at)


@dataclass(frozen=True)
class ClosureRate:
    on_time: int  # closed by the deadline
    late: int  # closed after it
    overdue_open: int  # still open past it: not on time
    pending: int  # due in the period but not yet due: left out of the rate

    @property
    def counted(self) -> int:
        return self.on_time + self.late + self.overdue_open

    @property
    def rate(self) -> float | None:
        """On time over counted, 0..1; None when nothing is counted."""
        return self.on_time / self.counted if self.counted else None

    def as_dict(self) -> dict[str, Any]:
        return {"on_time": self.on_time, "late": self.late, "overdue_open": self.overdue_open,
                "pending": self.pending, "counted": self.counted,
                "rate": None if self.rate is None else round(self.rate, 4)}


def closure_rate(calls: Iterable[HotlineCall], now: datetime) -> ClosureRate:
    """Over the calls given (the caller picks those received in its period); exercise calls
    are left out here whatever the caller passed."""
    counts = {"on_time": 0, "late": 0, "overdue_open": 0, "pending": 0}
    for call in calls:
        if call.exercise:
            continue
        if call.status == CallStatus.CLOSED:
            counts["on_time" if on_time(call) else "late"] += 1
        elif now > call.due_at:
            counts["overdue_open"] += 1
        else:
            counts["pending"] += 1
    return ClosureRate(**counts)
