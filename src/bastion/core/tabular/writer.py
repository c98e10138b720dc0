"""Templates to download: the heading row of a table, as xlsx or CSV, in Chinese, English or
both ("代码 Code": the reader matches either half, so one file serves both languages).

xlsx columns are formatted as text so Excel keeps what people type ("1975-04", "0012") instead
of turning it into a date or a number; CSV carries a UTF-8 BOM so Excel on Chinese Windows opens
it as UTF-8 rather than GB18030.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from .headings import Column

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

LANGUAGES = ("en", "zh-CN", "both")


def heading_sheet(ws: Worksheet, heads: list[str], *, max_width: int, text_rows: int = 0) -> None:
    """Bold, frozen headings and text-formatted columns. ``text_rows`` also formats that many
    cells under each heading, for spreadsheet programs that ignore the column-level format."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.append(heads)
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
        csv.writer(buffer, lineterminator="\r\n").writerow(heads)
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
        notes.append(["列 Column", "必填 Required", "示例 Example"])
        for head, column in zip(heads, columns, strict=True):
            notes.append([head, "✓" if column.required else "", column.example])
        for letter in "ABC":
            notes.column_dimensions[letter].width = 36
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
