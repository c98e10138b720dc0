"""Gather what needs the duty officer now, each part through the domain that owns it.

Need-to-know is the owning domain's: a part the user's agency or role may not read is None
(the page leaves it out), and inside a part each service filters the records. ``alarms`` are
the items that sound the alarm when new: medical emergencies, people on "stop", high alerts
on vessels that have calls. Their keys are stable, so the page knows which ones are new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bastion.clearance import board as clearance
from bastion.core import context
from bastion.core.db import utcnow
from bastion.core.i18n import gettext as _
from bastion.maritime.alerts import service as alerts
from bastion.org import capabilities
from bastion.org.models import User
from bastion.screening import service as screening

CAPABILITY = "workbench.read"


@dataclass(frozen=True)
class Alarm:
    key: str    # "emergency:<case id>", "stop:<call id>:<reference>", "alert:<alert id>"
    kind: str   # emergency, stop, alert
    title: str  # in the user's language, for the desktop notification
    link: str


@dataclass
class Board:
    now: datetime
    day_start: datetime
    day_end: datetime
    cases: list[Any] | None = None        # (Emergency, PortCall)
    arrivals: list[Any] | None = None     # PortCall
    flagged: dict[int, Any] = field(default_factory=dict)  # call id -> clearance.Flagged
    hits: list[Any] | None = None         # ScreeningHit
    hit_calls: dict[int, Any] = field(default_factory=dict)  # call id -> PortCall
    alerts: list[Any] | None = None       # VesselAlert
    vessel_calls: dict[int, list[Any]] = field(default_factory=dict)  # mmsi -> calls
    slots: list[Any] | None = None        # (InspectionSlot, PortCall, Terminal)
    tides: list[Any] | None = None        # clearance.TideDay
    awaiting: list[Any] | None = None     # clearance.Awaiting
    alarms: list[Alarm] = field(default_factory=list)


def _today(now: datetime) -> tuple[datetime, datetime]:
    """Today in the user's zone, as UTC bounds: the officer's day, not the UTC day."""
    zone = ZoneInfo(context.current().timezone)
    start = datetime.combine(now.astimezone(zone).date(), time(0), zone).astimezone(UTC)
    return start, start + timedelta(days=1)


def gather(session: Session, *, user: User, now: datetime | None = None,
           audited: bool = False) -> Board:
    """``audited``: the calls whose flagged people are shown are written to the audit log
    as a listing (the page when opened, the API); the live refreshes of an open page are not."""
    capabilities.require(user, CAPABILITY)
    now = now or utcnow()
    start, end = _today(now)
    board = Board(now=now, day_start=start, day_end=end)
    if clearance.may_read(user):
        open_list = clearance.open_calls(session, user=user)
        board.cases = clearance.open_cases(session, user=user)
        board.flagged = clearance.flagged(session, user=user, open_calls=open_list)
        board.arrivals = clearance.arrivals(open_list, now=now)
        board.awaiting = clearance.awaiting(session, open_list=open_list)
        board.slots = clearance.slots(session, user=user, start=start, end=end)
        board.tides = clearance.tide_days(session, user=user, open_list=open_list,
                                          start=start, end=end)
        board.vessel_calls = clearance.calls_of_vessels(open_list)
        if audited:
            clearance.audit_flagged(session, user=user, flagged=board.flagged,
                                    purpose="duty officer's workbench")
        if capabilities.can(user, "alerts.read"):
            rows, _total = alerts.list_visible(session, user=user, limit=100, flt=alerts.AlertFilter(
                severity="high", active_only=True, mmsi_in=tuple(board.vessel_calls)))
            board.alerts = list(rows)
    if capabilities.can(user, "screening.review"):
        rows, _total = screening.hits_visible(session, user=user, limit=50)
        board.hits = list(rows)
        board.hit_calls = clearance.calls_by_id(session, user=user, ids=sorted(
            {h.source_id for h in rows if h.source_kind == "port_call" and h.source_id}))
    board.alarms = _alarms(board)
    return board


def _alarms(board: Board) -> list[Alarm]:
    found = []
    for case, call in board.cases or []:
        if case.kind == "medical":
            found.append(Alarm(f"emergency:{case.id}", "emergency",
                               _("Emergency: {vessel}").format(vessel=call.vessel_name),
                               f"/clearance/{call.id}"))
    for flagged in board.flagged.values():
        for ref in flagged.stops:
            found.append(Alarm(f"stop:{flagged.call.id}:{ref}", "stop",
                               _("Stop: {person} on {vessel}").format(
                                   person=ref, vessel=flagged.call.vessel_name),
                               f"/clearance/{flagged.call.id}"))
    for alert in board.alerts or []:
        found.append(Alarm(f"alert:{alert.id}", "alert",
                           _("High alert: {vessel}").format(vessel=" / ".join(
                               c.vessel_name for c in board.vessel_calls.get(alert.mmsi, []))
                               or alert.mmsi), f"/maritime/alerts/{alert.id}"))
    return found


def as_json(board: Board) -> dict[str, Any]:
    """The board for the REST API: each part the user may read, ids and the facts shown."""
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    def call(c: Any) -> dict[str, Any]:
        return {"id": c.id, "vessel_name": c.vessel_name, "mmsi": c.mmsi, "imo": c.imo,
                "state": c.state.value, "eta": iso(c.eta), "priority": c.priority}

    def part(rows: list[Any] | None, shape) -> list[dict[str, Any]] | None:
        return None if rows is None else [shape(r) for r in rows]

    return {
        "now": iso(board.now),
        "cases": part(board.cases, lambda r: {
            "id": r[0].id, "kind": r[0].kind, "call": call(r[1]), "declared_at": iso(
                r[0].declared_at), "ack_due_at": iso(r[0].ack_due_at),
            "acknowledged_at": iso(r[0].acknowledged_at),
            "landing_due_at": iso(r[0].landing_due_at), "landed_at": iso(r[0].landed_at),
            "escalation_level": r[0].escalation_level}),
        "arrivals": part(board.arrivals, lambda c: {
            **call(c), "inspection_level": c.inspection_level,
            "persons": [{"ref": ref, "outcome": o} for ref, o in (
                board.flagged[c.id].persons if c.id in board.flagged else [])]}),
        "hits": part(board.hits, lambda h: {
            "id": h.id, "name": h.subject.get("name"), "score": h.score,
            "entry": h.entry.name, "call_id": h.source_id if h.source_id in board.hit_calls
            else None}),
        "alerts": part(board.alerts, lambda a: {
            "id": a.id, "kind": a.kind, "mmsi": a.mmsi, "severity": a.severity,
            "start": iso(a.start), "call_ids": [c.id for c in board.vessel_calls.get(a.mmsi, [])]}),
        "slots": part(board.slots, lambda r: {
            "call_id": r[1].id, "terminal": r[2].code, "purpose": r[0].purpose,
            "start": iso(r[0].start), "end": iso(r[0].end)}),
        "tides": part(board.tides, lambda d: {
            "terminal": d.terminal.code, "datum": d.datum,
            "waters": [{"time": iso(w.time), "height": round(w.height, 2), "kind": w.kind}
                       for w in d.waters],
            "calls": [{"call_id": c.id, "windows": [[iso(s), iso(e)] for s, e in ws]}
                      for c, ws in d.calls]}),
        "awaiting": part(board.awaiting, lambda w: {
            "call_id": w.call.id, "direction": w.direction,
            "cleared": [a.code for a in w.cleared], "awaited": [a.code for a in w.awaited]}),
        "alarms": [{"key": a.key, "kind": a.kind, "title": a.title, "link": a.link}
                   for a in board.alarms],
    }
