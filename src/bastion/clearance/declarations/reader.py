"""From uploaded bytes to located cells: which sheet holds the list, which row is the heading
row, which column is which field.

The bytes are read by the floor's tabular kit (``core.tabular``: CSV in UTF-8, UTF-8 with BOM,
UTF-16 or GB18030, or xlsx after its zip-bomb and range checks), so every upload accepts the
same files. The
heading row is the first of a sheet's first rows with at least two known headings, which skips
title rows above it and explanation sheets beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bastion.core.i18n import gettext as _
from bastion.core.tabular import read_csv, read_xlsx

from .forms import FORMS, Column, heading_index, normalise
from .problems import Collector

HEADER_SEARCH_ROWS = 10
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Cell:
    column: Column
    heading: str  # as written in the file
    text: str


@dataclass
class Record:
    sheet: str | None
    row: int
    cells: dict[str, Cell]  # by Column.key

    def text(self, key: str) -> str:
        cell = self.cells.get(key)
        return cell.text.strip() if cell else ""

    def heading(self, key: str) -> str:
        cell = self.cells.get(key)
        if cell:
            return cell.heading
        return next(c.en for c in FORMS_ALL_COLUMNS if c.key == key)


FORMS_ALL_COLUMNS = [c for cols in FORMS.values() for c in cols]


def read_records(data: bytes, form: str, out: Collector) -> list[Record]:
    if len(data) > MAX_BYTES:
        out.add(None, None, "FILE_TOO_LARGE", _("The file is larger than 20 MB"))
        return []
    if not data.strip():  # said as such, not as a template without its heading row
        out.add(None, None, "EMPTY_FILE", _("The file is empty."))
        return []
    before = len(out.problems)
    if data.startswith(b"PK\x03\x04"):
        sheets = read_xlsx(data, out)
    else:
        sheets = read_csv(data, out)
    if len(out.problems) > before:
        return []
    index = heading_index(form)
    records: list[Record] = []
    found = False
    for sheet in sheets:
        header = _find_header(sheet.rows, index)
        if header is None:
            continue
        found = True
        number, cells = header
        columns = _map_columns(sheet.name, number, cells, form, index, out)
        for row_number, row in sheet.rows:
            if row_number <= number or not any(c.strip() for c in row):
                continue
            record = Record(sheet.name, row_number, {})
            for position, (column, heading) in columns.items():
                text = row[position] if position < len(row) else ""
                record.cells[column.key] = Cell(column, heading, text)
            records.append(record)
    if not found:
        out.add(1, None, "NO_HEADING_ROW",
                _("No heading row of this form was found: download the template and keep its "
                  "first row"), sheets[0].name if sheets else None)
    return records


def _find_header(rows: list[tuple[int, list[str]]], index: dict[str, Column]
                 ) -> tuple[int, list[str]] | None:
    needed = min(2, len({c.key for c in index.values()}))
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        if sum(1 for c in cells if normalise(c) in index) >= needed:
            return number, cells
    return None


def _map_columns(sheet: str | None, number: int, cells: list[str], form: str,
                 index: dict[str, Column], out: Collector) -> dict[int, tuple[Column, str]]:
    columns: dict[int, tuple[Column, str]] = {}
    seen: dict[str, str] = {}
    for position, heading in enumerate(cells):
        if not heading.strip():
            continue
        column = index.get(normalise(heading))
        if column is None:
            out.warn(number, heading, "UNKNOWN_COLUMN",
                     _("The column \"%(heading)s\" is not part of this form and is ignored")
                     % {"heading": heading}, sheet)
        elif column.key in seen:
            out.add(number, heading, "DUPLICATE_COLUMN",
                    _("The column \"%(heading)s\" repeats \"%(first)s\"")
                    % {"heading": heading, "first": seen[column.key]}, sheet)
        else:
            seen[column.key] = heading
            columns[position] = (column, heading)
    for column in FORMS[form]:
        if column.required and column.key not in seen:
            out.add(number, column.en, "MISSING_COLUMN",
                    _("The required column \"%(heading)s\" is missing")
                    % {"heading": column.en}, sheet)
    return columns
