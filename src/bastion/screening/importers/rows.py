"""Validate spreadsheet rows (CSV or xlsx) against the template and build entries.

Every bad cell of every row is reported, each with its sheet, row and heading as written, so
one round of corrections fixes the file. Person columns filled on a vessel row (and the
reverse) are errors: they usually mean the columns slipped.
"""

from __future__ import annotations

from collections.abc import Callable

from bastion.core.i18n import gettext as _
from bastion.core.tabular import Sheet

from . import values as v
from .headings import COLUMNS, REQUIRED, headings, key_for
from .model import Collector, Document, Entry, PersonEntry, VesselEntry

TYPES = {"person": "person", "人员": "person", "人": "person", "individual": "person",
         "vessel": "vessel", "船舶": "vessel", "船": "vessel", "ship": "vessel"}
PERSON_ONLY = ("birth_date", "gender", "nationality", "document_type", "document_number",
               "issuing_state")
VESSEL_ONLY = ("imo", "mmsi", "callsign", "flag")
EN_HEADING = {key: en for key, en, _zh, _example in COLUMNS}


def _header(sheet: Sheet) -> tuple[int, list[str]] | None:
    for number, cells in sheet.rows:
        if any(c.strip() for c in cells):
            return number, cells
    return None


def read_sheets(sheets: list[Sheet], out: Collector) -> list[Entry]:
    """Entries of every sheet that has template headings; others (instructions) are skipped."""
    entries: list[Entry] = []
    seen: dict[str, tuple[str | None, int]] = {}
    used = False
    for sheet in sheets:
        header = _header(sheet)
        known = header is not None and any(key_for(c) for c in header[1] if c.strip())
        if not known and sheet.name is not None:  # an xlsx sheet of notes or instructions
            out.skip(f"sheet without template headings: {sheet.name}")
            continue
        used = True
        if header is None:
            out.add(1, None, "MISSING_COLUMN", _("The file is empty: it needs a heading row"))
            continue
        columns = _columns(sheet, *header, out)
        if columns is None:
            continue
        for number, cells in sheet.rows:
            if number <= header[0] or not any(c.strip() for c in cells):
                continue
            if out.full:
                return entries
            entry = _row(sheet.name, number, cells, columns, out)
            index = columns["source_id"][0]
            source_id = v.clean(cells[index]) if index < len(cells) else ""
            if source_id in seen:
                first_sheet, first_row = seen[source_id]
                out.add(number, columns["source_id"][1], "DUPLICATE_SOURCE_ID",
                        _("Source ID '%(id)s' is already used in row %(row)s of %(sheet)s")
                        % {"id": v.shown(source_id), "row": first_row,
                           "sheet": first_sheet or out.file}, sheet.name)
            elif source_id:
                seen[source_id] = (sheet.name, number)
            if entry is not None:
                entries.append(entry)
    if not used:
        out.add(1, None, "MISSING_COLUMN", _("No sheet has the template headings (%(headings)s)")
                % {"headings": ", ".join(headings("en")[:3])})
    return entries


Columns = dict[str, tuple[int, str]]  # key -> (cell index, heading as written)


def _columns(sheet: Sheet, row: int, cells: list[str], out: Collector) -> Columns | None:
    columns: Columns = {}
    bad = False
    for index, heading in enumerate(cells):
        if not heading.strip():
            continue
        key = key_for(heading)
        if key is None:
            out.add(row, heading, "UNKNOWN_COLUMN", _("'%(heading)s' is not a template heading")
                    % {"heading": v.shown(heading)}, sheet.name)
            bad = True
        elif key in columns:
            out.add(row, heading, "DUPLICATE_COLUMN", _("'%(heading)s' appears twice")
                    % {"heading": v.shown(heading)}, sheet.name)
            bad = True
        else:
            columns[key] = (index, heading.strip())
    for key in REQUIRED:
        if key not in columns:
            name = EN_HEADING[key]
            out.add(row, name, "MISSING_COLUMN", _("The heading '%(heading)s' is missing")
                    % {"heading": name}, sheet.name)
            bad = True
    return None if bad else columns


