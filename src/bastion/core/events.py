"""Everything that happens is an event: an append-only row, published on the bus after commit.

Publishing waits for the commit so that nobody is told about a change that was rolled back.
The row is the source of truth: other processes hear of it by reading the log (or from NATS,
which a relay feeds from the log), see ``core/eventlog.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from bastion.core.bus import Event, get_bus
from bastion.core.db import Base, utcnow

_PENDING = "bastion.pending_events"


class EventRecord(Base):
    __tablename__ = "event_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    record_kind: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[int | None]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def emit(
    session: Session,
    *,
    kind: str,
    actor_id: int | None = None,
    record_kind: str | None = None,
    record_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> EventRecord:
    row = EventRecord(
        kind=kind,
        actor_id=actor_id,
        record_kind=record_kind,
        record_id=record_id,
        payload=payload or {},
    )
    session.add(row)
    session.flush()
    from bastion.core.bus import get_bus

    get_bus().claim(row.id)  # published here after commit: not again when read from the log
    session.info.setdefault(_PENDING, []).append(
        Event(row.id, kind, row.at, record_kind, record_id, dict(row.payload))
    )
    from bastion.core import reactions

    reactions.fire(session, kind, event=row)  # other domains' rules, same transaction
    return row


def emit_many(session: Session, items: list[dict[str, Any]]) -> list[EventRecord]:
    """Many events at once (``emit``'s keyword arguments each), written by one bulk insert
    (``db.insert_many``): a job that raises thousands of flags in a batch
    (``residents.flags.jobs``) would otherwise pay a flush per event. Published after commit
    and fired as ``emit`` does, in order; the rows handed to the reactions are not loaded in
    the session."""
    if not items:
        return []
    from bastion.core.db import insert_many

    now = utcnow()
    values = [{"at": now, "kind": i["kind"], "actor_id": i.get("actor_id"),
               "record_kind": i.get("record_kind"), "record_id": i.get("record_id"),
               "payload": i.get("payload") or {}} for i in items]
    ids = insert_many(session.connection(), EventRecord.__table__, values)
    rows = [EventRecord(id=i, **v) for i, v in zip(ids, values, strict=True)]
    from bastion.core import reactions

    bus = get_bus()
    pending = session.info.setdefault(_PENDING, [])
    for row in rows:
        bus.claim(row.id)
        pending.append(Event(row.id, row.kind, row.at, row.record_kind, row.record_id,
                             dict(row.payload)))
    for row in rows:
        reactions.fire(session, row.kind, event=row)
    return rows


@event.listens_for(Session, "after_commit")
def _publish_after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, [])
    if pending:
        bus = get_bus()
        for item in pending:
            bus.publish(item)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    pending = session.info.pop(_PENDING, [])
    if pending:
        from bastion.core.bus import get_bus

        bus = get_bus()
        for item in pending:
            bus.release(item.id)


# --- need-to-know for subscribers ----------------------------------------------------------
# Each domain registers how to tell whether a user may see one of its records, so the live
# stream forwards only what the user could open anyway.

_visibility: dict[str, Any] = {}


def register_visibility(record_kind: str, check: Any) -> None:
    _visibility[record_kind] = check


def may_see(session: Session, user: Any, event_: Event) -> bool:
    if event_.record_kind is None:
        return False  # events about nothing in particular are not streamed to users
    check = _visibility.get(event_.record_kind)
    return bool(check and event_.record_id is not None and check(session, user, event_.record_id))
