"""Handovers (交接班): 情况清、问题清、任务清 (situation, problems, tasks clear).

The outgoing officer writes the handover; the unit's open duty-log entries are kept in it as
they stood (a snapshot). The incoming officer confirms it (only they may), and only then is
the outgoing one released [LAND-BORDER.md section 4: the incoming officer signs the handover
book, and only then may the outgoing officer leave]. One not confirmed by ``due_at`` escalates
(watch.py): level 1 to the duty leader on now, or the unit's planners; level 2 to the
organisation's planners.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Forbidden, Invalid
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.core.marking import TLP, Distribution
from bastion.duty import access
from bastion.duty.log import service as log
from bastion.duty.log.models import Handover, LogEntry
from bastion.duty.log.schemas import HandoverIn, HandoverOut
from bastion.duty.rosters import now as rosters_now
from bastion.notifications import service as notifications
from bastion.org import capabilities
from bastion.org.models import User
from bastion.org.sharing import MarkingIn, apply_marking

register_labels(namespace="record_kind", labels={Handover.record_kind: lazy("Handover")})

TO_CONFIRM = lazy("Handover to confirm from {name}")
TO_CONFIRM_BODY = lazy("Read the open items and confirm the handover by {due}.")
CONFIRMED = lazy("Handover confirmed by {name}")
CONFIRMED_BODY = lazy("You are released from duty.")


def query(user: User) -> Select[tuple[Handover]]:
    capabilities.require(user, "duty.log.read")
    return access.handovers_query(user).order_by(Handover.created_at.desc(), Handover.id.desc())


def get(session: Session, *, user: User, handover_id: int) -> Handover:
    capabilities.require(user, "duty.log.read")
    return access.find_handover(session, user=user, handover_id=handover_id)


def _readable_ids(session: Session, user: User, handovers: list[Handover]) -> set[int]:
    """The ids, among the open items of these handovers, of the entries this reader may open
    now (one query for a whole list)."""
    ids = {i.get("id") for h in handovers for i in (h.open_items or [])
           if isinstance(i.get("id"), int)}
    if not ids:
        return set()
    return set(session.scalars(access.log_query(user).where(LogEntry.id.in_(ids))
                               .with_only_columns(LogEntry.id)))


def readable_items(session: Session, user: User, handover: Handover
                   ) -> tuple[list[dict[str, Any]], int]:
    """The snapshot's open items this reader may open now, and how many are withheld.

    The snapshot copies each entry's content; shown whole, it let an auxiliary (a viewer) read
    a hotline call's entry (TLP:AMBER) through the handover that the log itself hides."""
    items = list(handover.open_items or [])
    seen = _readable_ids(session, user, [handover])
    shown = [i for i in items if i.get("id") in seen]
    return shown, len(items) - len(shown)


def readable_counts(session: Session, user: User, handovers: list[Handover]
                    ) -> dict[int, tuple[int, int]]:
    """For a list of handovers: by handover id, how many open items this reader may open and
    how many are withheld. A list counting the snapshot whole told a reader how many items
    there were that its own handover page then hid; the list says what the page says (the
    items one may read, and the number withheld, as ``withheld_items`` in the API)."""
    seen = _readable_ids(session, user, handovers)
    counts = {}
    for h in handovers:
        items = list(h.open_items or [])
        shown = sum(1 for i in items if i.get("id") in seen)
        counts[h.id] = (shown, len(items) - shown)
    return counts


def public(handover: Handover, session: Session | None = None,
           user: User | None = None) -> HandoverOut:
    """The handover as the reader may see it: with a session and a user, the open items they
    may not read are left out (``withheld`` counts them)."""
    items, withheld = list(handover.open_items or []), 0
    if session is not None and user is not None:
        items, withheld = readable_items(session, user, handover)
    return HandoverOut(
        id=handover.id, unit_id=handover.unit_id, roster_id=handover.roster_id,
        shift_day=handover.shift_day, shift_code=handover.shift_code,
        outgoing_user_id=handover.outgoing_user_id, incoming_user_id=handover.incoming_user_id,
        situation=handover.situation, problems=handover.problems, tasks=handover.tasks,
        open_items=items, withheld_items=withheld, created_at=handover.created_at,
        due_at=handover.due_at, confirmed_at=handover.confirmed_at,
        confirm_note=handover.confirm_note, escalated_level=handover.escalated_level,
        released=handover.confirmed_at is not None)


