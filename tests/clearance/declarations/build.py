"""Build declaration files for tests from the valid fixtures, changing one cell at a time, so
each test shows exactly which value breaks which rule."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from bastion.clearance import validate_bytes

DATA = Path(__file__).resolve().parents[2] / "data" / "clearance"
TODAY = date(2026, 1, 15)  # fixed, so expiry rules do not drift with the calendar


def table(form: str) -> list[list[str]]:
    with (DATA / f"{form}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def to_csv(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def changed(form: str, row: int = 2, **cells: str) -> bytes:
    """The fixture with the given cells of spreadsheet row ``row`` replaced (keys: headings
    with spaces as underscores, e.g. Family_name)."""
    rows = table(form)
    heads = rows[0]
    for key, value in cells.items():
        rows[row - 1][heads.index(key.replace("_", " "))] = value
    return to_csv(rows)


def check(form: str, data: bytes, **kwargs):
    kwargs.setdefault("today", TODAY)
    return validate_bytes(data, form, **kwargs)


def codes(result) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.code) for p in result.problems]
