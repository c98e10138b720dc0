"""Templates to download: the heading row of a table, as xlsx or CSV, in Chinese, English or
both ("代码 Code": the reader matches either half, so one file serves both languages).

xlsx columns are formatted as text so Excel keeps what people type ("1975-04", "0012") instead
of turning it into a date or a number; CSV carries a UTF-8 BOM so Excel on Chinese Windows opens
it as UTF-8 rather than GB18030.

Every cell written to a file people open in a spreadsheet goes through :func:`neutralise`
(:func:`csv_row`, :func:`put`): a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is run as a formula by Excel and LibreOffice (OWASP "CSV injection";
``=HYPERLINK(...)`` sends the reader's data away), so it gets a leading apostrophe and stays
text. Numbers stay numbers. In xlsx, control characters the format cannot hold (which made
openpyxl raise, a 500) are dropped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .headings import Column

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

LANGUAGES = ("en", "zh-CN", "both")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 (so xlsx) cannot carry: openpyxl's ILLEGAL_CHARACTERS_RE, without importing it.
_NOT_IN_XLSX = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def neutralise(value: Any) -> Any:
    """The value, with a text that a spreadsheet would run as a formula made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A row for ``csv.writer``, every cell neutralised."""
    return [neutralise(v) for v in values]


def _xlsx(value: Any) -> Any:
    if isinstance(value, str):
        value = _NOT_IN_XLSX.sub("", value)
    return neutralise(value)


def put(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one xlsx cell, neutralised (openpyxl stores a text starting with ``=`` as a
    formula); returns the cell."""
    return ws.cell(row=row, column=column, value=_xlsx(value))


def append(ws: Worksheet, values: Iterable[Any]) -> None:
    """``ws.append`` with every cell neutralised."""
    ws.append([_xlsx(v) for v in values])


def heading_sheet(ws: Worksheet, heads: list[str], *, max_width: int, text_rows: int = 0) -> None:
    """Bold, frozen headings and text-formatted columns. ``text_rows`` also formats that many
    cells under each heading, for spreadsheet programs that ignore the column-level format."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    append(ws, heads)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for index, head in enumerate(heads, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(12, min(max_width, len(head) + 4))
        ws.column_dimensions[letter].number_format = "@"
        for row in range(2, 2 + text_rows):
            ws.cell(row=row, column=index).number_format = "@"


def template(columns: list[Column], *, format: str = "xlsx", language: str = "both",
             title: str = "Sheet1", examples: bool = True) -> bytes:
    """An empty table with its heading row; xlsx adds a sheet explaining each column with
    an example (the reader skips it: its rows are not heading rows)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    heads = [c.heading(language) for c in columns]
    if format == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(csv_row(heads))
        return buffer.getvalue().encode("utf-8-sig")
    if format != "xlsx":
        raise ValueError("format must be 'xlsx' or 'csv'")
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    heading_sheet(ws, heads, max_width=40, text_rows=200)
    if examples:
        notes = wb.create_sheet("说明 Notes")
        append(notes, ["列 Column", "必填 Required", "示例 Example"])
        for head, column in zip(heads, columns, strict=True):
            append(notes, [head, "✓" if column.required else "", column.example])
        for letter in "ABC":
            notes.column_dimensions[letter].width = 36
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
