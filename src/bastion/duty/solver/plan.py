"""What the solver answers: a status, the assignments, and (when none can be made) the reasons.

``Plan.to_json`` is the PLAN.json of issue 13::

    {"status": "optimal" | "feasible" | "infeasible" | "unknown",
     "assignments": [{"date": "2026-03-01", "shift": "D", "post": "P1", "role": "duty_officer",
                      "person": "p1"}, ...],
     "explanation": ["Post P1 needs 3 duty_leader on D on 2026-03-02 but ...", ...],
     "reasons": [{"message": "Post %(post)s needs ...", "params": {...}}, ...],
     "spread": 1, "bound": 0.0, "changes": null, "wall_s": 2.4}

``explanation`` is in words (translated when a ``gettext`` is given); ``reasons`` holds the same
as English message ids with their parameters, the plain JSON form stored in
``Roster.explanation`` and translated when shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from bastion.duty.solver.problem import Cell

STATUSES = ("optimal", "feasible", "infeasible", "unknown")
Gettext = Callable[[str], str]


@dataclass
class Reason:
    """One thing that cannot be met: an English message id with ``%(name)s`` parameters."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, gettext: Gettext | None = None) -> str:
        template = gettext(self.message) if gettext is not None else self.message
        try:
            return template % self.params
        except (KeyError, ValueError, TypeError):
            return self.message % self.params if template != self.message else template

    def to_json(self) -> dict[str, Any]:
        return {"message": self.message, "params": dict(self.params)}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Reason:
        return cls(str(value["message"]), dict(value.get("params") or {}))


def reasons_to_json(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    return [r.to_json() for r in reasons]


def reasons_from_json(value: Iterable[dict[str, Any]] | None) -> list[Reason]:
    return [Reason.from_json(v) for v in value or ()]


@dataclass
class Plan:
    status: str                      # optimal | feasible | infeasible | unknown
    assignments: list[Cell] = field(default_factory=list)
    explanation: list[Reason] = field(default_factory=list)
    spread: int | None = None        # sum over groups of (max - min) shift count
    bound: float | None = None       # the solver's best bound on that sum
    changes: int | None = None       # cells differing from Problem.previous (re-solve)
    wall_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "feasible")

    def to_json(self, gettext: Gettext | None = None) -> dict[str, Any]:
        return {
            "status": self.status,
            "assignments": [c.to_json() for c in sorted(self.assignments)],
            "explanation": [r.text(gettext) for r in self.explanation],
            "reasons": reasons_to_json(self.explanation),
            "spread": self.spread,
            "bound": self.bound,
            "changes": self.changes,
            "wall_s": round(self.wall_s, 3),
        }
