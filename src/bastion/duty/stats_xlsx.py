"""The duty statistics as an xlsx workbook in the user's language: a summary sheet, then duty
hours per person and per agency, hotline calls, and the duty log. Cells go through
``core.tabular``'s neutraliser (a person's name never becomes a formula)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from bastion.core.i18n import gettext as _
from bastion.core.tabular import append

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _table(ws: Worksheet, heads: list[str], rows: list[list[Any]]) -> None:
    append(ws, heads)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        append(ws, row)
    for column, _head in enumerate(heads, start=1):
        ws.column_dimensions[ws.cell(row=1, column=column).column_letter].width = 24


def _rate(value: float | None) -> str | float:
    return _("n/a") if value is None else round(value * 100, 1)


def workbook(stats: dict[str, Any]) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = _("Summary")[:31]
    hours, calls, log = stats["hours"], stats["hotline"], stats["log"]
    rows: list[list[Any]] = [
        [_("Start date"), stats["from"]], [_("End date"), stats["to"]],
        [_("Time zone"), stats["timezone"]],
        [_("Duty hours"), hours["total_hours"]], [_("Duties"), hours["total_duties"]]]
    if calls is not None:
        closure = calls["closure"]
        rows += [[_("Hotline calls received"), calls["total"]],
                 [_("Calls received in the range with an outcome"), closure["counted"]],
                 [_("Closed on time"), closure["on_time"]], [_("Closed late"), closure["late"]],
                 [_("Open past the deadline"), closure["overdue_open"]],
                 [_("On-time closure rate (%)"), _rate(closure["rate"])]]
    if log is not None:
        rows.append([_("Duty-log entries"), log["total"]])
    _table(ws, [_("Measure"), _("Value")], rows)

    people = book.create_sheet(_("Hours per person")[:31])
    _table(people, [_("Person"), _("Unit"), _("Duties"), _("Hours")],
           [[p["name"], p["unit"], p["duties"], p["hours"]] for p in hours["by_person"]])
    agencies = book.create_sheet(_("Hours per agency")[:31])
    _table(agencies, [_("Agency"), _("Duties"), _("Hours")],
           [[a["agency"], a["duties"], a["hours"]] for a in hours["by_agency"]])
    if calls is not None:
        sheet = book.create_sheet(_("Hotline calls")[:31])
        _table(sheet, [_("Kind of call"), _("Calls")],
               [[k["label"], k["count"]] for k in calls["by_kind"]])
        append(sheet, [])
        append(sheet, [_("Language"), _("Calls")])
        for row in calls["by_language"]:
            append(sheet, [row["label"], row["count"]])
    if log is not None:
        sheet = book.create_sheet(_("Duty log")[:31])
        _table(sheet, [_("Kind of entry"), _("Stage"), _("Entries")],
               [[r["kind_label"], r["stage_label"], r["count"]]
                for r in log["by_kind_and_stage"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(stats: dict[str, Any]) -> str:
    return f"duty-statistics-{stats['from']}-{stats['to']}.xlsx"
