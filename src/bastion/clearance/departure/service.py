"""Departure rules: who declares the departure lists, who says why a person left or joined,
outbound screening, the departure tide window with the departure draught.

The agent declares the lists (FAL 5/6 for departure) and the departure draught; the agent or
the station says why each person missing or new is so; the station re-runs the screening.
Screening outcomes are the station's and the clearing agencies' (per the watchlists each may
read), never the agent's: an agent must not learn which of its people matched a list.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bastion.clearance.calls import service as calls
from bastion.clearance.calls.models import Declaration, PortCall
from bastion.clearance.declarations.forms import DEPARTURE_FORMS
from bastion.clearance.departure import changes as diff
from bastion.clearance.departure import people
from bastion.clearance.departure.models import Departure, DepartureReason
from bastion.clearance.workflow import State
from bastion.clearance.workspace import store
from bastion.core import workflow
from bastion.core.db import utcnow
from bastion.core.errors import Forbidden, Invalid
from bastion.core.i18n import gettext as _
from bastion.org import capabilities
from bastion.org.models import User

CLOSED = (State.CLEARED_OUT, State.DEPARTED, State.CANCELLED, State.REJECTED)


def own_agent(user: User, call: PortCall) -> bool:
    return calls.is_agent(user) and call.agent_org_id == user.organisation_id


def station_staff(user: User, call: PortCall) -> bool:
    return (not calls.is_agent(user) and user.organisation_id == call.station_org_id
            and capabilities.can(user, "portcalls.process"))


def require_reader(user: User, call: PortCall) -> None:
    """The lists carry passports: the call's agent, or officers whose agency reads
    declarations (viewers, auxiliaries, do not)."""
    capabilities.require(user, "declarations.read")


def _require_open(call: PortCall) -> None:
    if call.state in CLOSED:
        raise Invalid(_("The departure can no longer change in this state."), field="state")


def _ensure(session: Session, call: PortCall) -> Departure:
    departure = people.departure_of(session, call)
    if departure is None:
        departure = Departure(call_id=call.id, screened_versions={}, persons={}, by_list={})
        session.add(departure)
        session.flush()
    return departure


def _event(session: Session, user: User, call: PortCall, action: str, **extra: Any) -> None:
    workflow.record(session, kind=f"portcall.{action}", record_kind=calls.KIND,
                    record_id=call.id, actor_id=user.id, action=action, before=call.state,
                    after=call.state, reason=extra.pop("reason", None), **extra)


def upload(session: Session, *, user: User, call: PortCall, which: str, data: bytes,
           filename: str, channel: str = "file") -> Declaration:
    """A departure crew or passenger list (all rows or none), screened straight away."""
    if which not in DEPARTURE_FORMS:
        raise Invalid(_("Unknown form."), field="form")
    if not own_agent(user, call):
        raise Forbidden(_("Only the call's agent uploads its declarations."))
    capabilities.require(user, "portcalls.declare")
    _require_open(call)
    declaration = store.store(session, user=user, call=call, form=DEPARTURE_FORMS[which],
                              data=data, filename=filename, channel=channel)
    screen(session, call=call)
    return declaration


def screen(session: Session, *, call: PortCall, user: User | None = None) -> Departure:
    """Outbound screening: every person on the departure lists through the screening service,
    as the station's pre-check account (the arrival lists' path). An officer may re-run it
    (a watchlist changed since)."""
    from bastion.screening import service as screening

    if user is not None:
        if not station_staff(user, call):
            raise Forbidden(_("Only the station screens the departure lists."))
        _require_open(call)
    departing, versions = people.departure_people(session, call)
    if not versions:
        raise Invalid(_("No departure list is declared yet."), field="form")
    checker = calls.precheck_account(session, station_org_id=call.station_org_id)

    def name(p: dict[str, Any]) -> str:
        return diff.display_name(p)

    persons = [screening.Person(
        name=name(p), dob=p.get("birth_date"), nationality=p.get("nationality"),
        document_number=p.get("document_number"),
        ref=f"{name(p)} · {'C' if p['list'] == 'crew' else 'P'}{p.get('row')}") for p in departing]
    results = screening.screen(session, user=checker, people=persons,
                               context=f"port call {call.id} departure",
                               source=(calls.KIND, call.id))
    departure = _ensure(session, call)
    departure.persons = {r.person.ref: r.outcome for r in results}
    departure.by_list = {r.person.ref: {str(k): v for k, v in r.by_list().items()}
                         for r in results}
    departure.screened_versions = versions
    departure.screened_at = departure.updated_at = utcnow()
    worst = max(departure.persons.values(), key=calls.ORDER.__getitem__, default="clear")
    _event(session, user or checker, call, "departure_screened", persons=len(results),
           outcome=worst)
    return departure


def rescreen(session: Session, *, call: PortCall, why: str) -> Departure | None:
    """New evidence (a watchlist entry, a hit decided) screens the departure lists again, as
    ``calls.recheck`` re-judges the arrival lists, and tells the station when someone leaving
    is now worse off. Nothing for a call without departure lists."""
    from bastion.clearance.calls import alarms

    departure = people.departure_of(session, call)
    if departure is None or departure.screened_at is None:
        return None
    before = dict(departure.persons or {})
    departure = screen(session, call=call)
    alarms.tell_station_departure(session, call=call, before=before,
                                  after=departure.persons, why=why)
    return departure


def outcomes_for(session: Session, *, user: User, call: PortCall,
                 departure: Departure | None) -> dict[str, str] | None:
    """Per person, what the lists this reader may open say; None for who may not read
    screening results (agents, agencies without the function)."""
    if calls.is_agent(user) or not capabilities.can(user, "precheck.read"):
        return None
    if departure is None or departure.screened_at is None:
        return {}
    mine = calls.readable_lists(session, user=user)
    return {ref: max((o for k, o in departure.by_list.get(ref, {}).items() if k in mine),
                     key=calls.ORDER.__getitem__, default="clear")
            for ref in departure.persons}


def mark(session: Session, *, user: User, call: PortCall, person_key: str, reason: str,
         note: str | None = None) -> DepartureReason:
    """Say why a person missing at departure, or new at it, is so."""
    if not (own_agent(user, call) or station_staff(user, call)):
        raise Forbidden(_("Only the call's agent or the station records why a person left or "
                          "joined."))
    _require_open(call)
    change = next((c for c in people.changes(session, call) if c.key == person_key), None)
    if change is None:
        # Either on both lists (nothing to explain) or on neither: no change has this key.
        raise Invalid(_("No one who left or joined the ship has this key; a person on both the "
                        "arrival and departure lists needs no reason."), field="person_key")
    allowed = diff.MISSING_REASONS if change.kind == "missing" else diff.ADDED_REASONS
    if reason not in allowed:
        raise Invalid(_("Choose one of: {reasons}.").format(reasons=", ".join(allowed)),
                      field="reason")
    row = people.reasons(session, call).get(person_key)
    if row is None:
        row = DepartureReason(call_id=call.id, person_key=person_key, reason=reason,
                              recorded_by_id=user.id)
        session.add(row)
    row.reason, row.note = reason, (note or "").strip()[:2000] or None
    row.recorded_by_id, row.recorded_at = user.id, utcnow()
    session.flush()
    _event(session, user, call, "departure_reason", person=diff.display_name(change.person),
           change=reason, reason=row.note)
    return row


def set_draught(session: Session, *, user: User, call: PortCall,
                draught_m: float) -> Departure:
    """The departure draught, and the first tide window it can sail in at a tide-window
    terminal (the arrival's computation: clearance/terminals, tides), from the ETD."""
    from bastion.clearance.terminals import schedule
    from bastion.clearance.terminals import service as terminals

    if not (own_agent(user, call) or station_staff(user, call)):
        raise Forbidden(_("Only the call's agent or the station records the departure draught."))
    _require_open(call)
    if not 0 < draught_m < 30:
        raise Invalid(_("The draught is between 0 and 30 m."), field="draught_m")
    departure = _ensure(session, call)
    departure.draught_m = draught_m
    departure.window_start = departure.window_end = None
    terminal = terminals.terminal_of(session, call)
    if terminal is not None and terminal.tide_station:
        earliest = max(utcnow(), (call.etd or utcnow()) - timedelta(hours=12))
        windows = terminals.passable(terminal, draught_m, earliest, earliest + terminals.HORIZON)
        window = schedule.arrival_window(windows or [], earliest)
        if window is not None:
            departure.window_start, departure.window_end = window
    departure.updated_at = utcnow()
    _event(session, user, call, "departure_draught", draught_m=draught_m,
           window_start=_iso(departure.window_start), window_end=_iso(departure.window_end))
    return departure


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def summary(session: Session, *, user: User, call: PortCall) -> dict[str, Any]:
    """The departure as this user may read it: lists, changes with reasons, draught and tide
    window, and (for readers of screening) the outbound screening outcomes."""
    require_reader(user, call)
    departing, versions = people.departure_people(session, call)
    arriving = people.arrival_people(session, call)
    found = people.changes(session, call)
    departure = people.departure_of(session, call)
    terminal_tide = _tide_terminal(session, call)
    return {
        "call_id": call.id, "versions": versions,
        "persons": departing, "arrival_persons": len(arriving),
        "changes": [{"key": c.key, "kind": c.kind, "name": diff.display_name(c.person),
                     "list": c.person.get("list"), "document": c.person.get("document_number"),
                     "nationality": c.person.get("nationality"), "reason": c.reason,
                     "note": c.note} for c in found],
        "counts": diff.counts(arriving, departing, found) if versions else {},
        "draught_m": departure.draught_m if departure else None,
        "tide_terminal": terminal_tide,
        "window_start": departure.window_start if departure else None,
        "window_end": departure.window_end if departure else None,
        "screened_at": departure.screened_at if departure else None,
        "screening": outcomes_for(session, user=user, call=call, departure=departure),
        "may_declare": own_agent(user, call) and call.state not in CLOSED,
        "may_mark": (own_agent(user, call) or station_staff(user, call))
        and call.state not in CLOSED,
        "may_screen": station_staff(user, call) and bool(versions) and call.state not in CLOSED,
    }


def _tide_terminal(session: Session, call: PortCall) -> bool:
    from bastion.clearance.terminals import service as terminals

    terminal = terminals.terminal_of(session, call)
    return bool(terminal and terminal.tide_station)


