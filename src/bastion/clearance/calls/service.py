"""Port-call rules: who sees a call, declarations, the enforced workflow, the pre-check.

Agents (shipping-agency accounts) see only their own agency's calls; the station and the
agencies taking part see the station's calls. Every transition goes through the workflow
module and is an append-only event (core.events) with who, when and why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, exists, false, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.clearance import precheck as rules
from bastion.clearance.calls.models import CallParticipant, Declaration, PortCall
from bastion.clearance.declarations.validate import validate_bytes
from bastion.clearance.departure import people as departure_people
from bastion.clearance.green import cases as green
from bastion.clearance.workflow import (
    AGENCY_CLEARANCES,
    BY_ACTION,
    Actor,
    Clearances,
    State,
    check_actor,
    transition,
)
from bastion.clearance.workspace.history import record_upload
from bastion.core import events, scopes, workflow
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Forbidden, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, Role, User

KIND = "port_call"
# Agencies that may take part in a port call's clearance, each recording its own.
CLEARING_AGENCIES = (AgencyKind.BORDER_INSPECTION, AgencyKind.CUSTOMS,
                     AgencyKind.MARITIME_SAFETY, AgencyKind.BORDER_POLICE,
                     AgencyKind.PUBLIC_SECURITY)
PEOPLE_FORMS = ("crew", "passengers")


def is_agent(user: User) -> bool:
    return user.agency.kind == AgencyKind.SHIPPING_AGENCY or (
        user.agency.parent is not None and user.agency.parent.kind == AgencyKind.SHIPPING_AGENCY)


def visible(user: User) -> ColumnElement[bool]:
    """Calls a user may see: their agency reads port calls, and it is the call's agent, its
    station, or an agency taking part in its clearance."""
    if not capabilities.can(user, "portcalls.read"):
        return false()
    org = user.organisation_id
    if is_agent(user):
        return PortCall.agent_org_id == org
    takes_part = exists(select(CallParticipant.id).where(CallParticipant.call_id == PortCall.id,
                                                         CallParticipant.agency_id == org))
    return or_(PortCall.station_org_id == org, takes_part)


# Every queue puts the green channel first, then expedited calls (weather, tide); finished
# calls go last whatever they once were.
FINISHED = (State.DEPARTED, State.CANCELLED, State.REJECTED)
QUEUE_ORDER = (case((PortCall.state.in_(FINISHED), 3), (PortCall.priority == "emergency", 0),
                    (PortCall.priority == "expedited", 1), else_=2),
               # open calls: the next to arrive first; finished ones: the latest first
               case((PortCall.state.in_(FINISHED), None), else_=PortCall.eta).asc().nulls_last(),
               PortCall.eta.desc(), PortCall.id.desc())


def calls_query(*, user: User, state: State | None = None,
                finished: bool | None = None) -> Select[tuple[PortCall]]:
    """The calls a user may see, queue order; ``finished`` True/False keeps only finished
    (departed, cancelled, rejected) or only open calls."""
    capabilities.require(user, "portcalls.read")
    query = select(PortCall).where(visible(user))
    if state is not None:
        query = query.where(PortCall.state == state)
    if finished is not None:
        done = PortCall.state.in_(FINISHED)
        query = query.where(done if finished else ~done)
    return query.order_by(*QUEUE_ORDER)


def list_calls(session: Session, *, user: User, state: State | None = None,
               finished: bool | None = None, limit: int = 100) -> Sequence[PortCall]:
    query = calls_query(user=user, state=state, finished=finished)
    return session.scalars(query.limit(limit)).all()


def get_call(session: Session, *, user: User, call_id: int, purpose: str | None = None,
             audited: bool = False) -> PortCall:
    """One call. A call carries passport data: reads that show it (``audited=True``: the call's
    page and API record) are audited with their purpose; actions are audited as actions."""
    call = session.scalar(select(PortCall).where(PortCall.id == call_id, visible(user)))
    if call is None:
        raise NotFound(_("No such port call."))
    if audited:
        audit.record(session, action=AuditAction.READ, actor=user, record_kind=KIND,
                     record_id=call.id, summary=f"port call {call.id}", reason=purpose)
    return call


def audit_listing(session: Session, *, user: User, calls: Sequence[PortCall],
                  purpose: str | None = None) -> None:
    """A list of calls shows who is aboard (pre-check references): audited like a read."""
    if calls:
        audit.record(session, action=AuditAction.READ, actor=user, record_kind=KIND,
                     summary=f"{len(calls)} port calls listed", reason=purpose,
                     detail={"ids": [c.id for c in calls][:500]})


ORDER = {"clear": 0, "check": 1, "stop": 2}


def readable_lists(session: Session, *, user: User) -> set[str]:
    """The watchlists (ids as the pre-check stores them) whose results this user may read;
    looked up once for a whole page of calls."""
    from bastion.screening import service as screening

    return {str(i) for i in screening.visible_list_ids(session, user=user)}


def precheck_for(session: Session, *, user: User, call: PortCall,
                 lists: set[str] | None = None) -> dict[str, Any]:
    """What of the pre-check this user may read. An agent learns the level only (reasons and
    per-person results would tell a ship which of its people matched a watchlist); others
    with the function see the reasons, and per person what the lists they may see say
    (``lists``: from ``readable_lists``, passed in when showing many calls)."""
    result = dict(call.precheck or {})
    if not result:
        return result
    if is_agent(user) or not capabilities.can(user, "precheck.read"):
        return {"level": result.get("level"), "version": result.get("version")}
    by_list = result.pop("by_list", None)
    if by_list is None:  # judged before per-list results were kept: the station's own view
        if user.organisation_id != call.station_org_id:
            result["persons"] = {}
        return result
    mine = lists if lists is not None else readable_lists(session, user=user)
    result["persons"] = {
        ref: max((o for k, o in by_list.get(ref, {}).items() if k in mine),
                 key=ORDER.__getitem__, default="clear")
        for ref in result.get("persons", {})}
    return result


def create_call(session: Session, *, user: User, station: Agency, participants: list[Agency],
                fields: dict[str, Any]) -> PortCall:
    from bastion.clearance.terminals.service import list_terminals

    if not is_agent(user):
        raise Forbidden(_("Port calls are declared by shipping agents."))
    capabilities.require(user, "portcalls.declare")
    if station.kind != AgencyKind.BORDER_INSPECTION or station.parent_id is not None:
        raise Invalid(_("Choose a border inspection station."), field="station_id")
    for agency in participants:
        if agency.kind not in CLEARING_AGENCIES:
            raise Invalid(_("{agency} does not clear ships.").format(agency=agency.code),
                          field="participant_ids")
    known = {t.code: t for t in list_terminals(session, station_org_id=station.organisation_id)}
    if fields.get("terminal") and known and fields["terminal"] not in known:
        raise Invalid(_("The station has no terminal {code}.").format(code=fields["terminal"]),
                      field="terminal")
    terminal = known.get(fields.get("terminal") or "")
    if terminal is not None and not terminal.active:
        raise Invalid(_("Terminal {code} is not in service.").format(code=terminal.code),
                      field="terminal")
    # The service mode is the station's, never the agent's: the terminal's profile, and the
    # green channel when an emergency is declared (green.service).
    fields = {**fields, "service_mode": "normal" if terminal is None else "tide_window"
              if terminal.tide_station else "24h" if terminal.service_hours == "24h"
              else "normal"}
    call = PortCall(station_org_id=station.organisation_id, agent_org_id=user.organisation_id,
                    created_by_id=user.id, **fields)
    session.add(call)
    session.flush()
    for agency in {station.organisation_id, *(a.organisation_id for a in participants)}:
        session.add(CallParticipant(call_id=call.id, agency_id=agency))
    _event(session, user, call, "create", None, State.DRAFT, None)
    return call


def upload(session: Session, *, user: User, call: PortCall, form: str, data: bytes,
           filename: str) -> Declaration:
    """All rows or none: a file with any error stores nothing and names every problem."""
    if not is_agent(user) or call.agent_org_id != user.organisation_id:
        raise Forbidden(_("Only the call's agent uploads its declarations."))
    capabilities.require(user, "portcalls.declare")
    late_papers = call.state in (State.ARRIVED, State.INSPECTING) and \
        green.documents_outstanding(session, call)  # green channel: documents to follow
    if call.state not in (State.DRAFT, State.RETURNED, State.SUBMITTED, State.PRECHECKED,
                          State.ARRIVAL_APPROVED, State.AMENDED) and not late_papers:
        raise Invalid(_("Declarations cannot change in this state."), field="file")
    arrival = call.eta.date() if call.eta else None
    departure = call.etd.date() if call.etd else None
    result = validate_bytes(data, form, arrival=arrival, departure=departure)
    if not result.ok:
        error = Invalid(_("The file has {n} errors; nothing was stored.").format(
            n=len(result.errors)), field="file")
        error.errors = result.errors  # type: ignore[attr-defined]
        raise error
    latest = session.scalar(select(Declaration.version).where(
        Declaration.call_id == call.id, Declaration.form == form)
        .order_by(Declaration.version.desc()).limit(1))
    declaration = Declaration(call_id=call.id, form=form, version=(latest or 0) + 1,
                              filename=filename[:255], uploaded_by_id=user.id,
                              rows=[_jsonable(r) for r in result.rows],
                              warnings=[p.as_dict() for p in result.warnings])
    session.add(declaration)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind="declaration",
                 record_id=declaration.id, summary=f"{form} v{declaration.version} call {call.id}")
    record_upload(session, user=user, call=call, declaration=declaration,
                  channel="rows" if filename.endswith(".json") else "file")
    if call.precheck:  # judged already: the changed declaration is judged again, now
        recheck(session, call=call, why="declaration", detail={"form": form,
                                                               "version": declaration.version})
    return declaration


def recheck(session: Session, *, call: PortCall, why: str,
            detail: dict[str, Any] | None = None) -> rules.Decision:
    """Judge a call again on new evidence and tell the station when it got worse.

    A declaration changed after the pre-check is *re-checked*, not refused until the agent
    amends: crews change at the last port up to the hour of arrival, and an amendment sends
    the call back for approval and gives up its tide window and inspection slot, so refusing
    would teach agents to bring the list to the gangway instead. Re-running at once leaves no
    moment in which a new name is aboard unscreened; clearing is refused while anyone is
    "stop" or "check" (``blocked_persons``). New evidence from other domains (an alert on the
    vessel, a watchlist entry, a hit decision) arrives here through ``clearance.reactions``."""
    from bastion.clearance.calls import alarms

    before = dict(call.precheck or {})
    decision = run_precheck(session, call=call, why=why, detail=detail,
                            checker=precheck_account(session, station_org_id=call.station_org_id))
    alarms.tell_station(session, call=call, before=before, why=why)
    return decision


def _jsonable(row: Any) -> dict[str, Any]:
    data = dataclasses.asdict(row)
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in data.items()}


def latest_people(session: Session, call: PortCall) -> list[dict[str, Any]]:
    people = []
    for form in PEOPLE_FORMS:
        declaration = session.scalar(select(Declaration).where(
            Declaration.call_id == call.id, Declaration.form == form)
            .order_by(Declaration.version.desc()).limit(1))
        if declaration:
            people += [{**row, "list": form} for row in declaration.rows]
    return people


def _actor(user: User, call: PortCall) -> Actor:
    if is_agent(user):
        if call.agent_org_id != user.organisation_id:
            raise Forbidden(_("Only the call's agent can do this."))
        return Actor.AGENT
    return Actor.SUPERVISOR if user.has_role(Role.SUPERVISOR) else Actor.OFFICER


def act(session: Session, *, user: User, call: PortCall, action: str,
        reason: str | None = None, precheck_as: User | None = None,
        override: bool = False) -> PortCall:
    """Take a workflow action; submission and amendment run the pre-check straight away.
    ``override``: a supervisor clears in or out, or records the departure, over unresolved
    persons (with a reason)."""
    if is_agent(user):
        capabilities.require(user, "portcalls.declare")
    elif user.organisation_id == call.station_org_id:
        capabilities.require(user, "portcalls.process")
    else:
        capabilities.require(user, "portcalls.clear")
        if action not in AGENCY_CLEARANCES:
            # A participating agency (customs, maritime safety) records only its own clearance.
            raise Forbidden(_("Only the station takes this action; your agency records its "
                              "own clearance."))
    if override:  # who may not override learns nothing of the call's readiness
        if action not in (*AGENCY_CLEARANCES, "depart") \
                or user.organisation_id != call.station_org_id:
            raise Forbidden(_("Only the station overrides, and only a clearance."))
        capabilities.require(user, "portcalls.override")
    actor = _actor(user, call)
    check_actor(action, actor)
    case = green.open_case(session, call)  # a green-channel or expedited request, if any
    if action == "submit":
        _check_consistent(session, call)
    if action == "clear_in":
        _check_ready_to_clear_in(session, call, case)
    if action == "clear_out":
        departure_people.check_ready_to_clear_out(session, call)
    clearances, overridden = None, []
    if action in ("clear_in", "clear_out"):
        done_field = "cleared_in_at" if action == "clear_in" else "cleared_out_at"
        _check_not_cleared_twice(user, call, action, done_field)
        overridden = _check_persons_resolved(session, user, call, action, reason, override)
        clearances = Clearances(required=frozenset(str(p.agency_id) for p in call.participants),
                                done={str(p.agency_id) for p in call.participants
                                      if getattr(p, done_field)})
    if action == "depart":
        overridden = _check_leaving_resolved(session, call, reason, override)
    before = call.state
    outcome = transition(before, action, actor=actor, reason=reason,
                         agency=str(user.organisation_id), clearances=clearances,
                         emergency=case is not None and case.kind == "medical")
    if clearances is not None:
        for participant in call.participants:
            if participant.agency_id == user.organisation_id:
                setattr(participant, done_field, utcnow())
    call.state, call.updated_at = outcome.state, utcnow()
    # Approved on the green channel before the papers: they must follow, and be screened.
    if action == "approve_arrival" and before not in BY_ACTION["approve_arrival"].sources \
            and case is not None and not screened(session, call):
        case.documents_to_follow = True
    if action == "amend":
        call.version += 1
    extra = _consequences(session, call, action, case,
                          moved=outcome.moved and before != outcome.state)
    if overridden:
        extra.update(override=True, blocked_persons=overridden)
    _event(session, user, call, action, before, outcome.state, reason,
           waiting=sorted(outcome.waiting_for), **extra)
    if action in ("submit", "amend"):
        checker = precheck_as or precheck_account(session, station_org_id=call.station_org_id)
        run_precheck(session, call=call, checker=checker)
    return call


def has_crew_list(session: Session, call: PortCall, *, since: datetime | None = None) -> bool:
    query = select(Declaration.id).where(Declaration.call_id == call.id,
                                         Declaration.form == "crew")
    if since is not None:
        query = query.where(Declaration.uploaded_at >= since)
    return session.scalar(query.limit(1)) is not None


def declared_versions(session: Session, call: PortCall) -> dict[str, int]:
    """The latest version of each form declared for the call."""
    rows = session.execute(select(Declaration.form, Declaration.version).where(
        Declaration.call_id == call.id)).all()
    latest: dict[str, int] = {}
    for form, version in rows:
        latest[form] = max(version, latest.get(form, 0))
    return latest


def screened(session: Session, call: PortCall) -> bool:
    """A crew list is declared and the pre-check judged the call's current version and the
    lists as they stand now (a list uploaded after the pre-check is unscreened until judged)."""
    if call.precheck.get("version") != call.version or not has_crew_list(session, call):
        return False
    judged = call.precheck.get("declarations")
    latest = {f: v for f, v in declared_versions(session, call).items() if f in PEOPLE_FORMS}
    return judged is None or all(judged.get(f) == v for f, v in latest.items())


def blocked_persons(call: PortCall, action: str | None = None) -> list[str]:
    """Declared persons who may not be cleared: "stop", or "check" (a watchlist hit not yet
    decided), in the latest pre-check; less those a supervisor overrode for ``action``."""
    persons = (call.precheck or {}).get("persons", {})
    waived = set((call.precheck or {}).get("overrides", {}).get(action or "", []))
    return sorted(ref for ref, outcome in persons.items()
                  if outcome in ("stop", "check") and ref not in waived)


def _check_consistent(session: Session, call: PortCall) -> None:
    """FAL 1, the crew and the passenger list agree before the call goes to the station."""
    from bastion.clearance.calls import consistency

    errors = [p for p in consistency.problems(session, call) if p.severity == "error"]
    if errors:
        error = Invalid(_("The declarations disagree in {n} places; correct them and submit "
                          "again.").format(n=len(errors)), field="declarations")
        error.errors = errors  # type: ignore[attr-defined]
        raise error


def _check_not_cleared_twice(user: User, call: PortCall, action: str, done_field: str) -> None:
    """A second click by the same agency is refused, not recorded again."""
    for participant in call.participants:
        if participant.agency_id == user.organisation_id and getattr(participant, done_field):
            raise Conflict(_("Your agency has already recorded this clearance."))


def _check_persons_resolved(session: Session, user: User, call: PortCall, action: str,
                            reason: str | None, override: bool) -> list[str]:
    """Nobody "stop" or with an open hit is cleared in or out, unless a supervisor of the
    station overrides with a reason (kept on the call for this action and in the event).
    Returns the persons overridden."""
    if not screened(session, call) and action == "clear_out":
        raise Conflict(_("The crew list must be declared and pre-checked before clearing out."))
    blocked = blocked_persons(call, action)
    if action == "clear_out":  # who leaves on the departure lists is judged by their screening
        waived = set((call.precheck or {}).get("overrides", {}).get(action, []))
        blocked = sorted({*blocked, *departure_people.blocked_departing(session, call, waived)})
    if not blocked:
        return []
    if not override and user.organisation_id != call.station_org_id:
        # Another clearing agency learns that the station has not finished, never whom it holds
        # or on which list: those are the station's (need-to-know).
        raise Conflict(_("The border inspection station has not resolved everyone on the lists "
                         "yet; your clearance waits for it."))
    if not override:
        raise Conflict(_("Cannot clear while these persons are unresolved (stop, or a watchlist "
                         "hit not yet decided): {persons}. A supervisor may override with a "
                         "reason.").format(persons="; ".join(blocked)))
    if not (reason or "").strip():
        raise Invalid(_("Give the reason for the override."), field="reason")
    overrides = dict(call.precheck.get("overrides", {}))
    overrides[action] = sorted({*overrides.get(action, []), *blocked})
    call.precheck = {**call.precheck, "overrides": overrides}
    return blocked


def _check_leaving_resolved(session: Session, call: PortCall, reason: str | None,
                            override: bool) -> list[str]:
    """Nobody who turned "stop" or "check" after clear-out sails (a watchlist entry or a hit
    decided since re-screens who is leaving): those on the departure lists, or on the arrival
    lists when none were declared, less those the clear-out override already covered, unless
    a supervisor of the station overrides the departure with a reason. Returns the persons
    overridden."""
    waived = set((call.precheck or {}).get("overrides", {}).get("clear_out", []))
    if departure_people.departure_people(session, call)[1]:
        blocked = departure_people.blocked_departing(session, call, waived)
    else:
        blocked = blocked_persons(call, "clear_out")
    if not blocked:
        return []
    if not override:
        raise Conflict(_("Cannot record the departure while these persons are unresolved "
                         "(stop, or a watchlist hit not yet decided): {persons}. Decide the hit, "
                         "or a supervisor may override with a reason.").format(
                             persons="; ".join(blocked)))
    if not (reason or "").strip():
        raise Invalid(_("Give the reason for the override."), field="reason")
    overrides = dict(call.precheck.get("overrides", {}))
    overrides["depart"] = sorted({*overrides.get("depart", []), *blocked})
    call.precheck = {**call.precheck, "overrides": overrides}
    return blocked


def _check_ready_to_clear_in(session: Session, call: PortCall, case) -> None:
    """Nobody is cleared in unscreened: a crew list, pre-checked in its current version."""
    if green.papers_outstanding(case):
        raise Conflict(_("The documents allowed to follow are not complete yet."))
    if not screened(session, call):
        raise Conflict(_("The crew list must be declared and pre-checked before clearing in."))


def _consequences(session: Session, call: PortCall, action: str, case, *,
                  moved: bool) -> dict[str, Any]:
    """What an action does beyond the state, and the facts its event records for statistics."""
    from bastion.clearance.terminals import service as terminals

    now = utcnow()
    if action in ("amend", "return"):
        # The arrival must be approved again: its window and slot no longer hold.
        terminals.release(session, call=call)
        call.arrival_window_start = call.arrival_window_end = call.tide_wait_minutes = None
    if action in ("submit", "amend"):
        return {"eta": _iso(call.eta)}
    if action == "approve_arrival":
        plan = terminals.book(session, call=call, purpose="arrival",
                              earliest=max(call.eta or now, now),
                              outside_hours=_outside_hours(case))
        call.arrival_window_start, call.arrival_window_end = plan.window or (None, None)
        # The wait for the tide counts from the ETA, even when the approval came later.
        call.tide_wait_minutes = max(0, int((plan.window[0] - (call.eta or plan.window[0]))
                                            .total_seconds() // 60)) if plan.window else None
        return {"slot_start": _iso(plan.slot.start) if plan.slot else None,
                "slot_end": _iso(plan.slot.end) if plan.slot else None,
                "window_start": _iso(call.arrival_window_start),
                "window_end": _iso(call.arrival_window_end),
                "tide_wait_minutes": call.tide_wait_minutes or 0}
    if action == "declare_departure":
        earliest = max(now, (call.etd or now) - timedelta(hours=2))
        plan = terminals.book(session, call=call, purpose="departure", earliest=earliest,
                              outside_hours=_outside_hours(case),
                              draught_m=departure_people.departure_draught(session, call))
        return {"slot_start": _iso(plan.slot.start) if plan.slot else None,
                "slot_end": _iso(plan.slot.end) if plan.slot else None}
    if action == "arrive":
        call.ata = call.ata or now
        return {"ata": _iso(call.ata)}
    if action == "depart":
        call.atd = call.atd or now
        return {"atd": _iso(call.atd)}
    if action in ("clear_in", "clear_out") and moved:
        if action == "clear_in":
            green.close_for(session, call, now)
        else:  # persons out from the departure lists, and who left or joined (statistics)
            return departure_people.outbound_facts(session, call)
        return {"persons": len(latest_people(session, call))}
    if action in ("cancel", "reject"):
        terminals.release(session, call=call)
        green.close_for(session, call, now)
    return {}


def _outside_hours(case) -> bool:
    """Inspection outside the terminal's hours: a medical emergency always; a weather or tide
    request once the station has acknowledged it (an agent cannot grant itself overtime)."""
    if case is None:
        return False
    return case.kind == "medical" or case.acknowledged_at is not None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def precheck_account(session: Session, *, station_org_id: int) -> User:
    """The station's pre-check runs as this account: it sees what the station may see.
    It has a random password nobody knows and cannot log in through the UI."""
    from bastion.org.service import system_account

    station = session.get(Agency, station_org_id)
    return system_account(session, agency=station, username=f"precheck-{station.code.lower()}"[:64],
                          display_name="Pre-check", role=Role.OFFICER)


def run_precheck(session: Session, *, call: PortCall, checker: User, why: str | None = None,
                 detail: dict[str, Any] | None = None) -> rules.Decision:
    """Screen every declared person (and anyone landed on the green channel), read the
    vessel's risk, alerts and AIS identity and the violations register, decide the level."""
    from bastion.clearance.calls import consistency
    from bastion.clearance.identity import identity_mismatches
    from bastion.clearance.rulesets import service as rulesets
    from bastion.clearance.violations import service as violations
    from bastion.maritime.alerts.service import AlertFilter, list_visible
    from bastion.maritime.tracks.service import find_vessel
    from bastion.screening import service as screening

    people = latest_people(session, call)
    def name(p: dict[str, Any]) -> str:
        return f"{p['family_name']} {p.get('given_names') or ''}".strip()

    # The person's name and the list row: what an officer reads to find them in the file.
    persons = [screening.Person(
        name=name(p), dob=p.get("birth_date"), nationality=p.get("nationality"),
        document_number=p.get("document_number"),
        ref=f"{name(p)} · {'C' if p['list'] == 'crew' else 'P'}{p.get('row')}") for p in people]
    # Whoever landed on the green channel is screened too, papers or not (ref G<case>.<n>).
    persons += [screening.Person(name=p["name"], dob=p.get("dob"),
                                 nationality=p.get("nationality"),
                                 document_number=p.get("document_number"), ref=p["ref"])
                for p in green.landed(session, call)]
    results = screening.screen(session, user=checker, people=persons,
                               context=f"port call {call.id} v{call.version}",
                               source=(KIND, call.id))
    vessel = find_vessel(session, mmsi=call.mmsi) if call.mmsi else None
    mismatches = identity_mismatches(declared=call, vessel=vessel)  # declared vs AIS
    alerts = []
    if call.mmsi:
        alerts = list(list_visible(session, user=checker, flt=AlertFilter(mmsi=call.mmsi),
                                   limit=200)[0])
    earlier = session.scalars(select(PortCall.id).where(
        PortCall.id != call.id, or_(PortCall.imo == call.imo, PortCall.mmsi == call.mmsi),
        PortCall.state == State.DEPARTED)).all() if (call.imo or call.mmsi) else []
    evidence = rules.Evidence(
        person_outcomes={r.person.ref: r.outcome for r in results},
        risk_score=vessel.risk_score if vessel else 0.0,
        alerts=[rules.Alert(a.kind, a.severity, a.start) for a in alerts
                if a.status.value != "retracted"],
        eta=call.eta, earlier_calls=len(earlier),
        earlier_violations=violations.count_for(
            session, station_org_id=call.station_org_id, imo=call.imo, mmsi=call.mmsi,
            agent_org_id=call.agent_org_id, people=people, exclude_call_id=call.id),
        identity_mismatches=[m.field for m in mismatches])
    rules_version, rule_list = rulesets.in_force(session, station_org_id=call.station_org_id)
    evidence.declared_last_port = call.previous_port
    visit = track_last_port(session, call)
    if visit is not None and call.previous_port:
        from bastion.clearance.lastport import mismatch

        evidence.track_last_port = visit.code
        evidence.last_port_differs = mismatch(call.previous_port, visit)
    decision = rules.decide(evidence, rule_list)
    before = call.state
    # A green-channel call whose papers followed after arrival is screened where it stands.
    after = transition(before, "precheck", actor=Actor.SYSTEM).state \
        if before in (State.SUBMITTED, State.AMENDED) else before
    call.state, call.inspection_level = after, decision.level.code
    kept = {k: call.precheck[k] for k in ("overrides",) if k in (call.precheck or {})}
    call.precheck = {**kept, "level": decision.level.code, "reasons": decision.reasons,
                     "persons": decision.persons, "version": call.version,
                     # per person, the outcome of each list that matched: readers are shown
                     # only what the lists they may see say (precheck_for)
                     "by_list": {r.person.ref: {str(k): v for k, v in r.by_list().items()}
                                 for r in results},
                     "rules_version": rules_version,
                     "declarations": {f: v for f, v in declared_versions(session, call).items()
                                      if f in PEOPLE_FORMS},
                     "identity": [m.as_dict() for m in mismatches],
                     "crosscheck": [p.as_dict() for p in consistency.problems(session, call)],
                     "at": utcnow().isoformat()}
    _event(session, checker, call, "precheck", before, after, None,
           level=decision.level.code, rules_version=rules_version, why=why, **(detail or {}))
    return decision


