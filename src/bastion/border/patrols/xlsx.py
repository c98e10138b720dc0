"""The patrol measures as an xlsx workbook: an overview sheet, then a sheet per grouping and
per list (missed, incomplete, results, targets), headings in the user's language, ratios as
percentages and numbers left as numbers. Every cell goes through ``core.tabular``'s
neutraliser: a post's or segment's name never becomes a live formula."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bastion.border.patrols.measures import PERIOD_LABELS
from bastion.core.i18n import gettext as _
from bastion.core.tabular import append, put

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def columns() -> list[tuple[str, str, str]]:
    """(key, heading, number format) of a row of measures, results apart from effort."""
    return [
        ("planned", _("Planned patrols"), "0"),
        ("started_on_time", _("Started on time"), "0"),
        ("completed", _("Completed"), "0"),
        ("completion", _("Patrol completion"), "0.0%"),
        ("missed", _("Missed"), "0"),
        ("incomplete", _("Incomplete"), "0"),
        ("checkpoints_planned", _("Checkpoints planned"), "0"),
        ("checkpoints_visited", _("Checkpoints visited in window"), "0"),
        ("checkpoint_coverage", _("Checkpoint coverage"), "0.0%"),
        ("length_m", _("Segment length (m)"), "0"),
        ("covered_m", _("Covered (m)"), "0"),
        ("segment_coverage", _("Segment coverage"), "0.0%"),
        ("patrols", _("Patrols carried out"), "0"),
        ("unplanned", _("Unplanned"), "0"),
        ("joint", _("Joint patrols"), "0"),
        ("hours", _("Hours"), "0.00"),
        ("km", _("Kilometres"), "0.00"),
        ("person_days", _("Person-days"), "0"),
        ("synthetic", _("SYNTHETIC (demo)"), "0"),
    ]


def _bold_row(ws: Worksheet, row: int) -> None:
    for cell in ws[row]:
        cell.font = Font(bold=True)


def _put(ws: Worksheet, row: int, column: int, value: Any, fmt: str | None = None) -> None:
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)  # already in the unit's zone: Excel has no zones
    cell = put(ws, row, column, value)
    if fmt and isinstance(value, int | float):
        cell.number_format = fmt


def _table(ws: Worksheet, heads: list[str], rows: list[list[tuple[Any, str | None]]]) -> None:
    append(ws, heads)
    _bold_row(ws, 1)
    ws.freeze_panes = "B2"
    for index, head in enumerate(heads, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(head) + 4))
    for number, row in enumerate(rows, start=2):
        for column, (value, fmt) in enumerate(row, start=1):
            _put(ws, number, column, value, fmt)


def _local(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    return value.astimezone(zone) if value else None


def workbook(report: dict[str, Any]) -> bytes:
    zone = ZoneInfo(report["timezone"])
    cols = columns()
    wb = Workbook()
    ws = wb.active
    ws.title = _("Overview")
    labels = report["filter_labels"]
    any_ = _("— any —")
    for label, value in (
            (_("Start date"), report["from"].isoformat()),
            (_("End date"), report["to"].isoformat()),
            (_("Period"), _(PERIOD_LABELS[report["period"]])), (_("Time zone"), report["timezone"]),
            (_("Post"), labels["post"] or any_), (_("Segment"), labels["segment"] or any_),
            (_("Agency"), labels["agency"] or any_),
            (_("Covered within (m)"), report["coverage_m"]),
            (_("Start tolerance (min)"), report["tolerance_min"])):
        append(ws, [label, value])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    if report["synthetic"]:
        append(ws, [_("SYNTHETIC (demo)"), _("%(n)d demo patrols are counted in these figures.")
                    % {"n": report["synthetic"]}])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.append([])
    append(ws, [_("Measure"), _("Value")])
    _bold_row(ws, ws.max_row)
    for key, head, fmt in cols:
        row = ws.max_row + 1
        put(ws, row, 1, head)
        _put(ws, row, 2, report["total"][key], fmt)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 30

    for name, title, heading in (("by_period", _("By period"), _("Period")),
                                 ("by_post", _("By post"), _("Post")),
                                 ("by_segment", _("By segment"), _("Segment")),
                                 ("by_agency", _("By agency"), _("Agency"))):
        rows = [[(r["label"], None), *[(r[k], fmt) for k, _h, fmt in cols]]
                for r in [*report[name], report["total"]]]
        _table(wb.create_sheet(title), [heading, *[h for _k, h, _f in cols]], rows)
        sheet = wb[title]
        _bold_row(sheet, sheet.max_row)

    patrol_heads = [_("Patrol"), _("Post"), _("Segment"), _("Planned start"), _("Started"),
                    _("Minutes late"), _("Checkpoints planned"), _("Checkpoints visited in window"),
                    _("Checkpoints missed"), _("SYNTHETIC (demo)")]
    for name, title in (("missed", _("Missed patrols")), ("incomplete", _("Incomplete patrols"))):
        _table(wb.create_sheet(title), patrol_heads, [[
            (p["client_id"], None), (p["post"], None), (p["segment"], None),
            (_local(p["planned_start"], zone), None), (_local(p["started_at"], zone), None),
            (p["late_minutes"], "0.0"), (p["checkpoints_planned"], "0"),
            (p["checkpoints_visited"], "0"), (", ".join(p["checkpoints_missed"]), None),
            (_("yes") if p["synthetic"] else "", None)] for p in report[name]])
        sheet = wb[title]
        for column in (4, 5):
            for row in range(2, sheet.max_row + 1):
                sheet.cell(row=row, column=column).number_format = "yyyy-mm-dd hh:mm"

    _table(wb.create_sheet(_("Results")), [_("Category code"), _("Category"), _("Observations")],
           [[(r["code"], None), (r["label"], None), (r["count"], "0")]
            for r in report["results"]])
    _table(wb.create_sheet(_("Targets")),
           [_("Post"), _("Segment"), _("Period"), _("At least (patrols)"),
            _("At least (minutes each)"), _("Periods met"), _("Periods not met"),
            _("Unmet periods")],
           [[(t["post"], None), (t["segment"], None), (_(PERIOD_LABELS[t["period"]]), None),
             (t["min_patrols"], "0"), (t["min_minutes"], "0"), (t["met"], "0"),
             (t["unmet"], "0"),
             (", ".join(p["key"] for p in t["periods"] if not p["met"]), None)]
            for t in report["targets"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(report: dict[str, Any]) -> str:
    return f"patrol-measures-{report['from'].isoformat()}-{report['to'].isoformat()}.xlsx"
