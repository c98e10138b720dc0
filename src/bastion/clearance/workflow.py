"""The port-call workflow: a state machine the server enforces (no endpoint sets a status).

Main line (issue #5): DRAFT → SUBMITTED → PRECHECKED → ARRIVAL_APPROVED → ARRIVED → INSPECTING
→ CLEARED_IN → DEPARTURE_DECLARED → CLEARED_OUT → DEPARTED; side paths RETURNED (to the agent,
with reasons), AMENDED (a new version, pre-checked again), REJECTED, CANCELLED. Each agency
taking part records its own clearance; a call is cleared (in or out) when all of them have.
This module is pure: the service layer loads the call, asks for the transition, stores the
new state and appends the event (who, when, why).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from bastion.core.errors import Conflict, Forbidden, Invalid
from bastion.core.i18n import gettext as _


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


@dataclass(frozen=True)
class Rule:
    action: str
    sources: frozenset[State]
    target: State
    actors: frozenset[Actor]
    needs_reason: bool = False
    # Extra source states allowed for a call on the green channel (a medical emergency).
    emergency_sources: frozenset[State] = frozenset()


def _rule(action: str, sources: set[State], target: State, actors: set[Actor],
          needs_reason: bool = False, emergency_sources: set[State] | None = None) -> Rule:
    return Rule(action, frozenset(sources), target, frozenset(actors), needs_reason,
                frozenset(emergency_sources or ()))


S, A = State, Actor
OPEN_BEFORE_ARRIVAL = {S.DRAFT, S.SUBMITTED, S.PRECHECKED, S.ARRIVAL_APPROVED, S.RETURNED,
                       S.AMENDED}
RULES: tuple[Rule, ...] = (
    _rule("submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED, {A.AGENT}),
    _rule("amend", {S.SUBMITTED, S.PRECHECKED, S.ARRIVAL_APPROVED}, S.AMENDED, {A.AGENT},
          needs_reason=True),
    _rule("precheck", {S.SUBMITTED, S.AMENDED}, S.PRECHECKED, {A.SYSTEM, A.OFFICER}),
    _rule("return", {S.SUBMITTED, S.PRECHECKED, S.AMENDED}, S.RETURNED,
          {A.OFFICER, A.SUPERVISOR}, needs_reason=True),
    # Green channel: injured or sick crew land first, the paperwork follows.
    _rule("approve_arrival", {S.PRECHECKED}, S.ARRIVAL_APPROVED, {A.OFFICER, A.SUPERVISOR},
          emergency_sources={S.DRAFT, S.SUBMITTED, S.RETURNED, S.AMENDED}),
    _rule("reject", {S.SUBMITTED, S.PRECHECKED, S.AMENDED}, S.REJECTED, {A.SUPERVISOR},
          needs_reason=True),
    _rule("arrive", {S.ARRIVAL_APPROVED}, S.ARRIVED, {A.OFFICER, A.SYSTEM}),
    _rule("start_inspection", {S.ARRIVED}, S.INSPECTING, {A.OFFICER}),
    _rule("clear_in", {S.INSPECTING}, S.CLEARED_IN, {A.OFFICER, A.SUPERVISOR}),
    _rule("declare_departure", {S.CLEARED_IN}, S.DEPARTURE_DECLARED, {A.AGENT}),
    _rule("clear_out", {S.DEPARTURE_DECLARED}, S.CLEARED_OUT, {A.OFFICER, A.SUPERVISOR}),
    _rule("depart", {S.CLEARED_OUT}, S.DEPARTED, {A.OFFICER, A.SYSTEM}),
    _rule("cancel", OPEN_BEFORE_ARRIVAL, S.CANCELLED, {A.AGENT, A.SUPERVISOR},
          needs_reason=True),
)
BY_ACTION = {rule.action: rule for rule in RULES}
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


def _may(rule: Rule, actor: Actor) -> bool:
    # Roles are ordered: a supervisor may also do what an officer does.
    return actor in rule.actors or (actor is Actor.SUPERVISOR and Actor.OFFICER in rule.actors)


def _sources(rule: Rule, emergency: bool) -> frozenset[State]:
    return rule.sources | rule.emergency_sources if emergency else rule.sources


def allowed(state: State, actor: Actor, *, emergency: bool = False) -> list[str]:
    """The actions this actor may take now (for the buttons a page shows)."""
    return [r.action for r in RULES if state in _sources(r, emergency) and _may(r, actor)]


def check_actor(action: str, actor: Actor) -> None:
    """Whether this kind of actor may ever take the action (before any check of the state,
    so that who may not act learns nothing about the call's readiness)."""
    rule = BY_ACTION.get(action)
    if rule is None:
        raise Invalid(_("Unknown action."), field="action")
    if not _may(rule, actor):
        raise Forbidden(_("Your role cannot take this action."))


def transition(state: State, action: str, *, actor: Actor, reason: str | None = None,
               agency: str | None = None, clearances: Clearances | None = None,
               emergency: bool = False) -> Outcome:
    """Apply ``action`` or raise: unknown action 422, wrong actor 403, illegal state 409."""
    check_actor(action, actor)
    rule = BY_ACTION[action]
    if state not in _sources(rule, emergency):
        raise Conflict(_("This action is not possible in the call's present state."))
    if rule.needs_reason and not (reason and reason.strip()):
        raise Invalid(_("Give the reason."), field="reason")
    if action in AGENCY_CLEARANCES and clearances is not None:
        if agency is None or agency not in clearances.required:
            raise Forbidden(_("Your agency does not take part in this clearance."))
        clearances.done.add(agency)
        if not clearances.complete:
            return Outcome(state, moved=False,
                           waiting_for=frozenset(clearances.required - clearances.done))
    return Outcome(rule.target, moved=True)
