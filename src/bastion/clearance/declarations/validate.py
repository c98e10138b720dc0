"""Validate one FAL declaration file offline: ``validate_file`` / ``validate_bytes``.

The order is: read the sheets, find the heading row, check each cell, then the rules across a
row and across the list. Every problem is collected (up to a thousand) rather than stopping at
the first, so a list can be fixed in one pass; rows come back only when nothing is an error.
"""

from __future__ import annotations

from dataclasses import MISSING
from datetime import date
from pathlib import Path
from typing import Any

from bastion.core.i18n import gettext as _

from . import rules
from .cells import parse_cells
from .forms import ARRIVAL_FORMS, FORMS
from .models import MODELS
from .problems import Collector, Problem, ValidationResult
from .reader import Record, read_records

PEOPLE = ("crew", "passengers", "crew_out", "passengers_out")
ONE_ROW = ("general", "health")
FORM_NAMES = ARRIVAL_FORMS  # the arrival path; FORMS also holds departure and health forms


def validate_file(path: str | Path, form: str, *, arrival: date | None = None,
                  departure: date | None = None, today: date | None = None) -> ValidationResult:
    """Validate a CSV or xlsx file; see ``validate_bytes``."""
    return validate_bytes(Path(path).read_bytes(), form, arrival=arrival, departure=departure,
                          today=today)


def validate_bytes(data: bytes, form: str, *, arrival: date | None = None,
                   departure: date | None = None, today: date | None = None) -> ValidationResult:
    """Validate the bytes of a CSV or xlsx declaration of ``form`` (crew, passengers, general,
    stores, effects, dg).

    ``arrival`` and ``departure`` bound the stay: a document must be valid until its end (the
    departure, else the arrival, else ``today``). Never raises on bad input: every defect is a
    problem in the result.
    """
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}: one of {', '.join(FORM_NAMES)}")
    today = today or date.today()
    out = Collector()
    if arrival and departure and departure < arrival:
        out.add(None, None, "DATES_OUT_OF_ORDER", _("The departure is before the arrival"))
    stay_end = departure or arrival or today
    records = read_records(data, form, out)
    parsed: list[tuple[Record, dict[str, Any]]] = []
    for record in records:
        if out.full:
            break
        values = parse_cells(record, out)
        if form in PEOPLE:
            rules.person(record, values, out, today=today, stay_end=stay_end)
        elif form == "health":
            rules.health(record, values, out)
        elif form == "health_ill":
            rules.ill_person(record, values, out, today=today)
        elif form == "general":
            rules.general(record, values, out)
        elif form == "dg":
            rules.dangerous_goods(record, values, out)
        parsed.append((record, values))
    if form in PEOPLE:
        rules.duplicate_documents(parsed, out)
    _row_count(form, records, out)
    if out.full:
        out.problems.append(Problem(
            None, None, None, None, "TOO_MANY_PROBLEMS",
            _("Validation stopped after %(n)s problems") % {"n": len(out.problems)}))
    rows = [] if any(p.severity == "error" for p in out.problems) else [
        _model(form, record, values) for record, values in parsed]
    return out.result(rows)


def _row_count(form: str, records: list[Record], out: Collector) -> None:
    if any(p.code in ("NO_HEADING_ROW", "BAD_XLSX", "BAD_CSV", "BAD_ENCODING", "FILE_TOO_LARGE")
           for p in out.problems):
        return
    if form in ONE_ROW:
        if not records:
            out.add(None, None, "NO_ROWS", _("The declaration has no data row"))
        for record in records[1:]:
            out.add(record.row, None, "EXTRA_ROW",
                    _("This declaration is one row; this file has more"), record.sheet)
    elif not records:
        out.warn(None, None, "NO_ROWS", _("The list has no rows"))


def _model(form: str, record: Record, values: dict[str, Any]) -> Any:
    model = MODELS[form]
    fields = {}
    for name, field in model.__dataclass_fields__.items():
        if name in ("sheet", "row"):
            continue
        value = values.get(name)
        has_default = field.default is not MISSING or field.default_factory is not MISSING
        if value is not None or not has_default:
            fields[name] = value
    return model(sheet=record.sheet, row=record.row, **fields)