def track_last_port(session: Session, call: PortCall):
    """The last port the vessel's stored AIS track stopped at before this call (30 days)."""
    from bastion.clearance.lastport import track_last_port as last_port
    from bastion.clearance.terminals.service import terminal_of
    from bastion.maritime.tracks.service import positions

    if not call.mmsi:
        return None
    until = min(call.eta or utcnow(), utcnow())
    fixes = positions(session, mmsi=call.mmsi, since=until - timedelta(days=30), until=until)
    if not fixes:
        return None
    terminal = terminal_of(session, call)
    own = call.port or (terminal.port if terminal else None)
    return last_port(fixes, own_port=own, before=until)


def _event(session: Session, user: User, call: PortCall, action: str, before: State | None,
           after: State, reason: str | None, **extra: Any) -> None:
    # History lines name who acted and for which agency, as they were at the time.
    workflow.record(session, kind=f"portcall.{action}", record_kind=KIND, record_id=call.id,
                    actor_id=user.id, action=action, before=before, after=after, reason=reason,
                    by=user.display_name, agency_id=user.organisation_id,
                    agency=session.get(Agency, user.organisation_id).name, **extra)
    audit.record(session, action=AuditAction.UPDATE if before else AuditAction.CREATE,
                 actor=user, record_kind=KIND, record_id=call.id,
                 summary=f"port call {call.id}: {action}", reason=reason)


