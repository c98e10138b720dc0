"""Green channel: a medical emergency jumps every queue, runs against the clock, and escalates.

A medical case (injured or sick crew who must land) may be declared by the call's agent or the
station from any state up to CLEARED_IN. It puts the call first in every queue, lets the
station approve arrival before the paperwork is complete ("documents to follow"), records the
landing, and blocks clearing in until the documents are completed. Two deadlines run from the
declaration — an officer acknowledges, the person is ashore — and each one missed escalates:
level 1 to the station's supervisors at once, level 2 to its administrators after a further
``green_channel_escalate_after_minutes``. Weather and tide requests are *expedited*: top of the
queue after emergencies, slots outside office hours, an acknowledgement deadline, the reason
recorded.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.clearance.calls import service as calls
from bastion.clearance.calls.models import PortCall
from bastion.clearance.green.cases import open_case
from bastion.clearance.green.models import Emergency
from bastion.clearance.workflow import BEFORE_CLEARED_IN
from bastion.core import deadlines, events
from bastion.core.config import get_settings
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Forbidden, Invalid
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.org import capabilities
from bastion.org.models import Role, User

KINDS = ("medical", "weather", "tide")
PRIORITY = {"medical": "emergency", "weather": "expedited", "tide": "expedited"}
RANK = {"emergency": 0, "expedited": 1, "normal": 2}


def _station_staff(user: User, call: PortCall) -> bool:
    return not calls.is_agent(user) and user.organisation_id == call.station_org_id and \
        user.has_role(Role.OFFICER)


def declare(session: Session, *, user: User, call: PortCall, kind: str, reason: str,
            persons: list[dict[str, Any]] | None = None, documents_to_follow: bool = False,
            now: datetime | None = None) -> Emergency:
    """Open a green-channel case (medical) or an expedited request (weather, tide)."""
    if kind not in KINDS:
        raise Invalid(_("Unknown kind of request."), field="kind")
    if not reason or not reason.strip():
        raise Invalid(_("Give the reason."), field="reason")
    agent = calls.is_agent(user) and call.agent_org_id == user.organisation_id
    if not agent and not _station_staff(user, call):
        raise Forbidden(_("Only the call's agent or the station can ask for this."))
    if agent and not user.has_role(Role.OFFICER):  # before the state: a viewer learns nothing
        raise Forbidden(_("Viewers cannot change a port call."))
    if call.state not in BEFORE_CLEARED_IN:
        raise Conflict(_("This action is not possible in the call's present state."))
    if kind == "medical" and not any(isinstance(p, dict) and str(p.get("name") or "").strip()
                                     for p in persons or []):
        # Whoever lands is screened by name: a landing with nobody named screens nobody.
        raise Invalid(_("Name the person who must land."), field="persons")
    now = now or utcnow()
    current = open_case(session, call)
    if current is not None:
        if current.kind == "medical" or kind != "medical":
            raise Conflict(_("The call already has an open request."))
        # An injured crew member on a ship already expedited for weather or tide: the
        # emergency takes over, and the earlier request is closed with the reason.
        current.closed_at = now
        _event(session, user, call, "request_superseded", kind=current.kind)
    settings = get_settings()
    medical = kind == "medical"
    ack = settings.green_channel_ack_minutes if medical else settings.expedite_ack_minutes
    case = Emergency(
        call_id=call.id, kind=kind, reason=reason.strip(), persons=persons or [],
        declared_by_id=user.id, declared_at=now, documents_to_follow=medical and documents_to_follow,
        ack_due_at=now + timedelta(minutes=ack),
        landing_due_at=now + timedelta(minutes=settings.green_channel_landing_minutes)
        if medical else None)
    session.add(case)
    if RANK[PRIORITY[kind]] < RANK.get(call.priority, 2):
        call.priority = PRIORITY[kind]
    if medical:
        call.service_mode = "green_channel"
    call.updated_at = now
    session.flush()
    _rebook(session, call, case)
    _event(session, user, call, "green_channel", kind=kind, reason=case.reason,
           ack_due=case.ack_due_at, landing_due=case.landing_due_at,
           documents_to_follow=case.documents_to_follow, persons=len(case.persons))
    if medical and case.persons:
        # Whoever must land is screened now, before the papers follow (calls.run_precheck
        # adds the case's persons to the declared ones).
        calls.recheck(session, call=call, why="green_channel")
    return case


def _rebook(session: Session, call: PortCall, case: Emergency) -> None:
    """An emergency on a call whose arrival is already booked moves its inspection to the
    first moment the terminal (and the tide) allow, office hours or not. If nothing fits,
    the booked slot stays and the officers handle the case by hand."""
    from bastion.clearance.terminals import service as terminals
    from bastion.clearance.workflow import State

    if case.kind != "medical" or call.state is not State.ARRIVAL_APPROVED:
        return
    try:
        terminals.book(session, call=call, purpose="arrival",
                       earliest=max(call.eta or case.declared_at, case.declared_at),
                       outside_hours=True)
    except Conflict:
        return


def acknowledge(session: Session, *, user: User, call: PortCall,
                now: datetime | None = None) -> Emergency:
    case = _open_or_409(session, call)
    if not _station_staff(user, call):
        raise Forbidden(_("Only the station acknowledges a request."))
    if case.acknowledged_at is not None:
        raise Conflict(_("Already acknowledged."))
    case.acknowledged_at, case.acknowledged_by_id = now or utcnow(), user.id
    _event(session, user, call, "green_channel_ack", kind=case.kind)
    return case


def record_landing(session: Session, *, user: User, call: PortCall, note: str,
                   reason: str | None = None, override: bool = False,
                   now: datetime | None = None) -> Emergency:
    """The injured or sick person is ashore (handed to the ambulance, hospital named).

    A person the pre-check judged "clear" lands at once: an emergency is not held up. One who
    is "stop", or "check" with a hit not yet decided, lands only when a supervisor of the
    station overrides with a reason (``portcalls.override``, as for clearing in), kept on the
    call and in the event and audit record."""
    case = _open_or_409(session, call)
    if case.kind != "medical":
        raise Conflict(_("Only a medical case records a landing."))
    if not _station_staff(user, call):
        raise Forbidden(_("Only the station records a landing."))
    if override:  # who may not override learns nothing of the persons
        capabilities.require(user, "portcalls.override")
    if not note or not note.strip():
        raise Invalid(_("Say who landed and where they were taken."), field="note")
    if case.landed_at is not None:
        raise Conflict(_("The landing is already recorded."))
    overridden = _check_landed_resolved(call, case, reason, override)
    case.landed_at, case.landing_note = now or utcnow(), note.strip()
    if case.acknowledged_at is None:
        case.acknowledged_at, case.acknowledged_by_id = case.landed_at, user.id
    extra: dict[str, Any] = {"override": True, "blocked_persons": overridden,
                             "reason": reason.strip()} if overridden else {}
    _event(session, user, call, "landing", kind=case.kind, note=case.landing_note, **extra)
    return case


def _check_landed_resolved(call: PortCall, case: Emergency, reason: str | None,
                           override: bool) -> list[str]:
    """The case's persons (refs "<name> · G<case>.<n>") who are "stop" or have an open hit;
    refused unless overridden with a reason. Returns the persons overridden."""
    mark = f" · G{case.id}."
    blocked = [ref for ref in calls.blocked_persons(call, "landing") if mark in ref]
    if not blocked:
        return []
    if not override:
        raise Conflict(_("Cannot record the landing while these persons are unresolved (stop, "
                         "or a watchlist hit not yet decided): {persons}. A supervisor may "
                         "override with a reason.").format(persons="; ".join(blocked)))
    if not (reason or "").strip():
        raise Invalid(_("Give the reason for the override."), field="reason")
    overrides = dict((call.precheck or {}).get("overrides", {}))
    overrides["landing"] = sorted({*overrides.get("landing", []), *blocked})
    call.precheck = {**(call.precheck or {}), "overrides": overrides}
    return blocked


def complete_documents(session: Session, *, user: User, call: PortCall,
                       now: datetime | None = None) -> Emergency:
    """The paperwork that was allowed to follow is in: a crew list has been uploaded."""
    case = _open_or_409(session, call)
    agent = calls.is_agent(user) and call.agent_org_id == user.organisation_id
    if not agent and not _station_staff(user, call):
        raise Forbidden(_("Only the call's agent or the station can ask for this."))
    if case.documents_completed_at is not None or not case.documents_to_follow:
        raise Conflict(_("No documents are outstanding."))
    if agent and not user.has_role(Role.OFFICER):
        raise Forbidden(_("Viewers cannot change a port call."))
    if not calls.has_crew_list(session, call, since=case.declared_at):
        raise Invalid(_("Upload the crew list (after the case was opened) first."), field="crew")
    case.documents_completed_at = now or utcnow()
    _event(session, user, call, "documents_completed", kind=case.kind)
    # The people who landed first are screened now, like any other declaration.
    calls.run_precheck(session, call=call,
                       checker=calls.precheck_account(session, station_org_id=call.station_org_id))
    return case


def _open_or_409(session: Session, call: PortCall) -> Emergency:
    case = open_case(session, call)
    if case is None:
        raise Conflict(_("The call has no open request."))
    return case


def _deadlines(case: Emergency) -> list[deadlines.Deadline]:
    landing = case.landing_due_at if case.kind == "medical" else None
    return [deadlines.Deadline("acknowledge", case.ack_due_at, case.acknowledged_at is not None),
            deadlines.Deadline("landing", landing, case.landed_at is not None)]


def missed(case: Emergency, now: datetime) -> list[tuple[str, datetime]]:
    """The deadlines this case has missed so far, earliest first."""
    return deadlines.missed(_deadlines(case), now)


def levels_at(case: Emergency, now: datetime) -> dict[str, int]:
    """Per missed deadline: 1 (supervisors) once it passed, 2 (administrators) once it passed
    by more than the grace period. Each deadline escalates on its own clock."""
    grace = timedelta(minutes=get_settings().green_channel_escalate_after_minutes)
    return deadlines.levels_at(_deadlines(case), now, deadlines.Ladder((timedelta(0), grace)))


def level_at(case: Emergency, now: datetime) -> int:
    return max(levels_at(case, now).values(), default=0)


def escalate_overdue(session: Session, *, now: datetime | None = None) -> list[Emergency]:
    """Escalate every open case that has passed a deadline further than before: an event and a
    RED notice to the station's supervisors (level 1) or also its administrators (level 2).
    Run every minute by the escalation job (``green/timer.py``) and by ``bastion clearance
    escalate``."""
    now = now or utcnow()
    raised = []
    # Several server processes may run this clock: each case is taken by one of them.
    for case in session.scalars(deadlines.claim(
            select(Emergency).where(Emergency.closed_at.is_(None)))):
        done = dict(case.escalations or {})
        rises = deadlines.rises(levels_at(case, now), done)
        if not rises:
            continue
        case.escalations = {**done, **rises}
        case.escalation_level = max(case.escalations.values())
        case.escalated_at = now
        call = session.get(PortCall, case.call_id)
        for name, level in sorted(rises.items()):
            _event(session, None, call, "sla_escalated", kind=case.kind, level=level,
                   missed=[name])
            _notify(session, call, case, name, level)
        raised.append(case)
    return raised


def _notify(session: Session, call: PortCall, case: Emergency, deadline: str,
            level: int) -> None:
    """An urgent notification, to be acknowledged, to whom the level reaches: the station's
    supervisors (its administrators if it has none), and from level 2 its administrators too.
    Each reads it in their own language."""
    from bastion.clearance import labels  # noqa: F401  (registers the vocabulary)
    from bastion.core.labels import VOCABULARIES
    from bastion.notifications.service import notify
    from bastion.org.models import Agency

    station = session.get(Agency, call.station_org_id)
    staff = session.scalars(select(User).join(Agency, User.agency_id == Agency.id).where(
        User.active.is_(True), User.system.is_(False),
        (Agency.id == station.id) | (Agency.root_id == station.id))).all()
    supervisors = [u for u in staff if u.role is Role.SUPERVISOR]
    admins = [u for u in staff if u.role is Role.ADMIN]
    recipients = (supervisors or admins) if level < 2 else supervisors + admins
    if not recipients:
        return
    notify(session, recipients=recipients, severity="urgent",
           title=lazy("Green channel: {what} overdue for {vessel} (level {level})"),
           body=lazy("Port call {id}: {kind}, opened {opened}. Reason: {reason}"),
           params={"what": "acknowledgement" if deadline == "acknowledge" else "landing",
                   "vessel": call.vessel_name, "level": level, "id": call.id,
                   "kind": VOCABULARIES.get("request_kind", {}).get(case.kind, case.kind),
                   "opened": case.declared_at, "reason": case.reason},
           translate=("what", "kind"), times=("opened",), link=f"/clearance/{call.id}",
           record_kind=calls.KIND, record_id=call.id)


def _event(session: Session, user: User | None, call: PortCall, action: str,
           **extra: Any) -> None:
    payload = {"action": action, "from": call.state.value, "to": call.state.value,
               "reason": extra.pop("reason", None),
               **{k: v.isoformat() if isinstance(v, datetime) else v for k, v in extra.items()}}
    events.emit(session, kind=f"portcall.{action}", actor_id=user.id if user else None,
                record_kind=calls.KIND, record_id=call.id, payload=payload)
    if user is not None:
        audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=calls.KIND,
                     record_id=call.id, summary=f"port call {call.id}: {action}",
                     reason=payload["reason"])
