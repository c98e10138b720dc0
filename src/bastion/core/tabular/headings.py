"""Which column is which field: headings matched in Chinese or English, loosely, because
people retype them.

Case, spaces, '_'/'-'/'.'/':', full-width forms and a parenthesised hint ("Kind (customs|...)",
"类型（...）") are ignored. The heading row is the first of a sheet's first rows that holds at
least two known headings (or the only one a one-column table has), which skips title rows
above it; sheets without one (instructions) are skipped. A heading that matches nothing is a
warning or an error as the caller decides, never silently dropped data.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bastion.core.i18n import gettext as _

from .problems import Collector
from .reader import Sheet

HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Column:
    key: str
    en: str  # template heading, English
    zh: str  # template heading, Chinese
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str = ""

    def heading(self, language: str) -> str:
        if language == "en":
            return self.en
        if language == "zh-CN":
            return self.zh
        return f"{self.zh} {self.en}"  # both: matched by either half (see normalise)


def normalise(heading: str) -> str:
    text = unicodedata.normalize("NFKC", heading).casefold()
    text = re.sub(r"\(.*?\)", "", text)  # NFKC has turned （） into ()
    return re.sub(r"[\s_\-.:*/'’]+", "", text)


def index(columns: list[Column]) -> dict[str, Column]:
    """Every spelling of every column: English, Chinese, both, the key, the aliases."""
    found: dict[str, Column] = {}
    for column in columns:
        for name in (column.en, column.zh, column.heading("both"), column.key, *column.aliases):
            found.setdefault(normalise(name), column)
    return found


@dataclass
class Record:
    """One data row: its place and its cells by column key (text as written, stripped)."""

    sheet: str | None
    row: int
    cells: dict[str, str]
    headings: dict[str, str]  # key -> heading as written in the file

    def get(self, key: str) -> str:
        return self.cells.get(key, "")


def records(sheets: list[Sheet], columns: list[Column], out: Collector, *,
            unknown_is_error: bool = True) -> list[Record]:
    """Rows of every sheet that has a heading row of ``columns``; problems go to ``out``
    (MISSING_COLUMN, DUPLICATE_COLUMN, UNKNOWN_COLUMN, NO_HEADING_ROW)."""
    lookup = index(columns)
    needed = min(2, len(columns))
    found: list[Record] = []
    used = False
    for sheet in sheets:
        header = next(((n, cells) for n, cells in sheet.rows[:HEADER_SEARCH_ROWS]
                       if sum(1 for c in cells if normalise(c) in lookup) >= needed), None)
        if header is None:
            continue
        used = True
        number, cells = header
        positions: dict[int, Column] = {}
        written: dict[str, str] = {}
        for position, heading in enumerate(cells):
            if not heading.strip():
                continue
            column = lookup.get(normalise(heading))
            if column is None:
                message = _("\"%(heading)s\" is not a heading of this table") % {
                    "heading": heading.strip()}
                if unknown_is_error:
                    out.add(number, heading.strip(), "UNKNOWN_COLUMN", message, sheet.name)
                else:
                    out.warn(number, heading.strip(), "UNKNOWN_COLUMN", message, sheet.name)
            elif column.key in written:
                out.add(number, heading.strip(), "DUPLICATE_COLUMN",
                        _("The column \"%(heading)s\" repeats \"%(first)s\"")
                        % {"heading": heading.strip(), "first": written[column.key]}, sheet.name)
            else:
                positions[position] = column
                written[column.key] = heading.strip()
        for column in columns:
            if column.required and column.key not in written:
                out.add(number, column.en, "MISSING_COLUMN",
                        _("The required column \"%(heading)s\" is missing")
                        % {"heading": column.heading("both")}, sheet.name)
        for row_number, row in sheet.rows:
            if row_number <= number or not any(c.strip() for c in row):
                continue
            cells_by_key = {column.key: row[position].strip()
                            for position, column in positions.items() if position < len(row)}
            found.append(Record(sheet.name, row_number, cells_by_key, written))
    if not used:
        out.add(1, None, "NO_HEADING_ROW",
                _("No heading row was found (%(headings)s): download the template and keep its "
                  "first row") % {"headings": ", ".join(c.heading("both") for c in columns
                                                       if c.required)},
                sheets[0].name if sheets else None)
    return found