def _row(sheet: str | None, row: int, cells: list[str], columns: Columns,
         out: Collector) -> Entry | None:
    def cell(key: str) -> str:
        index = columns.get(key, (None,))[0]
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def heading(key: str) -> str:
        return columns[key][1] if key in columns else key

    errors_before = len(out.problems)

    def check(key: str, parse: Callable[[str], object]) -> object:
        text = cell(key)
        if not text:
            return None
        try:
            return parse(text)
        except v.FieldError as exc:
            out.add(row, heading(key), exc.code, exc.message, sheet)
            return None

    known = {i for i, _h in columns.values()}
    for index, text in enumerate(cells):
        if index not in known and text.strip():
            out.add(row, None, "UNKNOWN_COLUMN", _("Cell %(n)s has a value but no heading")
                    % {"n": index + 1}, sheet)
    source_id = v.clean(cell("source_id"))
    if not source_id:
        out.add(row, heading("source_id"), "MISSING_SOURCE_ID", _("The Source ID is empty"), sheet)
    kind = TYPES.get(cell("type").casefold())
    if kind is None:
        out.add(row, heading("type"), "BAD_TYPE", _("'%(value)s' is not a type: write person "
                                                    "or vessel") % {"value": v.shown(cell("type"))},
                sheet)
    name = v.clean(cell("name"))
    if not name:
        out.add(row, heading("name"), "MISSING_NAME", _("The name is empty"), sheet)
    wrong = PERSON_ONLY if kind == "vessel" else VESSEL_ONLY if kind == "person" else ()
    for key in wrong:
        if cell(key):
            out.add(row, heading(key), "NOT_APPLICABLE", _("'%(heading)s' does not apply to a "
                                                           "%(type)s") % {"heading": heading(key),
                                                                          "type": kind}, sheet)
    aliases = [a for a in v.split_list(cell("aliases")) if a != name]
    reason = v.clean(cell("reason")) or None
    valid_from = check("valid_from", v.full_date)
    valid_until = check("valid_until", v.full_date)
    if valid_from and valid_until and valid_until < valid_from:
        out.add(row, heading("valid_until"), "BAD_VALIDITY", _("Valid until is before valid "
                                                               "from"), sheet)
    if kind == "person":
        nationalities = []
        for code in v.split_list(cell("nationality").replace(",", ";")):
            found = check_value(code, v.country, row, heading("nationality"), sheet, out)
            if found and found not in nationalities:
                nationalities.append(found)
        doc_type = check("document_type", v.document_type)
        issuing = check("issuing_state", v.country)
        numbers = v.split_list(cell("document_number"))
        if (cell("document_type") or cell("issuing_state")) and not numbers:
            out.add(row, heading("document_number"), "MISSING_DOCUMENT_NUMBER",
                    _("A document type or issuing state is given without a number"), sheet)
        entry: Entry = PersonEntry(
            source_id=source_id, names=[name], aliases=aliases,
            birth_date=check("birth_date", v.partial_date), gender=check("gender", v.gender),
            nationalities=nationalities, reason=reason, valid_from=valid_from,
            valid_until=valid_until,
            documents=[Document(n, doc_type, issuing) for n in numbers])
    else:
        entry = VesselEntry(
            source_id=source_id, name=name, aliases=aliases, imo=check("imo", v.imo),
            mmsi=check("mmsi", v.mmsi), callsign=check("callsign", v.callsign),
            flag=check("flag", v.country), reason=reason, valid_from=valid_from,
            valid_until=valid_until)
    return entry if len(out.problems) == errors_before else None


def check_value(text: str, parse: Callable[[str], object], row: int, column: str,
                sheet: str | None, out: Collector):
    try:
        return parse(text)
    except v.FieldError as exc:
        out.add(row, column, exc.code, exc.message, sheet)
        return None
