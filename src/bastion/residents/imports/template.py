"""The residents' workbook template: one sheet per table, headed "中文 English" (the reader
matches either half), columns formatted as text, and a notes sheet with an example of each
column. Built with ``core.tabular`` (``heading_sheet``, ``append``)."""

from __future__ import annotations

import io

from bastion.core.tabular import append, heading_sheet

from .columns import SHEETS


def workbook(language: str = "both") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for spec in SHEETS:
        ws = wb.create_sheet(spec.key)
        heading_sheet(ws, [c.heading(language) for c in spec.columns], max_width=40,
                      text_rows=200)
    notes = wb.create_sheet("说明 Notes")
    append(notes, ["表 Sheet", "列 Column", "必填 Required", "示例 Example"])
    for spec in SHEETS:
        for column in spec.columns:
            append(notes, [f"{spec.zh} {spec.key}", column.heading("both"),
                           "✓" if column.required else "", column.example])
    for letter in "ABCD":
        notes.column_dimensions[letter].width = 30
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