def open_items(session: Session, *, user: User) -> list[dict[str, Any]]:
    """The unit's entries not closed nor corrected, as they stand now."""
    entries = session.scalars(access.log_query(user).where(
        LogEntry.unit_id == user.agency_id, log.open_clause())
        .order_by(LogEntry.occurred_at, LogEntry.id).limit(500))
    items = []
    for entry in entries:
        step = log.latest(session, entry)
        items.append({
            "id": entry.id, "occurred_at": entry.occurred_at.isoformat(),
            "kind": entry.kind.value, "caller_unit": entry.caller_unit,
            "caller_name": entry.caller_name, "content": entry.content[:500],
            "stage": step.stage.value,
            "next_due_at": step.next_due_at.isoformat() if step.next_due_at else None})
    return items


def create(session: Session, *, user: User, data: HandoverIn, confirm_min: float,
           now: datetime | None = None) -> Handover:
    capabilities.require(user, "duty.log.write")
    now = now or utcnow()
    incoming = session.get(User, data.incoming_user_id)
    if incoming is None or not incoming.active or incoming.system \
            or incoming.organisation_id != user.organisation_id:
        raise Invalid(_("Name an officer of your organisation to hand over to."),
                      field="incoming_user_id")
    if incoming.id == user.id:
        raise Invalid(_("You cannot hand over to yourself."), field="incoming_user_id")
    mine = rosters_now.of_user(session, user_id=user.id, at=now)
    current = mine[0] if mine else None
    if current is None and data.shift_day and data.shift_code:
        # a shift named that is one of the officer's published duties: its roster too
        current = rosters_now.duty_of_user(session, user_id=user.id,
                                           day=date.fromisoformat(data.shift_day),
                                           shift_code=data.shift_code)
    handover = Handover(
        unit_id=user.agency_id, roster_id=current.roster_id if current else None,
        shift_day=data.shift_day or (current.day.isoformat() if current else None),
        shift_code=data.shift_code or (current.shift_code if current else None),
        outgoing_user_id=user.id, incoming_user_id=incoming.id,
        situation=data.situation.strip(), problems=data.problems.strip(),
        tasks=data.tasks.strip(), open_items=open_items(session, user=user), created_at=now,
        due_at=now + timedelta(minutes=confirm_min), owner_org_id=user.organisation_id,
        created_by_id=user.id)
    session.add(handover)
    session.flush()
    apply_marking(session, handover, MarkingIn(tlp=TLP.GREEN, distribution=Distribution.OWN))
    audit.record(session, action=AuditAction.CREATE, actor=user,
                 record_kind=Handover.record_kind, record_id=handover.id,
                 summary=f"duty handover {handover.id}")
    _emit(session, user, handover, "duty.handover.created")
    notifications.notify(session, recipients=[incoming], title=TO_CONFIRM, body=TO_CONFIRM_BODY,
                         link=f"/duty/handovers/{handover.id}", record_kind=Handover.record_kind,
                         record_id=handover.id, sender=user, times=("due",),
                         params={"name": user.display_name, "due": handover.due_at})
    return handover


def confirm(session: Session, *, user: User, handover: Handover, note: str = "",
            now: datetime | None = None) -> Handover:
    """The incoming officer signs; the outgoing one is released."""
    if handover.incoming_user_id != user.id:
        raise Forbidden(_("Only the incoming officer confirms a handover."))
    if handover.confirmed_at is not None:
        raise Conflict(_("This handover is already confirmed."))
    handover.confirmed_at = now or utcnow()
    handover.confirm_note = note.strip()
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user,
                 record_kind=Handover.record_kind, record_id=handover.id,
                 summary=f"duty handover {handover.id} confirmed")
    _emit(session, user, handover, "duty.handover.confirmed")
    notifications.notify(session, recipients=[handover.outgoing_user_id], title=CONFIRMED,
                         body=CONFIRMED_BODY, link=f"/duty/handovers/{handover.id}",
                         record_kind=Handover.record_kind, record_id=handover.id, sender=user,
                         params={"name": user.display_name})
    return handover


def released_since(session: Session, *, user_id: int, start: datetime, end: datetime
                   ) -> datetime | None:
    """When the user was released by a confirmed handover given in [start, end), if so."""
    return session.scalar(select(Handover.confirmed_at).where(
        Handover.outgoing_user_id == user_id, Handover.confirmed_at.is_not(None),
        Handover.created_at >= start, Handover.created_at < end)
        .order_by(Handover.confirmed_at).limit(1))


def _emit(session: Session, user: User | None, handover: Handover, kind: str) -> None:
    events.emit(session, kind=kind, actor_id=user.id if user else None,
                record_kind=Handover.record_kind, record_id=handover.id,
                payload={"unit_id": handover.unit_id})
