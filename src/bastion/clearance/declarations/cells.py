"""One cell, one rule: turn a cell's text into a value, or say which rule it breaks.

Each kind of column (``forms.Column.kind``) has a parser returning the value or None; the rule
code and message for None live next to it, so a new kind is one line here and one in the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy

from . import codes
from .problems import Collector
from .reader import Record


def _text(value: str) -> str | None:
    return value.strip() or None


def _mrz(value: str) -> str | None:
    from bastion.core.reference.mrz import parse

    return value.strip() if parse(value) is not None else None


# kind -> (parser, rule code when the parser says None, message with %(value)s / %(column)s)
CHECKS: dict[str, tuple[Callable[[str], Any], str, str]] = {
    "text": (_text, "BAD_TEXT", lazy("%(column)s is empty")),
    "date": (codes.iso_date, "BAD_DATE", lazy("\"%(value)s\" is not a date written YYYY-MM-DD")),
    "datetime": (codes.iso_datetime, "BAD_DATE",
                 lazy("\"%(value)s\" is not a date and time written YYYY-MM-DD HH:MM "
                      "or ISO 8601 (2026-12-08T08:00:00Z)")),
    "country": (codes.country, "BAD_COUNTRY",
                lazy("\"%(value)s\" is not an ISO 3166 alpha-3 country code (such as CHN)")),
    "locode": (lambda v: (found := codes.locode(v)) and found.code, "BAD_LOCODE",
               lazy("\"%(value)s\" is not a UN/LOCODE in the code list (such as CNSHG)")),
    "gender": (codes.gender, "BAD_GENDER", lazy("\"%(value)s\" is not a gender: write M, F or X")),
    "doctype": (codes.document_type, "BAD_DOCUMENT_TYPE",
                lazy("\"%(value)s\" is not a document type: write passport, seafarer's identity "
                "document, seaman's book, identity card, travel permit or other")),
    "bool": (codes.boolean, "BAD_BOOLEAN", lazy("\"%(value)s\" is not yes or no")),
    "count": (codes.count, "BAD_NUMBER", lazy("\"%(value)s\" is not a whole number")),
    "quantity": (codes.quantity, "BAD_QUANTITY", lazy("\"%(value)s\" is not a positive quantity")),
    "imo": (codes.imo_digits, "BAD_IMO", lazy("\"%(value)s\" is not an IMO number (seven digits)")),
    "mmsi": (lambda v: None if codes.mmsi_problem(v) else v.strip(), "BAD_MMSI",
             lazy("\"%(value)s\" is not a ship MMSI (nine digits, starting 2-7)")),
    "callsign": (codes.callsign, "BAD_CALLSIGN",
                 lazy("\"%(value)s\" is not a call sign (3 to 7 letters and digits)")),
    "un": (codes.un_number, "BAD_UN_NUMBER",
           lazy("\"%(value)s\" is not a UN number (UN followed by four digits, 0004-3599)")),
    "dgclass": (codes.dg_class, "BAD_DG_CLASS",
                lazy("\"%(value)s\" is not an IMDG class or division (such as 3 or 2.1)")),
    "pg": (codes.packing_group, "BAD_PACKING_GROUP", lazy("\"%(value)s\" is not packing group I, II or III")),
    "mrz": (_mrz, "BAD_MRZ", lazy("The MRZ is not two lines of 44 or three lines of 30 characters")),
}


def parse_cells(record: Record, out: Collector) -> dict[str, Any]:
    """The record's values by field key; a cell that broke a rule (reported) gives None, so
    the rules across cells still run on the others and a list is fixed in one pass."""
    values: dict[str, Any] = {}
    for key, cell in record.cells.items():
        column, text = cell.column, cell.text.strip()
        if not text:
            if column.required:
                out.add(record.row, cell.heading, f"MISSING_{key.upper()}",
                        _("%(column)s is required") % {"column": cell.heading}, record.sheet)
            values[key] = None
            continue
        parser, code, message = CHECKS[column.kind]
        value = parser(text)
        if value is None:
            if column.kind == "mmsi":
                code = codes.mmsi_problem(text) or code
                if code == "UNALLOCATED_MID":
                    message = lazy("The MMSI \"%(value)s\" starts with a MID not allocated by the ITU")
            out.add(record.row, cell.heading, code,
                    _(message) % {"value": text, "column": cell.heading}, record.sheet)
        values[key] = value
    return values
