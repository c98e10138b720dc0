"""The port-call state machine: every legal and every illegal transition, per actor."""

from __future__ import annotations

import itertools

import pytest

from bastion.clearance.workflow import (
    RULES,
    Actor,
    Clearances,
    State,
    allowed,
    transition,
)
from bastion.core.errors import Conflict, Forbidden, Invalid

MAIN_LINE = [("submit", Actor.AGENT), ("precheck", Actor.SYSTEM),
             ("approve_arrival", Actor.OFFICER), ("arrive", Actor.SYSTEM),
             ("start_inspection", Actor.OFFICER), ("clear_in", Actor.OFFICER),
             ("declare_departure", Actor.AGENT), ("clear_out", Actor.OFFICER),
             ("depart", Actor.SYSTEM)]


def test_the_main_line_from_draft_to_departed():
    state = State.DRAFT
    for action, actor in MAIN_LINE:
        state = transition(state, action, actor=actor).state
    assert state == State.DEPARTED


@pytest.mark.parametrize(("state", "rule"), list(itertools.product(State, RULES)),
                         ids=lambda v: getattr(v, "action", None) or str(v))
def test_every_action_from_every_state(state, rule):
    actor = min(rule.actors)
    reason = "documented reason" if rule.needs_reason else None
    if state in rule.sources:
        assert transition(state, rule.action, actor=actor, reason=reason).state == rule.target
    else:
        with pytest.raises(Conflict):
            transition(state, rule.action, actor=actor, reason=reason)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.action)
def test_actors_outside_the_rule_are_refused(rule):
    state = min(rule.sources)
    refused = set(Actor) - rule.actors
    if Actor.OFFICER in rule.actors:
        refused.discard(Actor.SUPERVISOR)  # a supervisor may do what an officer does
    for actor in refused:
        with pytest.raises(Forbidden):
            transition(state, rule.action, actor=actor, reason="x")


def test_side_paths_need_a_reason():
    with pytest.raises(Invalid) as refused:
        transition(State.PRECHECKED, "return", actor=Actor.OFFICER, reason="  ")
    assert refused.value.field == "reason"
    assert transition(State.PRECHECKED, "return", actor=Actor.OFFICER,
                      reason="crew list: 2 expired passports").state == State.RETURNED
    # back to the agent, who fixes and submits again
    assert transition(State.RETURNED, "submit", actor=Actor.AGENT).state == State.SUBMITTED


def test_an_amendment_is_prechecked_again():
    state = transition(State.ARRIVAL_APPROVED, "amend", actor=Actor.AGENT,
                       reason="two crew changed").state
    assert state == State.AMENDED
    assert allowed(state, Actor.SYSTEM) == ["precheck"]


def test_clearing_in_waits_for_every_agency():
    clearances = Clearances(required=frozenset({"border", "customs", "msa"}))
    first = transition(State.INSPECTING, "clear_in", actor=Actor.OFFICER, agency="border",
                       clearances=clearances)
    assert (first.state, first.moved, first.waiting_for) == (
        State.INSPECTING, False, {"customs", "msa"})
    transition(State.INSPECTING, "clear_in", actor=Actor.OFFICER, agency="customs",
               clearances=clearances)
    last = transition(State.INSPECTING, "clear_in", actor=Actor.OFFICER, agency="msa",
                      clearances=clearances)
    assert last.state == State.CLEARED_IN and last.moved
    with pytest.raises(Forbidden):
        transition(State.INSPECTING, "clear_in", actor=Actor.OFFICER, agency="police",
                   clearances=Clearances(required=frozenset({"border"})))


def test_unknown_actions_are_field_errors():
    with pytest.raises(Invalid):
        transition(State.DRAFT, "set_status", actor=Actor.SUPERVISOR)


def test_nothing_leaves_a_final_state():
    for final in (State.DEPARTED, State.REJECTED, State.CANCELLED):
        assert all(allowed(final, actor) == [] for actor in Actor)
