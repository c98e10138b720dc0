"""The JSON channel of a declaration: rows as objects, checked by the very rules of the files.

A system-to-system sender posts ``{"rows": [{"family_name": "WANG", ...}, ...]}`` (keys are the
row model's fields, the same keys the templates' columns carry). The rows become a CSV in the
template's layout and go through the file validator, so no rule can differ between channels;
each problem is then named by the object's 1-based position in ``rows`` and its key.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import date, datetime
from typing import Any

from bastion.clearance.declarations.forms import FORMS
from bastion.clearance.declarations.problems import Problem
from bastion.core.i18n import gettext as _

SHEET = "rows"


def to_csv(form: str, rows: list[dict[str, Any]]) -> tuple[bytes, list[Problem]]:
    """CSV bytes in the template's columns, or the problems that stop it (unknown keys)."""
    columns = FORMS[form]
    by_key = {c.key: c for c in columns}
    problems = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(Problem(None, SHEET, i, None, "NOT_AN_OBJECT",
                                    _("Each row is an object of fields.")))
            continue
        problems += [Problem(None, SHEET, i, key, "UNKNOWN_FIELD",
                             _("Unknown field {key}.").format(key=key))
                     for key in row if key not in by_key]
    if problems:
        return b"", problems
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.en for c in columns])
    for row in rows:
        writer.writerow([_cell(row.get(c.key)) for c in columns])
    return out.getvalue().encode("utf-8"), []


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def renamed(form: str, problems: list[Problem]) -> list[Problem]:
    """File problems (CSV row, heading) → JSON places (position in ``rows``, key)."""
    key_of = {c.en: c.key for c in FORMS[form]}
    return [dataclasses.replace(p, sheet=SHEET, row=p.row - 1 if p.row else p.row,
                                column=key_of.get(p.column or "", p.column)) for p in problems]
