"""FAL cross-checks over a call's latest declarations (``declarations.crosscheck``).

Each file is valid on its own when stored; whether FAL 1, the crew list and the passenger list
agree can only be asked of the call as a whole. Submission is refused while they disagree
(every problem named by form, row and column); after submission a file may be replaced one at
a time (FAL 1 and the crew list cannot both change in one upload), so the problems are kept on
the pre-check for the officers instead of refusing the upload.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.clearance.calls.models import Declaration, PortCall
from bastion.clearance.declarations.crosscheck import cross_check
from bastion.clearance.declarations.models import MODELS
from bastion.clearance.declarations.problems import Problem

FORMS = ("general", "crew", "passengers")


def _model(form: str, row: dict[str, Any]) -> Any:
    """The stored row as the validator made it (dates were stored as ISO text). ``sheet`` is
    set to the form, so that each problem says which declaration it is in."""
    model = MODELS[form]
    values: dict[str, Any] = {}
    for spec in fields(model):
        value = row.get(spec.name)
        if isinstance(value, str) and spec.type in ("date", "datetime", "datetime | None"):
            value = (date.fromisoformat(value) if spec.type == "date"
                     else datetime.fromisoformat(value))
        values[spec.name] = value
    values["sheet"] = form
    return model(**values)


def latest_rows(session: Session, call: PortCall) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for form in FORMS:
        declaration = session.scalar(select(Declaration).where(
            Declaration.call_id == call.id, Declaration.form == form)
            .order_by(Declaration.version.desc()).limit(1))
        if declaration is not None:
            found[form] = declaration.rows
    return found


def problems(session: Session, call: PortCall) -> list[Problem]:
    """Disagreements between the latest FAL 1, crew and passenger lists; each problem's
    ``sheet`` names the form (general, crew, passengers), ``row`` the file's row, ``column``
    the heading."""
    rows = latest_rows(session, call)
    if "crew" not in rows and "passengers" not in rows:
        return []
    general = [_model("general", r) for r in rows.get("general", [])[:1]]
    return cross_check(general[0] if general else None,
                       [_model("crew", r) for r in rows.get("crew", [])],
                       [_model("passengers", r) for r in rows.get("passengers", [])])
