"""New evidence from screening and the maritime picture re-judges every open port call.

Registered with ``core.reactions`` (named in the manifest), so screening and maritime never
import clearance: they fire what changed, and this module decides which calls it concerns.
A call is open from submission until it departs (a ship cleared in is still in port, and one
cleared out may still be stopped before it sails). Each re-check runs in the transaction of the
change that caused it, and the station is told when the outcome got worse (calls.alarms).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.clearance.calls import service as calls
from bastion.clearance.calls.models import PortCall
from bastion.clearance.departure import service as departure
from bastion.clearance.workflow import State
from bastion.core import reactions

OPEN = (State.SUBMITTED, State.PRECHECKED, State.ARRIVAL_APPROVED, State.AMENDED,
        State.ARRIVED, State.INSPECTING, State.CLEARED_IN, State.DEPARTURE_DECLARED,
        State.CLEARED_OUT)


def _open_calls(session: Session, *clauses: Any) -> list[PortCall]:
    return [c for c in session.scalars(select(PortCall).where(
        PortCall.state.in_(OPEN), *clauses).order_by(PortCall.id)) if c.precheck]


def on_alert(session: Session, *, event: Any) -> None:
    """A new (or retracted) alert on a vessel with open calls."""
    mmsi = (event.payload or {}).get("mmsi")
    if not mmsi:
        return
    for call in _open_calls(session, PortCall.mmsi == int(mmsi)):
        calls.recheck(session, call=call, why="alert", detail={"alert_id": event.record_id})


def on_entries_changed(session: Session, *, watchlist_id: int, **_facts: Any) -> None:
    """A watchlist gained or changed entries: every open call's people are screened again
    (an entry matches by name variants, so which calls it concerns is known only by
    screening them). The departure lists, where declared, are screened again too."""
    for call in _open_calls(session):
        calls.recheck(session, call=call, why="watchlist", detail={"watchlist_id": watchlist_id})
        departure.rescreen(session, call=call, why="watchlist")


def on_hit_decided(session: Session, *, source_kind: str | None, source_id: int | None,
                   hit_id: int, **_facts: Any) -> None:
    """An officer confirmed or dismissed a hit on a person declared for a call (on its arrival
    or its departure lists: both screenings name the call as the hit's source)."""
    if source_kind != calls.KIND or source_id is None:
        return
    for call in _open_calls(session, PortCall.id == source_id):
        calls.recheck(session, call=call, why="hit_decision", detail={"hit_id": hit_id})
        departure.rescreen(session, call=call, why="hit_decision")


reactions.on("alert.opened", on_alert)
reactions.on("alert.retracted", on_alert)
reactions.on("screening.entries_changed", on_entries_changed)
reactions.on("screening.hit_decided", on_hit_decided)
