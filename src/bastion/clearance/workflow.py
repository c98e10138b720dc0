"""The port-call workflow: a state machine the server enforces (no endpoint sets a status).

Main line (issue #5): DRAFT → SUBMITTED → PRECHECKED → ARRIVAL_APPROVED → ARRIVED → INSPECTING
→ CLEARED_IN → DEPARTURE_DECLARED → CLEARED_OUT → DEPARTED; side paths RETURNED (to the agent,
with reasons), AMENDED (a new version, pre-checked again), REJECTED, CANCELLED. Each agency
taking part records its own clearance; a call is cleared (in or out) when all of them have.
This module is pure: the service layer loads the call, asks for the transition, stores the
new state and appends the event (who, when, why). The generic part (rules, actors, reasons)
is the floor's workflow kit (core/workflow.py); what is particular here is the multi-agency
clearance.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from bastion.core.errors import Forbidden
from bastion.core.i18n import gettext as _
from bastion.core.workflow import Rule, Workflow, rule


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PRECHECKED = "prechecked"
    ARRIVAL_APPROVED = "arrival_approved"
    ARRIVED = "arrived"
    INSPECTING = "inspecting"
    CLEARED_IN = "cleared_in"
    DEPARTURE_DECLARED = "departure_declared"
    CLEARED_OUT = "cleared_out"
    DEPARTED = "departed"
    RETURNED = "returned"
    AMENDED = "amended"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class Actor(enum.StrEnum):
    AGENT = "agent"        # the ship's agent (a shipping-agency account)
    OFFICER = "officer"    # border inspection officer
    SUPERVISOR = "supervisor"
    SYSTEM = "system"      # the pre-check, AIS arrival detection


S, A = State, Actor
OPEN_BEFORE_ARRIVAL = {S.DRAFT, S.SUBMITTED, S.PRECHECKED, S.ARRIVAL_APPROVED, S.RETURNED,
                       S.AMENDED}
RULES: tuple[Rule[State, Actor], ...] = (
    rule("submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED, {A.AGENT}),
    rule("amend", {S.SUBMITTED, S.PRECHECKED, S.ARRIVAL_APPROVED}, S.AMENDED, {A.AGENT},
          needs_reason=True),
    rule("precheck", {S.SUBMITTED, S.AMENDED}, S.PRECHECKED, {A.SYSTEM, A.OFFICER}),
    rule("return", {S.SUBMITTED, S.PRECHECKED, S.AMENDED}, S.RETURNED,
          {A.OFFICER, A.SUPERVISOR}, needs_reason=True),
    # Green channel: injured or sick crew land first, the paperwork follows.
    rule("approve_arrival", {S.PRECHECKED}, S.ARRIVAL_APPROVED, {A.OFFICER, A.SUPERVISOR},
          when={"emergency": {S.DRAFT, S.SUBMITTED, S.RETURNED, S.AMENDED}}),
    rule("reject", {S.SUBMITTED, S.PRECHECKED, S.AMENDED}, S.REJECTED, {A.SUPERVISOR},
          needs_reason=True),
    rule("arrive", {S.ARRIVAL_APPROVED}, S.ARRIVED, {A.OFFICER, A.SYSTEM}),
    rule("start_inspection", {S.ARRIVED}, S.INSPECTING, {A.OFFICER}),
    rule("clear_in", {S.INSPECTING}, S.CLEARED_IN, {A.OFFICER, A.SUPERVISOR}),
    rule("declare_departure", {S.CLEARED_IN}, S.DEPARTURE_DECLARED, {A.AGENT}),
    rule("clear_out", {S.DEPARTURE_DECLARED}, S.CLEARED_OUT, {A.OFFICER, A.SUPERVISOR}),
    rule("depart", {S.CLEARED_OUT}, S.DEPARTED, {A.OFFICER, A.SYSTEM}),
    rule("cancel", OPEN_BEFORE_ARRIVAL, S.CANCELLED, {A.AGENT, A.SUPERVISOR},
          needs_reason=True),
)
WORKFLOW = Workflow(RULES, implies={A.SUPERVISOR: {A.OFFICER}})
BY_ACTION = WORKFLOW.by_action
# A green-channel emergency may be declared in any of these states (issue #5: "from any state
# up to CLEARED_IN").
BEFORE_CLEARED_IN = OPEN_BEFORE_ARRIVAL | {S.ARRIVED, S.INSPECTING}
# Clearances that need every participating agency's own record before the call moves on.
AGENCY_CLEARANCES = {"clear_in", "clear_out"}


@dataclass
class Clearances:
    """Which participating agencies (border inspection, customs, maritime safety) have cleared."""

    required: frozenset[str]
    done: set[str] = field(default_factory=set)

    @property
    def complete(self) -> bool:
        return self.required <= self.done


@dataclass(frozen=True)
class Outcome:
    state: State           # the call's state after the action
    moved: bool            # False when an agency recorded its clearance and others are awaited
    waiting_for: frozenset[str] = frozenset()


def _conditions(emergency: bool) -> tuple[str, ...]:
    return ("emergency",) if emergency else ()


def allowed(state: State, actor: Actor, *, emergency: bool = False) -> list[str]:
    """The actions this actor may take now (for the buttons a page shows)."""
    return WORKFLOW.allowed(state, actor, _conditions(emergency))


def check_actor(action: str, actor: Actor) -> None:
    """Whether this kind of actor may ever take the action (before any check of the state,
    so that who may not act learns nothing about the call's readiness)."""
    WORKFLOW.check_actor(action, actor)


def transition(state: State, action: str, *, actor: Actor, reason: str | None = None,
               agency: str | None = None, clearances: Clearances | None = None,
               emergency: bool = False) -> Outcome:
    """Apply ``action`` or raise: unknown action 422, wrong actor 403, illegal state 409."""
    rule_ = WORKFLOW.step(state, action, actor=actor, reason=reason,
                          conditions=_conditions(emergency))
    if action in AGENCY_CLEARANCES and clearances is not None:
        if agency is None or agency not in clearances.required:
            raise Forbidden(_("Your agency does not take part in this clearance."))
        clearances.done.add(agency)
        if not clearances.complete:
            return Outcome(state, moved=False,
                           waiting_for=frozenset(clearances.required - clearances.done))
    return Outcome(rule_.target, moved=True)
