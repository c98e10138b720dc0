"""What port clearance has open now, for the duty officer's workbench (bastion.workbench).

Every function reads only the calls the user may see (``calls.service.visible``): the station
sees its calls, a participating agency (customs, maritime safety) the calls it takes part in,
an agent its own. Per-person pre-check results go through ``precheck_for``, so a reader learns
only what the watchlists they may see say. The workbench never reads clearance's models itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bastion.clearance.calls import service as calls
from bastion.clearance.calls.models import PortCall
from bastion.clearance.departure.models import Departure
from bastion.clearance.green.models import Emergency
from bastion.clearance.terminals.models import InspectionSlot, Terminal
from bastion.clearance.workflow import State
from bastion.org import capabilities
from bastion.org.models import Agency, User

# The states in which each participating agency records its own clearance.
CLEARING = {State.INSPECTING: "cleared_in_at", State.DEPARTURE_DECLARED: "cleared_out_at"}


def may_read(user: User) -> bool:
    return capabilities.can(user, "portcalls.read")


def _open_calls(user: User):
    return calls.calls_query(user=user, finished=False)


def open_cases(session: Session, *, user: User) -> list[tuple[Emergency, PortCall]]:
    """Open green-channel and expedited cases, emergencies first, the oldest first."""
    rows = session.execute(
        select(Emergency, PortCall).join(PortCall, PortCall.id == Emergency.call_id)
        .where(Emergency.closed_at.is_(None), calls.visible(user))
        .order_by((Emergency.kind != "medical"), Emergency.declared_at)).all()
    return [(case, call) for case, call in rows]


@dataclass
class Flagged:
    """A call whose pre-check, or its departure lists' screening, put people on "check" or
    "stop" (as this reader may know it)."""

    call: PortCall
    persons: list[tuple[str, str]] = field(default_factory=list)  # (reference, outcome)

    @property
    def stops(self) -> list[str]:
        return [ref for ref, outcome in self.persons if outcome == "stop"]


def flagged(session: Session, *, user: User, open_calls: list[PortCall]) -> dict[int, Flagged]:
    """Per open call, its persons on check or stop; empty for who may not read the pre-check."""
    if not capabilities.can(user, "precheck.read") or calls.is_agent(user):
        return {}
    lists = calls.readable_lists(session, user=user)
    leaving = _departure_outcomes(session, user=user, open_calls=open_calls)
    found: dict[int, Flagged] = {}
    for call in open_calls:
        if not call.precheck:
            continue
        persons = dict(calls.precheck_for(session, user=user, call=call, lists=lists).get(
            "persons") or {})
        for ref, outcome in leaving.get(call.id, {}).items():  # the worse of the two
            persons[ref] = max(outcome, persons.get(ref, "clear"), key=calls.ORDER.__getitem__)
        marked = sorted(((ref, o) for ref, o in persons.items() if o in ("check", "stop")),
                        key=lambda item: (item[1] != "stop", item[0]))
        if marked:
            found[call.id] = Flagged(call, marked)
    return found


def _departure_outcomes(session: Session, *, user: User,
                        open_calls: list[PortCall]) -> dict[int, dict[str, str]]:
    """Per call with screened departure lists, what the lists this reader may open say of
    each person leaving (the departure service's reading, ``outcomes_for``)."""
    from bastion.clearance.departure import service as departure

    ids = [c.id for c in open_calls]
    screened = {d.call_id: d for d in session.scalars(select(Departure).where(
        Departure.call_id.in_(ids), Departure.screened_at.is_not(None)))} if ids else {}
    return {c.id: departure.outcomes_for(session, user=user, call=c,
                                         departure=screened[c.id]) or {}
            for c in open_calls if c.id in screened}


def audit_flagged(session: Session, *, user: User, flagged: dict[int, Flagged],
                  purpose: str) -> None:
    """Names of people on check or stop were shown: audited as a listing of their calls."""
    calls.audit_listing(session, user=user, calls=[f.call for f in flagged.values()],
                        purpose=purpose)


def open_calls(session: Session, *, user: User, limit: int = 500) -> list[PortCall]:
    return list(session.scalars(_open_calls(user).limit(limit)))


def arrivals(open_list: list[PortCall], *, now: datetime, hours: int = 24) -> list[PortCall]:
    """Open calls due within ``hours`` (or overdue and not yet arrived), by ETA; an agent's
    draft is its own working copy until submitted, not an arrival."""
    until = now + timedelta(hours=hours)
    due = [c for c in open_list if c.eta is not None and c.ata is None and c.eta <= until
           and c.state not in (State.DRAFT, State.ARRIVED, State.INSPECTING, State.CLEARED_IN,
                               State.DEPARTURE_DECLARED, State.CLEARED_OUT)]
    return sorted(due, key=lambda c: c.eta)


@dataclass
class Awaiting:
    call: PortCall
    direction: str  # "clear_in" or "clear_out"
    cleared: list[Agency]
    awaited: list[Agency]


def awaiting(session: Session, *, open_list: list[PortCall]) -> list[Awaiting]:
    """Calls some agencies have cleared (in or out) while others are still awaited."""
    out = []
    for call in open_list:
        done_field = CLEARING.get(call.state)
        if done_field is None:
            continue
        done = [p for p in call.participants if getattr(p, done_field)]
        todo = [p for p in call.participants if not getattr(p, done_field)]
        if done and todo:
            agencies = {a.id: a for a in session.scalars(select(Agency).where(
                Agency.id.in_([p.agency_id for p in call.participants])))}
            out.append(Awaiting(call, "clear_in" if call.state == State.INSPECTING
                                else "clear_out", [agencies[p.agency_id] for p in done],
                                [agencies[p.agency_id] for p in todo]))
    return out


def slots(session: Session, *, user: User, start: datetime,
          end: datetime) -> list[tuple[InspectionSlot, PortCall, Terminal]]:
    """Booked inspections in [start, end) of the calls the user may see."""
    rows = session.execute(
        select(InspectionSlot, PortCall, Terminal)
        .join(PortCall, PortCall.id == InspectionSlot.call_id)
        .join(Terminal, Terminal.id == InspectionSlot.terminal_id)
        .where(calls.visible(user), InspectionSlot.released.is_(False),
               InspectionSlot.start < end, InspectionSlot.end > start)
        .order_by(InspectionSlot.start, InspectionSlot.id)).all()
    return [(s, c, t) for s, c, t in rows]


@dataclass
class TideDay:
    terminal: Terminal
    waters: list[Any]  # tides.Extremum: high and low water, heights above chart datum
    datum: str
    calls: list[tuple[PortCall, list[tuple[datetime, datetime]]]]  # windows for its draught


def tide_days(session: Session, *, user: User, open_list: list[PortCall], start: datetime,
              end: datetime) -> list[TideDay]:
    """Today's high and low waters at the tide-window terminals of the user's station (and of
    the stations whose calls they see), with each due call's windows for its draught."""
    from bastion.clearance.terminals.service import passable
    from bastion.tides import DatumError, StationError, get_station, high_low_waters

    stations = {user.organisation_id, *(c.station_org_id for c in open_list)}
    terminals = session.scalars(select(Terminal).where(
        Terminal.station_org_id.in_(stations), Terminal.tide_station.is_not(None),
        Terminal.active.is_(True)).order_by(Terminal.code)).all()
    days = []
    for terminal in terminals:
        try:
            station = get_station(terminal.tide_station or "")
        except StationError:
            continue
        try:
            waters, datum = high_low_waters(station, start, end, datum="CD",
                                            datum_offset=terminal.datum_offset_m), "CD"
        except DatumError:
            waters, datum = high_low_waters(station, start, end), "MSL"
        due = []
        for call in open_list:
            when = call.etd if call.state in (State.CLEARED_IN, State.DEPARTURE_DECLARED,
                                              State.CLEARED_OUT) else call.eta
            if call.terminal != terminal.code or call.station_org_id != terminal.station_org_id \
                    or not call.draught_m or when is None or not start <= when < end:
                continue
            due.append((call, passable(terminal, call.draught_m, start, end) or []))
        days.append(TideDay(terminal, waters, datum, due))
    return days


def calls_of_vessels(open_list: list[PortCall]) -> dict[int, list[PortCall]]:
    """Open calls by MMSI: the vessels whose alerts the station must hear of."""
    found: dict[int, list[PortCall]] = {}
    for call in open_list:
        if call.mmsi:
            found.setdefault(call.mmsi, []).append(call)
    return found


def calls_by_id(session: Session, *, user: User, ids: list[int]) -> dict[int, PortCall]:
    """The calls among ``ids`` the user may see (a hit links to its call only then)."""
    if not ids or not may_read(user):
        return {}
    return {c.id: c for c in session.scalars(select(PortCall).where(
        PortCall.id.in_(ids), calls.visible(user)))}


def vessel_calls(session: Session, *, user: User, mmsi: int | None,
                 imo: int | None) -> list[PortCall]:
    """Every call of one vessel (by MMSI or IMO) the user may see, the latest ETA first."""
    clauses = [c for c in (PortCall.mmsi == mmsi if mmsi else None,
                           PortCall.imo == imo if imo else None) if c is not None]
    if not clauses or not may_read(user):
        return []
    return list(session.scalars(select(PortCall).where(calls.visible(user), or_(*clauses))
                                .order_by(PortCall.eta.desc().nulls_last(),
                                          PortCall.id.desc()).limit(200)))
