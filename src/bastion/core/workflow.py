"""A workflow kit: states, actions, actors and reasons, enforced on the server.

A domain lists its rules (which action moves which states to which, who may take it, whether
a reason is required, and which extra states a named condition such as an emergency opens)
and gets the three questions every workflow asks: what may this actor do now (the buttons a
page shows), may this kind of actor ever do this (asked first, so that who may not act learns
nothing about the record's state), and what does this action do here (or why not: unknown
action 422, wrong actor 403, illegal state 409, missing reason 422). ``record`` writes the
transition as an event with who, when and why. Pure apart from ``record``: the service loads
the record, asks, stores the new state.

Used by port clearance (clearance/workflow.py); hazards' work orders and cases follow.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from bastion.core import events
from bastion.core.errors import Conflict, Forbidden, Invalid
from bastion.core.i18n import gettext as _

S = TypeVar("S", bound=enum.Enum)
A = TypeVar("A", bound=enum.Enum)


@dataclass(frozen=True)
class Rule(Generic[S, A]):
    action: str
    sources: frozenset[S]
    target: S
    actors: frozenset[A]
    needs_reason: bool = False
    # Extra source states opened by a named condition (e.g. "emergency": the green channel).
    when: Mapping[str, frozenset[S]] = field(default_factory=dict)

    def sources_given(self, conditions: Iterable[str] = ()) -> frozenset[S]:
        extra = [self.when.get(c, frozenset()) for c in conditions]
        return self.sources.union(*extra) if extra else self.sources


def rule(action: str, sources: Iterable[S], target: S, actors: Iterable[A], *,
         needs_reason: bool = False, when: Mapping[str, Iterable[S]] | None = None
         ) -> Rule[S, A]:
    return Rule(action, frozenset(sources), target, frozenset(actors), needs_reason,
                {k: frozenset(v) for k, v in (when or {}).items()})


class Workflow(Generic[S, A]):
    """The rules of one kind of record. ``implies`` orders actors: a supervisor may also do
    what an officer does ({SUPERVISOR: {OFFICER}})."""

    def __init__(self, rules: Iterable[Rule[S, A]], *,
                 implies: Mapping[A, Iterable[A]] | None = None) -> None:
        self.rules = tuple(rules)
        self.by_action = {r.action: r for r in self.rules}
        if len(self.by_action) != len(self.rules):
            raise ValueError("an action appears in two rules")
        self.implies = {k: frozenset(v) for k, v in (implies or {}).items()}

    def may(self, rule_: Rule[S, A], actor: A) -> bool:
        return actor in rule_.actors or bool(self.implies.get(actor, frozenset()) & rule_.actors)

    def allowed(self, state: S, actor: A, conditions: Iterable[str] = ()) -> list[str]:
        """The actions this actor may take now."""
        conditions = tuple(conditions)
        return [r.action for r in self.rules
                if state in r.sources_given(conditions) and self.may(r, actor)]

    def check_actor(self, action: str, actor: A) -> Rule[S, A]:
        rule_ = self.by_action.get(action)
        if rule_ is None:
            raise Invalid(_("Unknown action."), field="action")
        if not self.may(rule_, actor):
            raise Forbidden(_("Your role cannot take this action."))
        return rule_

    def step(self, state: S, action: str, *, actor: A, reason: str | None = None,
             conditions: Iterable[str] = ()) -> Rule[S, A]:
        """The rule that applies, or the refusal; the caller moves to ``rule.target``."""
        rule_ = self.check_actor(action, actor)
        if state not in rule_.sources_given(tuple(conditions)):
            raise Conflict(_("This action is not possible in the present state."))
        if rule_.needs_reason and not (reason and reason.strip()):
            raise Invalid(_("Give the reason."), field="reason")
        return rule_


def record(session: Session, *, kind: str, record_kind: str, record_id: int,
           actor_id: int | None, action: str, before: enum.Enum | None, after: enum.Enum,
           reason: str | None, **extra: Any) -> events.EventRecord:
    """The transition as an append-only event: who (actor), when (the event's time), what
    (action, from, to) and why (reason); ``extra`` carries facts for statistics."""
    payload = {"action": action, "from": before.value if before is not None else None,
               "to": after.value, "reason": reason, **extra}
    return events.emit(session, kind=kind, actor_id=actor_id, record_kind=record_kind,
                       record_id=record_id, payload=payload)
