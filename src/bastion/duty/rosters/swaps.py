"""Swaps: the person whose duty it is asks to hand it to another (or to trade with one of
theirs); a planner of the roster approves — re-checked against every hard rule on the plan it
would make, refused naming the rule — or refuses. The requester is told either way."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Forbidden, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import label
from bastion.duty import access
from bastion.duty.rosters import problem_of as po
from bastion.duty.rosters import service
from bastion.duty.rosters.models import (
    Assignment,
    DutyPerson,
    Roster,
    RosterStatus,
    SwapRequest,
    SwapStatus,
)
from bastion.duty.rosters.schemas import SwapIn
from bastion.duty.rosters.words import Words
from bastion.duty.solver import Cell
from bastion.org import capabilities
from bastion.org.models import User


def _audit(session: Session, user: User, swap: SwapRequest, what: str,
           action: AuditAction = AuditAction.UPDATE) -> None:
    audit.record(session, action=action, actor=user, record_kind="duty_swap", record_id=swap.id,
                 summary=f"duty swap {swap.id} {what}")


def list_query(user: User, *, status: SwapStatus | None = None) -> Select[tuple[SwapRequest]]:
    """A planner sees the swaps of the rosters they plan; anyone else those they asked or
    that would give them a duty."""
    if not capabilities.can(user, "duty.roster.plan"):
        capabilities.require(user, "duty.swap.request")
    mine = select(DutyPerson.id).where(DutyPerson.user_id == user.id)
    seen = [SwapRequest.requested_by_id == user.id, SwapRequest.to_person_id.in_(mine)]
    if capabilities.can(user, "duty.roster.plan"):
        seen.append(SwapRequest.roster_id.in_(select(Roster.id).where(
            Roster.owner_org_id == user.organisation_id)))
    query = select(SwapRequest).where(or_(*seen))
    if status is not None:
        query = query.where(SwapRequest.status == status)
    return query.order_by(SwapRequest.created_at.desc(), SwapRequest.id.desc())


def public(session: Session, swap: SwapRequest) -> dict[str, Any]:
    a = session.get(Assignment, swap.assignment_id)
    other = session.get(Assignment, swap.other_assignment_id) if swap.other_assignment_id \
        else None
    names = {p.id: p.name for p in session.scalars(select(DutyPerson).where(DutyPerson.id.in_(
        {swap.to_person_id, *(x.person_id for x in (a, other) if x is not None)})))}
    return {"id": swap.id, "roster_id": swap.roster_id, "assignment_id": swap.assignment_id,
            "to_person_id": swap.to_person_id, "to_person_name": names.get(swap.to_person_id),
            "other_assignment_id": swap.other_assignment_id, "status": swap.status.value,
            "reason": swap.reason, "requested_by_id": swap.requested_by_id,
            "decided_by_id": swap.decided_by_id, "decided_at": swap.decided_at,
            "decision_note": swap.decision_note, "created_at": swap.created_at,
            "duty": service.public_assignment(a) | {"person_name": names.get(a.person_id)}
            if a else None,
            "other_duty": service.public_assignment(other) | {
                "person_name": names.get(other.person_id)} if other else None}


def request(session: Session, *, user: User, data: SwapIn) -> SwapRequest:
    capabilities.require(user, "duty.swap.request")
    duty = session.get(Assignment, data.assignment_id)
    roster = session.scalar(access.rosters_query(user).where(Roster.id == duty.roster_id)) \
        if duty is not None else None
    if duty is None or roster is None:
        raise NotFound(_("No such duty."))
    person = session.get(DutyPerson, duty.person_id)
    if person is None or person.user_id != user.id:
        raise Forbidden(_("You can ask to swap only a duty of your own."))
    if roster.status != RosterStatus.PUBLISHED:
        raise Conflict(_("The roster is %(status)s: swaps are asked on a published roster.")
                       % {"status": label(roster.status)})
    to = session.scalar(select(DutyPerson).where(DutyPerson.id == data.to_person_id,
                                                 DutyPerson.org_id == roster.owner_org_id,
                                                 DutyPerson.active))
    if (to is None or to.id == person.id or to.unit_id != duty.unit_id
            or duty.role_code not in (to.roles or [])):
        raise Invalid(_("This person cannot stand this duty (same unit and role needed)."),
                      field="to_person_id")
    if data.other_assignment_id is not None:
        other = session.get(Assignment, data.other_assignment_id)
        if (other is None or other.roster_id != roster.id or other.person_id != to.id
                or other.role_code not in (person.roles or [])
                or other.unit_id != person.unit_id):
            raise Invalid(_("The duty to take back must be one of theirs on this roster, "
                            "that you can stand."), field="other_assignment_id")
    pending = session.scalar(select(SwapRequest.id).where(
        SwapRequest.assignment_id == duty.id, SwapRequest.status == SwapStatus.REQUESTED))
    if pending is not None:
        raise Conflict(_("A swap of this duty is already waiting for a decision."))
    swap = SwapRequest(roster_id=roster.id, assignment_id=duty.id, to_person_id=to.id,
                       other_assignment_id=data.other_assignment_id, reason=data.reason,
                       requested_by_id=user.id)
    session.add(swap)
    session.flush()
    _audit(session, user, swap, "requested", AuditAction.CREATE)
    service.emit(session, roster, "swap_requested", user, swap_id=swap.id)
    from bastion.notifications.service import Holders, notify

    notify(session, recipients=[Holders("duty.roster.plan", roster.owner_org_id)], sender=user,
           title=lazy("Swap asked on duty roster {name}"),
           body=lazy("{who} asks to hand over the duty of {day}."),
           params={"name": roster.name, "who": person.name, "day": duty.day.isoformat()},
           link=f"/duty/rosters/{roster.id}", record_kind=service.KIND, record_id=roster.id)
    return swap


def _decidable(session: Session, user: User, swap_id: int) -> tuple[SwapRequest, Roster]:
    capabilities.require(user, "duty.roster.plan")
    swap = session.scalar(list_query(user).where(SwapRequest.id == swap_id))
    roster = session.get(Roster, swap.roster_id) if swap is not None else None
    if swap is None or roster is None or not access.plans(user, roster):
        raise NotFound(_("No such swap."))
    if swap.status != SwapStatus.REQUESTED:
        raise Conflict(_("This swap is %(status)s already.") % {"status": label(swap.status)})
    return swap, roster


def _tell(session: Session, user: User, swap: SwapRequest, roster: Roster, approved: bool
          ) -> None:
    from bastion.notifications.service import notify

    notify(session, recipients=[swap.requested_by_id], sender=user,
           title=lazy("Your swap was approved: {name}") if approved
           else lazy("Your swap was refused: {name}"),
           body=swap.decision_note, params={"name": roster.name},
           link=f"/duty/rosters/{roster.id}", record_kind=service.KIND, record_id=roster.id)


def approve(session: Session, *, user: User, swap_id: int, note: str = "") -> SwapRequest:
    swap, roster = _decidable(session, user, swap_id)
    duty = session.get(Assignment, swap.assignment_id)
    other = session.get(Assignment, swap.other_assignment_id) if swap.other_assignment_id \
        else None
    giver = duty.person_id
    codes = po.unit_codes(session, roster.unit_ids or [])
    rows = service.assignments(session, roster)
    changed = {duty.id: swap.to_person_id, **({other.id: giver} if other else {})}
    before = po.cells_of(codes, rows)
    after = [Cell(r.day, r.shift_code, codes[r.unit_id], r.role_code,
                  str(changed.get(r.id, r.person_id))) for r in rows if r.unit_id in codes]
    problem = po.problem_of(session, roster)
    from dataclasses import replace

    moved = {c for c, r in zip(before, [r for r in rows if r.unit_id in codes], strict=True)
             if r.id in changed}
    unpinned = replace(problem, pins=tuple(c for c in problem.pins if c not in moved))
    service.refuse_new_violations(unpinned, before, after, partial=False, field="swap",
                                  words=Words.of(session, roster))
    if other is not None and other.day == duty.day:
        # A trade within one day: the rows trade their shifts (one person a day per row key).
        for column in ("shift_code", "role_code", "unit_id", "starts_at", "ends_at"):
            mine, theirs = getattr(duty, column), getattr(other, column)
            setattr(duty, column, theirs)
            setattr(other, column, mine)
    else:
        duty.person_id = swap.to_person_id
        session.flush()
        if other is not None:
            other.person_id = giver
    swap.status, swap.decided_by_id, swap.decided_at = SwapStatus.APPROVED, user.id, utcnow()
    swap.decision_note = note
    roster.version += 1
    session.flush()
    _audit(session, user, swap, "approved")
    service.emit(session, roster, "swap_approved", user, swap_id=swap.id)
    _tell(session, user, swap, roster, True)
    return swap


def refuse(session: Session, *, user: User, swap_id: int, note: str = "") -> SwapRequest:
    swap, roster = _decidable(session, user, swap_id)
    swap.status, swap.decided_by_id, swap.decided_at = SwapStatus.REFUSED, user.id, utcnow()
    swap.decision_note = note
    session.flush()
    _audit(session, user, swap, "refused")
    service.emit(session, roster, "swap_refused", user, swap_id=swap.id)
    _tell(session, user, swap, roster, False)
    return swap
