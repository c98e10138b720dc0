"""A roster as an xlsx workbook: the month as on the page (days down, units and shifts
across) and every duty as a row. Headings in the user's language; every cell goes through
``core.tabular``'s neutraliser, so a name starting with ``=``, ``+``, ``-`` or ``@`` stays
text and never becomes a live formula."""

from __future__ import annotations

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bastion.core.i18n import gettext as _
from bastion.core.tabular import append, put
from bastion.duty.rosters.calendars import Month

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REST_FILL = PatternFill("solid", fgColor="F1F3F5")


def _local(value: datetime, zone: ZoneInfo) -> datetime:
    return value.astimezone(zone).replace(tzinfo=None)  # Excel has no zones


def workbook(month: Month, *, zone: ZoneInfo) -> bytes:
    roster = month.roster
    wb = Workbook()
    grid = wb.active
    grid.title = _("Month calendar")
    put(grid, 1, 1, roster.name).font = Font(bold=True, size=13)
    put(grid, 2, 1, _("%(start)s, %(days)s days; times in %(zone)s") % {
        "start": roster.start.isoformat(), "days": roster.days, "zone": zone.key})
    heads = [_("Date"), _("Weekday"),
             *[f"{c.unit} · {c.shift_name}" + (f" {c.start}–{c.end}" if c.start else "")
               for c in month.columns]]
    append(grid, [])
    append(grid, heads)
    head_row = grid.max_row
    for cell in grid[head_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    grid.freeze_panes = grid.cell(row=head_row + 1, column=3)
    grid.column_dimensions["A"].width = 12
    grid.column_dimensions["B"].width = 8
    for index in range(3, len(heads) + 1):
        grid.column_dimensions[get_column_letter(index)].width = 24
    for day in month.days:
        row = grid.max_row + 1
        put(grid, row, 1, day.date).number_format = "yyyy-mm-dd"
        put(grid, row, 2, day.weekday + (f" {day.holiday}" if day.holiday else ""))
        for index, column in enumerate(month.columns, start=3):
            text = "\n".join(f"{e.person} ({e.role_name})"
                             for e in month.entries(day.date, column))
            put(grid, row, index, text).alignment = Alignment(wrap_text=True, vertical="top")
        if day.rest:
            for index in range(1, len(heads) + 1):
                grid.cell(row=row, column=index).fill = REST_FILL

    rows = wb.create_sheet(_("Duty list"))
    heads = [_("Date"), _("Weekday"), _("Unit"), _("Shift"), _("Duty role"), _("Person"),
             _("Starts"), _("Ends"), _("Pinned")]
    append(rows, heads)
    for cell in rows[1]:
        cell.font = Font(bold=True)
    rows.freeze_panes = "A2"
    for index, width in enumerate((12, 8, 24, 14, 16, 20, 17, 17, 8), start=1):
        rows.column_dimensions[get_column_letter(index)].width = width
    entries = {e.assignment_id: e for found in month.cells.values() for e in found}
    weekday = {d.date: d.weekday for d in month.days}
    for a in sorted(month.assignments, key=lambda a: (a.day, a.starts_at, a.unit_id, a.id)):
        entry = entries[a.id]
        row = rows.max_row + 1
        for index, value in enumerate((a.day, weekday.get(a.day, ""),
                                       month.names.unit(a.unit_id),
                                       month.names.shift(a.shift_code), entry.role_name,
                                       entry.person, _local(a.starts_at, zone),
                                       _local(a.ends_at, zone),
                                       _("yes") if a.pinned else ""), start=1):
            cell = put(rows, row, index, value)
            if index == 1:
                cell.number_format = "yyyy-mm-dd"
            elif index in (7, 8):
                cell.number_format = "yyyy-mm-dd hh:mm"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(month: Month) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", month.roster.name).strip("-")[:40]
    return f"duty-roster-{month.roster.id}{'-' + slug if slug else ''}.xlsx"
