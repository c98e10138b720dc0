"""Reading people to screen from a crew or passenger list (FAL 5 / FAL 6 template headings).

Only the columns screening needs; the clearance domain validates the whole list. Headings are
the template's English ones or their Chinese equivalents.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bastion.core.i18n import gettext as _
from bastion.core.reference.people import GENDERS
from bastion.core.tabular import Collector, read_csv, read_xlsx
from bastion.screening.service import Person

HEADINGS = {
    "no": ("no", "序号"),
    "family": ("family name", "姓"),
    "given": ("given names", "名"),
    "nationality": ("nationality", "国籍"),
    "dob": ("date of birth", "出生日期"),
    "gender": ("gender", "性别"),
    "document": ("document number", "证件号码"),
}


def _gender(text: str) -> str | None:
    """male or female as the watchlist stores it; anything else is not compared."""
    found = GENDERS.parse(text)
    return found.code if found is not None and found.code in ("male", "female") else None


@dataclass
class ListProblem:
    row: int
    column: str | None
    message: str


HEADER_SEARCH_ROWS = 10  # title rows may stand above the heading row


def _heading_row(rows) -> tuple[int, dict[str, int]] | None:
    """The first of the first rows naming a Family name or Given names column and one more
    known column; other sheets (the template's instructions) have none and are skipped."""
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        columns: dict[str, int] = {}
        for key, spellings in HEADINGS.items():
            for i, cell in enumerate(cells):
                if cell.strip().strip("*").strip().lower() in spellings and key not in columns:
                    columns[key] = i
        if ("family" in columns or "given" in columns) and len(columns) >= 2:
            return number, columns
    return None


def read_people(path: Path) -> tuple[list[Person], list[ListProblem]]:
    data = path.read_bytes()
    out = Collector(str(path))
    sheets = read_xlsx(data, out) if path.suffix.lower() == ".xlsx" else read_csv(data, out)
    problems = [ListProblem(e.row, e.column, e.message) for e in out.errors]
    people: list[Person] = []
    found = False
    for sheet in sheets:
        header = _heading_row(sheet.rows)
        if header is None:
            continue
        found = True
        heading_number, columns = header
        for number, cells in sheet.rows:
            if number <= heading_number:
                continue

            def cell(key: str, cells=cells, columns=columns) -> str:
                i = columns.get(key)
                return cells[i].strip() if i is not None and i < len(cells) else ""

            family, given = cell("family"), cell("given")
            if not (family or given):
                continue
            cjk = any("\u4e00" <= ch <= "\u9fff" for ch in family + given)
            name = f"{family}{given}" if cjk else f"{family} {given}".strip()
            people.append(Person(name=name, dob=cell("dob") or None,
                                 nationality=cell("nationality").upper() or None,
                                 gender=_gender(cell("gender")),
                                 document_number=cell("document") or None,
                                 ref=f"row {number}" + (f" (No {cell('no')})" if cell("no") else "")))
    if not found and not problems:
        problems.append(ListProblem(1, _("Family name"),
                                    _("No sheet has a Family name or Given names column.")))
    return people, problems
