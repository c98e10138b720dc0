"""The floor's workflow kit on a small workflow of its own (a repair work order)."""

from __future__ import annotations

import enum

import pytest

from bastion.core.errors import Conflict, Forbidden, Invalid
from bastion.core.workflow import Workflow, rule


class S(enum.StrEnum):
    REPORTED = "reported"
    ASSIGNED = "assigned"
    DONE = "done"
    CLOSED = "closed"


class A(enum.StrEnum):
    REPORTER = "reporter"
    OFFICER = "officer"
    SUPERVISOR = "supervisor"


FLOW = Workflow([
    rule("assign", {S.REPORTED}, S.ASSIGNED, {A.OFFICER}),
    rule("finish", {S.ASSIGNED}, S.DONE, {A.OFFICER}, when={"urgent": {S.REPORTED}}),
    rule("close", {S.DONE}, S.CLOSED, {A.SUPERVISOR}, needs_reason=True),
], implies={A.SUPERVISOR: {A.OFFICER}})


def test_allowed_follows_state_actor_and_condition():
    assert FLOW.allowed(S.REPORTED, A.OFFICER) == ["assign"]
    assert FLOW.allowed(S.REPORTED, A.OFFICER, ["urgent"]) == ["assign", "finish"]
    assert FLOW.allowed(S.REPORTED, A.SUPERVISOR) == ["assign"]  # implied officer
    assert FLOW.allowed(S.REPORTED, A.REPORTER) == []


def test_refusals_in_order_actor_before_state_then_reason():
    with pytest.raises(Invalid):
        FLOW.step(S.REPORTED, "teleport", actor=A.OFFICER)
    with pytest.raises(Forbidden):  # the reporter learns nothing about the state
        FLOW.step(S.DONE, "assign", actor=A.REPORTER)
    with pytest.raises(Conflict):
        FLOW.step(S.DONE, "assign", actor=A.OFFICER)
    with pytest.raises(Invalid) as missing:
        FLOW.step(S.DONE, "close", actor=A.SUPERVISOR, reason="  ")
    assert missing.value.field == "reason"
    assert FLOW.step(S.DONE, "close", actor=A.SUPERVISOR, reason="fixed").target == S.CLOSED
    assert FLOW.step(S.REPORTED, "finish", actor=A.OFFICER, conditions=["urgent"]).target == S.DONE


def test_an_action_in_two_rules_is_a_programming_error():
    with pytest.raises(ValueError):
        Workflow([rule("x", {S.REPORTED}, S.DONE, {A.OFFICER}),
                  rule("x", {S.DONE}, S.CLOSED, {A.OFFICER})])
