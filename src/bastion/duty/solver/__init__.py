"""The duty roster solver (issue 13): pure Python and OR-Tools CP-SAT, no database.

``parse_problem`` reads a PROBLEM.json, ``solve`` answers a ``Plan`` (see ``model`` for how, and
``explain`` for the words when a month cannot be staffed). OR-Tools is imported only by
``solve``, so the data classes stay light for the web process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bastion.duty.solver.parse import parse_problem
from bastion.duty.solver.plan import Plan, Reason, reasons_from_json, reasons_to_json
from bastion.duty.solver.problem import (
    Cell,
    Demand,
    Person,
    Problem,
    ProblemErrors,
    Rules,
    Shift,
)

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Cell", "Demand", "Person", "Plan", "Problem", "ProblemErrors", "Reason", "Rules",
           "Shift", "parse_problem", "reasons_from_json", "reasons_to_json", "solve"]


def solve(problem: Problem, *, progress: Callable[[float, str], None] | None = None,
          **options: Any) -> Plan:
    """Solve ``problem`` within ``problem.time_limit_s`` (see ``bastion.duty.solver.model``)."""
    from bastion.duty.solver.model import solve as _solve

    return _solve(problem, progress=progress, **options)
