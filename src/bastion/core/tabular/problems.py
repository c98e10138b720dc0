"""What an import finds wrong, located so a person can go straight to the cell: file, sheet,
row as the spreadsheet numbers it, column heading as written, a stable code, a translated
message.

Codes are the contract (tests, agents and the web page match on them); messages follow the
user's language. ``warning`` marks data that is suspicious but common (a bad IMO check digit)
and never blocks an import. ``Problems`` carries the errors out of a service as one
``BastionError``; the web app turns its ``errors`` into JSON with every place.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _

Severity = Literal["error", "warning"]

MAX_PROBLEMS = 1000  # past this a file is unreadable anyway; stop collecting


@dataclass(frozen=True)
class Problem:
    file: str | None
    sheet: str | None  # None for CSV
    row: int | None  # 1-based as the spreadsheet shows it; None for file-level problems
    column: str | None  # heading as written in the file (or the template's if missing)
    code: str
    message: str
    severity: Severity = "error"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def located(self) -> str:
        """``file, sheet S, row R, column C: CODE: message`` for a terminal."""
        place = ", ".join(p for p in (self.file, self.sheet and f"sheet {self.sheet}",
                                      self.row is not None and f"row {self.row}",
                                      self.column and f"column {self.column}") if p)
        return f"{place}: {self.code}: {self.message}"


class Collector:
    """Problems of one file, in the order found; stops collecting at ``MAX_PROBLEMS``.

    ``add(row, column, code, message, sheet)`` is the one reporting interface of the readers
    and of every domain's row checks.
    """

    MAX_ERRORS = MAX_PROBLEMS

    def __init__(self, file: str | None = None) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.skipped: dict[str, int] = {}

    @property
    def full(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def add(self, row: int | None, column: str | None, code: str, message: str,
            sheet: str | None = None, severity: Severity = "error") -> None:
        if not self.full:
            self.problems.append(Problem(self.file, sheet, row, column, code, message, severity))

    def warn(self, row: int | None, column: str | None, code: str, message: str,
             sheet: str | None = None) -> None:
        self.add(row, column, code, message, sheet, "warning")

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n

    def raise_errors(self) -> None:
        """All rows or none: raise ``Problems`` when anything is an error."""
        errors = self.errors
        if errors:
            raise Problems(errors)


class Problems(Invalid):
    """An import refused as a whole; ``errors`` holds every problem with its place."""

    code = "import_problems"

    def __init__(self, errors: list[Problem]) -> None:
        # no plural forms: the catalogue tests read singular messages only
        super().__init__(_("Errors in the file: %(n)s; nothing was imported")
                         % {"n": len(errors)})
        self.errors = errors
