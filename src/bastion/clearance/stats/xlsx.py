"""The statistics as an xlsx workbook: a summary sheet, then one sheet per grouping, with
headings in the user's language and numbers left as numbers (hours to two decimals). Every
cell is written through ``core.tabular``'s neutraliser: a terminal's code or name, or a filter
someone typed, never becomes a live formula."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bastion.clearance.stats import measures
from bastion.clearance.stats.schemas import CellPublic, RowPublic, StatisticsPublic
from bastion.core.i18n import gettext as _
from bastion.core.tabular import append, put

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMATS = {"count": "0", "hours": "0.00"}


def _sheet_titles() -> dict[str, str]:
    # Excel: at most 31 characters, none of []:*?/\ (true of these and their translations).
    return {"period": _("By period"), "terminal": _("By terminal"),
            "mode": _("By service mode")}


def _bold(ws: Worksheet, row: int) -> None:
    for cell in ws[row]:
        cell.font = Font(bold=True)


def _put(ws: Worksheet, row: int, column: int, value: float | str | None, fmt: str) -> None:
    cell = put(ws, row, column, value)
    if isinstance(value, int | float):
        cell.number_format = fmt


def _cell_values(cell: CellPublic, unit: str) -> list[tuple[float | str | None, str]]:
    fmt = _FORMATS[unit]
    pct = cell.change_pct if cell.change_pct is not None else (
        _("n/a") if cell.change is not None else None)
    return [(cell.value, fmt), (cell.last_year, fmt), (cell.change, fmt), (pct, "0.0")]


def _summary(ws: Worksheet, stats: StatisticsPublic) -> None:
    any_ = _("— any —")
    mode = measures.MODE_LABELS.get(stats.mode or "")
    for label, value in (
            (_("Range"), f"{stats.start.isoformat()} – {stats.end.isoformat()}"),
            (_("Same range last year"),
             f"{stats.last_year_start.isoformat()} – {stats.last_year_end.isoformat()}"),
            (_("Period"), _(measures.PERIOD_LABELS[stats.period])),
            (_("Time zone"), stats.timezone),
            (_("Terminal"), stats.terminal or any_),
            (_("Service mode"), _(mode) if mode else (stats.mode or any_))):
        append(ws, [label, value])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.append([])
    # "%" stays out of the message ids: Jinja's gettext would read it as a format.
    append(ws, [_("Measure"), _("This range"), _("Same range last year"), _("Change"),
               f"{_('Change')} (%)"])
    heading = ws.max_row
    _bold(ws, heading)
    for measure in stats.measures:
        row = ws.max_row + 1
        put(ws, row, 1, measure.label)
        for column, (value, fmt) in enumerate(
                _cell_values(stats.total.cells[measure.key], measure.unit), start=2):
            _put(ws, row, column, value, fmt)
    ws.column_dimensions["A"].width = 36
    for letter in "BCDE":
        ws.column_dimensions[letter].width = 22


def _grouping(ws: Worksheet, stats: StatisticsPublic, name: str, rows: list[RowPublic]) -> None:
    keys = {"period": [_("Period"), _("Same period last year")], "terminal": [_("Terminal")],
            "mode": [_("Service mode")]}[name]
    heads = list(keys)
    for measure in stats.measures:
        heads += [measure.label,
                  _("{measure}: last year").format(measure=measure.label),
                  _("{measure}: change").format(measure=measure.label),
                  _("{measure}: change").format(measure=measure.label) + " (%)"]
    append(ws, heads)
    _bold(ws, 1)
    ws.freeze_panes = f"{get_column_letter(len(keys) + 1)}2"
    for index, head in enumerate(heads, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(head) + 2))
    for number, row in enumerate([*rows, stats.total], start=2):
        put(ws, number, 1, row.label)
        if name == "period":
            put(ws, number, 2, row.last_year_key or "")
        column = len(keys) + 1
        for measure in stats.measures:
            for value, fmt in _cell_values(row.cells[measure.key], measure.unit):
                _put(ws, number, column, value, fmt)
                column += 1
    _bold(ws, len(rows) + 2)  # the total


def workbook(stats: StatisticsPublic) -> bytes:
    wb = Workbook()
    summary = wb.active
    summary.title = _("Overview")
    _summary(summary, stats)
    titles = _sheet_titles()
    for name in measures.GROUPINGS:
        rows = getattr(stats, f"by_{name}")
        if rows is not None:
            _grouping(wb.create_sheet(titles[name]), stats, name, rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(stats: StatisticsPublic) -> str:
    return f"port-call-statistics-{stats.start.isoformat()}-{stats.end.isoformat()}.xlsx"
