"""What a validation finds, as the floor's tabular kit reports it (``core.tabular.Problem``:
file, sheet, row, column, code, message, severity), plus the result of validating one
declaration file.

Codes are the contract (tests and agents match on them); messages are for people and follow
the user's language through ``bastion.core.i18n``. Severity ``warning`` marks data that is
suspicious but common on real ships (a bad IMO check digit), and never blocks an upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bastion.core import tabular
from bastion.core.tabular import MAX_PROBLEMS, Problem, Severity

__all__ = ["MAX_PROBLEMS", "Collector", "Problem", "Severity", "ValidationResult"]


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


class Collector(tabular.Collector):
    """The kit's collector, and the split into a ``ValidationResult``."""

    def result(self, rows: list[Any]) -> ValidationResult:
        errors = self.errors
        return ValidationResult([] if errors else rows, errors, self.warnings)
