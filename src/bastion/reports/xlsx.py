"""The annual report as an xlsx workbook in the reader's language: one sheet, a row per
figure under its section. Cells go through ``core.tabular``'s neutraliser."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from bastion.core.figures import Section
from bastion.core.i18n import gettext as _
from bastion.core.tabular import append
from bastion.reports.period import Period

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(sections: list[Section], period: Period) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = _("Annual report")[:31]
    append(ws, [_("Start date"), period.start.isoformat()])
    append(ws, [_("End date"), period.last.isoformat()])
    append(ws, [])
    append(ws, [_("Section"), _("Figure"), _("Value"), _("Unit"), _("Key")])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for section in sections:
        for figure in section.figures:
            append(ws, [_(section.title), _(figure.label), figure.value,
                        _(figure.unit) if figure.unit else "", figure.key])
    for letter, width in zip("ABCDE", (24, 48, 14, 12, 32), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(period: Period) -> str:
    return f"bastion-report-{period.start.isoformat()}-{period.last.isoformat()}.xlsx"
