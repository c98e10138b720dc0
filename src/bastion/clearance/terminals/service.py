"""Terminals of a station, and booking a call's arrival window and inspection slots."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.clearance.calls.models import PortCall
from bastion.clearance.terminals import schedule
from bastion.clearance.terminals.models import InspectionSlot, Terminal
from bastion.core.errors import Conflict, Forbidden, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.org.models import User

# How far ahead the scheduler looks for a tide window or a free slot.
HORIZON = timedelta(days=7)


def terminals_query(*, station_org_id: int) -> Select[tuple[Terminal]]:
    return select(Terminal).where(Terminal.station_org_id == station_org_id).order_by(
        Terminal.code)


def list_terminals(session: Session, *, station_org_id: int) -> Sequence[Terminal]:
    return session.scalars(terminals_query(station_org_id=station_org_id)).all()


def terminal_of(session: Session, call: PortCall) -> Terminal | None:
    if not call.terminal:
        return None
    return session.scalar(select(Terminal).where(Terminal.station_org_id == call.station_org_id,
                                                 Terminal.code == call.terminal))


def get_terminal(session: Session, *, user: User, terminal_id: int) -> Terminal:
    terminal = session.get(Terminal, terminal_id)
    if terminal is None:
        raise NotFound(_("No such terminal."))
    return terminal


def save_terminal(session: Session, *, user: User, fields: dict[str, Any],
                  terminal: Terminal | None = None) -> Terminal:
    """Create or change a terminal profile; only the station's supervisors do this."""
    from bastion.org import capabilities

    capabilities.require(user, "terminals.manage")
    if terminal is not None and terminal.station_org_id != user.organisation_id:
        raise Forbidden(_("Only a supervisor changes terminal profiles."))
    _check_profile(fields)
    station_org_id = terminal.station_org_id if terminal is not None else user.organisation_id
    taken = select(Terminal.id).where(Terminal.station_org_id == station_org_id,
                                      Terminal.code == fields["code"])
    if terminal is not None:
        taken = taken.where(Terminal.id != terminal.id)
    if session.scalar(taken) is not None:  # on create, and on a change to another's code
        raise Conflict(_("A terminal with this code exists."), field="code")
    if terminal is None:
        terminal = Terminal(station_org_id=user.organisation_id, **fields)
        session.add(terminal)
    else:
        for key, value in fields.items():
            setattr(terminal, key, value)
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind="terminal",
                 record_id=terminal.id, summary=f"terminal {terminal.code}")
    return terminal


def _check_profile(fields: dict[str, Any]) -> None:
    if fields.get("tide_station"):
        from bastion.tides import StationError, get_station

        try:
            get_station(fields["tide_station"])
        except StationError:
            raise Invalid(_("Unknown tide station."), field="tide_station") from None
        if not fields.get("charted_depth_m"):
            raise Invalid(_("A tide-window terminal needs its charted depth."),
                          field="charted_depth_m")
    if fields.get("service_hours", "office") == "office" and \
            fields.get("opens", "08:30") >= fields.get("closes", "17:30"):
        raise Invalid(_("Opening time must be before closing time."), field="closes")


def profile(terminal: Terminal) -> schedule.Profile:
    return schedule.Profile(
        service_hours=terminal.service_hours, timezone=terminal.timezone,
        opens=time.fromisoformat(terminal.opens), closes=time.fromisoformat(terminal.closes),
        working_days=frozenset(int(d) for d in terminal.working_days), teams=terminal.inspection_teams)


def passable(terminal: Terminal, draught_m: float | None, start: datetime,
             end: datetime) -> list[schedule.Interval] | None:
    """Tide windows for this draught at a tide-window terminal; None where the tide does not
    limit the ship (an ordinary berth, or no draught declared at a terminal without tides)."""
    if not terminal.tide_station:
        return None
    if draught_m is None:
        raise Invalid(_("A tide-window terminal needs the ship's draught."), field="draught_m")
    from bastion.tides import UKCPolicy, get_station, tide_windows

    windows = tide_windows(get_station(terminal.tide_station), start, end,
                           depth_m=terminal.charted_depth_m or 0.0, draught_m=draught_m,
                           ukc=UKCPolicy(terminal.ukc_fixed_m, terminal.ukc_percent),
                           datum_offset=terminal.datum_offset_m)
    return [(w.start, w.end) for w in windows]


