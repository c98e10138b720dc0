"""Reading people to screen from a crew or passenger list (FAL 5 / FAL 6 template headings).

Only the columns screening needs; the clearance domain validates the whole list. Headings are
the template's English ones or their Chinese equivalents.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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


def read_people(path: Path) -> tuple[list[Person], list[ListProblem]]:
    data = path.read_bytes()
    out = Collector(str(path))
    sheets = read_xlsx(data, out) if path.suffix.lower() == ".xlsx" else read_csv(data, out)
    problems = [ListProblem(e.row, e.column, e.message) for e in out.errors]
    people: list[Person] = []
    for sheet in sheets:
        if not sheet.rows:
            continue
        _number, heading = sheet.rows[0]
        columns = {}
        for key, spellings in HEADINGS.items():
            for i, cell in enumerate(heading):
                if cell.strip().lower() in spellings:
                    columns[key] = i
        if "family" not in columns and "given" not in columns:
            problems.append(ListProblem(1, "Family name", "no Family name / Given names column"))
            continue
        for number, cells in sheet.rows[1:]:
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
    return people, problems
