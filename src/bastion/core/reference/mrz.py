"""ICAO Doc 9303 machine readable zone check digits (part 3 section 4.9; layouts in parts 4
and 5), for TD3 passports (2 lines of 44) and TD1 cards (3 lines of 30).

Written here rather than taken from a library because only the check digits are needed: a
list's MRZ is checked for typing errors, never trusted for identity. Weights 7-3-1 repeat;
digits count as themselves, A-Z as 10-35 and the filler ``<`` as 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MRZ_CHARS = re.compile(r"^[A-Z0-9<]+$")


def char_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise ValueError(f"not an MRZ character: {char!r}")


def check_digit(field: str) -> str:
    """The 9303 check digit of ``field`` as one character."""
    weights = (7, 3, 1)
    return str(sum(char_value(c) * weights[i % 3] for i, c in enumerate(field)) % 10)


@dataclass(frozen=True)
class MrzCheck:
    name: str  # which check: document_number, birth_date, expiry_date, optional_data, composite
    ok: bool


@dataclass(frozen=True)
class Mrz:
    """The fields of an MRZ a crew or passenger list can be compared with."""

    layout: str  # "TD3" or "TD1"
    document_number: str
    birth_date: str  # YYMMDD as printed
    expiry_date: str  # YYMMDD as printed
    checks: tuple[MrzCheck, ...]

    @property
    def failed(self) -> list[str]:
        return [c.name for c in self.checks if not c.ok]


def _digit_ok(field: str, digit: str, *, optional: bool = False) -> bool:
    # An empty optional field may carry '<' or '0' as its check digit (9303 part 4, 4.2.2.2).
    if optional and set(field) <= {"<"}:
        return digit in "<0"
    return check_digit(field) == digit


def split_lines(text: str) -> list[str]:
    """Accept the MRZ as lines, or as one run of 88/90 characters (a spreadsheet cell)."""
    cleaned = text.strip().upper().replace(" ", "")
    lines = [line for line in re.split(r"[\r\n|]+", cleaned) if line]
    if len(lines) == 1 and len(lines[0]) in (88, 90):
        size = 44 if len(lines[0]) == 88 else 30
        lines = [lines[0][i:i + size] for i in range(0, len(lines[0]), size)]
    return lines


def parse(text: str) -> Mrz | None:
    """Check an MRZ; None when it is not a TD3 or TD1 layout at all."""
    lines = split_lines(text)
    if not lines or not all(_MRZ_CHARS.match(line) for line in lines):
        return None
    if len(lines) == 2 and all(len(line) == 44 for line in lines):
        return _td3(lines[1])
    if len(lines) == 3 and all(len(line) == 30 for line in lines):
        return _td1(lines[0], lines[1])
    return None


def _td3(line: str) -> Mrz:
    number, birth, expiry, optional = line[0:9], line[13:19], line[21:27], line[28:42]
    composite = line[0:10] + line[13:20] + line[21:43]
    checks = (MrzCheck("document_number", _digit_ok(number, line[9])),
              MrzCheck("birth_date", _digit_ok(birth, line[19])),
              MrzCheck("expiry_date", _digit_ok(expiry, line[27])),
              MrzCheck("optional_data", _digit_ok(optional, line[42], optional=True)),
              MrzCheck("composite", _digit_ok(composite, line[43])))
    return Mrz("TD3", number.rstrip("<"), birth, expiry, checks)


def _td1(line1: str, line2: str) -> Mrz:
    number, birth, expiry = line1[5:14], line2[0:6], line2[8:14]
    # A number longer than 9 characters continues in the optional data (9303 part 5, note j).
    full_number, number_digit = number, line1[14]
    if number_digit == "<":
        extra = line1[15:30].rstrip("<")
        full_number, number_digit = number + extra[:-1], extra[-1:] or "<"
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    checks = (MrzCheck("document_number", _digit_ok(full_number, number_digit)),
              MrzCheck("birth_date", _digit_ok(birth, line2[6])),
              MrzCheck("expiry_date", _digit_ok(expiry, line2[14])),
              MrzCheck("composite", _digit_ok(composite, line2[29])))
    return Mrz("TD1", full_number.rstrip("<"), birth, expiry, checks)
