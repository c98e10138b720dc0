"""The heading sheet of every downloadable xlsx template (watchlists, FAL forms)."""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet


def heading_sheet(ws: Worksheet, heads: list[str], *, max_width: int, text_rows: int = 0) -> None:
    """Bold, frozen headings and columns formatted as text, so Excel keeps what people type
    ("1975-04", "0012") instead of turning it into a date or a number. ``text_rows`` also
    formats that many cells under each heading, for spreadsheet programs that ignore the
    column-level format."""
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
