"""The statistics as the API returns them, with labels in the user's language."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from bastion.clearance.stats import measures
from bastion.core.i18n import gettext as _


class CellPublic(BaseModel):
    value: int | float | None
    last_year: int | float | None
    change: int | float | None
    change_pct: float | None


class RowPublic(BaseModel):
    key: str | None
    last_year_key: str | None
    label: str
    cells: dict[str, CellPublic]


class MeasurePublic(BaseModel):
    key: str
    label: str
    unit: str


class StatisticsPublic(BaseModel):
    start: date
    end: date
    last_year_start: date
    last_year_end: date
    period: str
    timezone: str
    terminal: str | None = None
    mode: str | None = None
    measures: list[MeasurePublic]
    total: RowPublic
    by_period: list[RowPublic] | None = None
    by_terminal: list[RowPublic] | None = None
    by_mode: list[RowPublic] | None = None


def row_label(grouping: str, key: str | None) -> str:
    if grouping == "terminal":
        return key if key is not None else _("No terminal")
    if grouping == "mode":
        text = measures.MODE_LABELS.get(key or "")
        return _(text) if text else (key or "")
    if grouping == "total":
        return _("Total")
    return key or ""


def _row(grouping: str, row: measures.Row) -> RowPublic:
    return RowPublic(key=row.key, last_year_key=row.last_year_key,
                     label=row_label(grouping, row.key),
                     cells={k: CellPublic(**vars(c)) for k, c in row.cells.items()})


def public(report: measures.Report, *, terminal: str | None = None,
           mode: str | None = None) -> StatisticsPublic:
    groups = {f"by_{name}": [_row(name, r) for r in rows]
              for name, rows in report.groups.items()}
    return StatisticsPublic(
        start=report.start, end=report.end, last_year_start=report.last_year_start,
        last_year_end=report.last_year_end, period=report.period, timezone=report.timezone,
        terminal=terminal, mode=mode,
        measures=[MeasurePublic(key=m.key, label=_(m.label), unit=m.unit)
                  for m in measures.MEASURES],
        total=_row("total", report.total), **groups)
