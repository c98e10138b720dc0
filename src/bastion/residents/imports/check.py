"""The offline check (``bastion residents check FILE --on DATE``): read and validate a workbook
and compute its flags as of the end of DATE in the unit's zone, storing nothing and needing no
database (the crossing points come from the shipped reference, ``imports.points``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..flags.engine import end_of_day, evaluate
from ..flags.rules import Rules
from .points import offline_recogniser
from .reader import Parsed, read


def as_of_end(day: date, zone: ZoneInfo) -> datetime:
    """The last instant of ``day`` in ``zone``: a document expiring that day is still valid."""
    return end_of_day(day, zone) - timedelta(microseconds=1)


def check(path: Path, *, on: date, zone: ZoneInfo, rules: Rules) -> dict[str, Any]:
    """``{"errors": [...], "flags": [...]}``; no flags when there is any error."""
    return result(read(path, zone=zone, recognise=offline_recogniser()), on=on, zone=zone,
                  rules=rules)


def result(parsed: Parsed, *, on: date, zone: ZoneInfo, rules: Rules) -> dict[str, Any]:
    """The check's answer for a file already read (offline, or against the database's
    crossing points by the API)."""
    errors = [{"sheet": p.sheet, "row": p.row, "column": p.column, "code": p.code,
               "message": p.message} for p in parsed.problems.errors]
    if errors:
        return {"errors": errors, "flags": []}
    as_of = as_of_end(on, zone)
    flags = [flag.as_dict() for facts in parsed.facts()
             for flag in evaluate(facts, as_of=as_of, rules=rules, zone=zone)]
    return {"errors": [], "flags": flags}