@dataclass(frozen=True)
class Plan:
    window: schedule.Interval | None      # the tide window the ship arrives in
    tide_wait_minutes: int
    slot: InspectionSlot | None


def _booked(session: Session, terminal: Terminal, call: PortCall) -> list[schedule.Interval]:
    rows = session.execute(select(InspectionSlot.start, InspectionSlot.end).where(
        InspectionSlot.terminal_id == terminal.id, InspectionSlot.released.is_(False),
        InspectionSlot.call_id != call.id)).all()
    return [(s, e) for s, e in rows]


def book(session: Session, *, call: PortCall, purpose: str, earliest: datetime,
         outside_hours: bool = False, draught_m: float | None = None) -> Plan:
    """Place the call's arrival (or departure) and its inspection inside the terminal's served
    hours and, at a tide-window terminal, inside a tide window. Calls at no known terminal are
    not scheduled. Raises 409 when nothing fits within the horizon."""
    terminal = terminal_of(session, call)
    if terminal is None:
        return Plan(None, 0, None)
    if not terminal.active:
        raise Conflict(_("Terminal {code} is not in service.").format(code=terminal.code))
    end = earliest + HORIZON
    # The departure draught when one is declared (cargo worked changes it), else the arrival's.
    draught = draught_m if draught_m is not None else call.draught_m
    windows = passable(terminal, draught, earliest, end)
    window, wait = None, 0
    if windows is not None:
        window = schedule.arrival_window(windows, earliest)
        if window is None:
            raise Conflict(_("No tide window within {days} days lets a ship of {draught} m "
                             "pass.").format(days=HORIZON.days, draught=draught))
        wait = max(0, int((window[0] - earliest).total_seconds() // 60))
    # Two officers booking at once must not both take the last team (PostgreSQL row lock;
    # SQLite writers are serialised already).
    session.execute(select(Terminal.id).where(Terminal.id == terminal.id).with_for_update())
    duration = timedelta(minutes=terminal.inspection_minutes)
    found = schedule.first_slot(profile(terminal), earliest=window[0] if window else earliest,
                                duration=duration, booked=_booked(session, terminal, call),
                                passable=windows, outside_hours=outside_hours, horizon=HORIZON)
    if found is None:
        raise Conflict(_("No inspection slot is free at {terminal} within {days} days.").format(
            terminal=terminal.code, days=HORIZON.days))
    release(session, call=call, purpose=purpose)
    slot = InspectionSlot(call_id=call.id, terminal_id=terminal.id, purpose=purpose,
                          start=found[0], end=found[1], outside_hours=outside_hours)
    session.add(slot)
    session.flush()
    return Plan(window, wait, slot)


def release(session: Session, *, call: PortCall, purpose: str | None = None) -> None:
    query = select(InspectionSlot).where(InspectionSlot.call_id == call.id,
                                         InspectionSlot.released.is_(False))
    if purpose:
        query = query.where(InspectionSlot.purpose == purpose)
    for slot in session.scalars(query):
        slot.released = True


def slots_query(call: PortCall) -> Select[tuple[InspectionSlot]]:
    return select(InspectionSlot).where(
        InspectionSlot.call_id == call.id, InspectionSlot.released.is_(False)).order_by(
        InspectionSlot.start, InspectionSlot.id)


def slots_of(session: Session, call: PortCall) -> Sequence[InspectionSlot]:
    return session.scalars(slots_query(call)).all()


def agenda_query(*, station_org_id: int, start: datetime, end: datetime) -> Select[Any]:
    """Every booked inspection of the station's terminals in [start, end): (slot, call,
    terminal) rows."""
    return (select(InspectionSlot, PortCall, Terminal)
            .join(PortCall, PortCall.id == InspectionSlot.call_id)
            .join(Terminal, Terminal.id == InspectionSlot.terminal_id)
            .where(Terminal.station_org_id == station_org_id, InspectionSlot.released.is_(False),
                   InspectionSlot.start < end, InspectionSlot.end > start)
            .order_by(InspectionSlot.start, InspectionSlot.id))


def agenda(session: Session, *, station_org_id: int, start: datetime,
           end: datetime) -> Sequence[Any]:
    return session.execute(agenda_query(station_org_id=station_org_id, start=start,
                                        end=end)).all()