def agency_clearances(session: Session, call: PortCall) -> list[dict[str, Any]]:
    """Each participating agency, the station first, with when it cleared in and out (None:
    awaited). The call moves on only when all have."""
    agencies = {a.id: a for a in session.scalars(select(Agency).where(
        Agency.id.in_([p.agency_id for p in call.participants])))}
    rows = [{"agency_id": p.agency_id, "agency": agencies[p.agency_id],
             "kind": agencies[p.agency_id].kind.value, "cleared_in_at": p.cleared_in_at,
             "cleared_out_at": p.cleared_out_at} for p in call.participants]
    return sorted(rows, key=lambda r: (r["agency_id"] != call.station_org_id, r["agency_id"]))


def history_query(call: PortCall) -> Select[Any]:
    """The call's events, oldest first."""
    from bastion.core.events import EventRecord

    return select(EventRecord).where(EventRecord.record_kind == KIND,
                                     EventRecord.record_id == call.id).order_by(EventRecord.id)


def history_entry(row: Any) -> dict[str, Any]:
    return {"at": row.at, "actor_id": row.actor_id, **row.payload}


def history(session: Session, call: PortCall) -> list[dict[str, Any]]:
    return [history_entry(r) for r in session.scalars(history_query(call))]


def _may_see(session: Session, user: User, record_id: int) -> bool:
    return session.scalar(select(PortCall.id).where(PortCall.id == record_id,
                                                    visible(user))) is not None


events.register_visibility(KIND, _may_see)
scopes.register_scope(KIND, lambda user: select(PortCall.id).where(visible(user)))
