"""What a validation finds: one ``Problem`` per broken rule, located so a person (or an agent)
can go straight to the cell: sheet, spreadsheet row number, column heading as written in the
file, a stable rule code, and a translated message.

Codes are the contract (tests and agents match on them); messages are for people and follow
the user's language through ``bastion.core.i18n``. Severity ``warning`` marks data that is
suspicious but common on real ships (a bad IMO check digit), and never blocks an upload.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]

MAX_PROBLEMS = 1000  # past this a file is unreadable anyway; stop collecting


@dataclass(frozen=True)
class Problem:
    sheet: str | None  # None for CSV
    row: int | None  # 1-based spreadsheet row; None for file-level problems
    column: str | None  # heading as written in the file (or the template heading if missing)
    code: str
    message: str
    severity: Severity = "error"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ValidationResult:
    """Rows are returned only when there are no errors: uploads are all rows or none."""

    rows: list[Any] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def problems(self) -> list[Problem]:
        """Errors and warnings in file order (sheet, row, then as found along the row)."""
        return sorted(self.errors + self.warnings,
                      key=lambda p: (p.sheet or "", p.row or 0))  # stable: column order kept


class Collector:
    """Collects problems for one file; also satisfies the ``add`` interface the shared
    spreadsheet reader (``screening.importers.sheets``) reports unreadable files through."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    @property
    def full(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS

    def add(self, row: int | None, column: str | None, code: str, message: str,
            sheet: str | None = None, severity: Severity = "error") -> None:
        if not self.full:
            self.problems.append(Problem(sheet, row, column, code, message, severity))

    def warn(self, row: int | None, column: str | None, code: str, message: str,
             sheet: str | None = None) -> None:
        self.add(row, column, code, message, sheet, "warning")

    def result(self, rows: list[Any]) -> ValidationResult:
        errors = [p for p in self.problems if p.severity == "error"]
        warnings = [p for p in self.problems if p.severity == "warning"]
        return ValidationResult([] if errors else rows, errors, warnings)
