"""Ship identifiers: the IMO number check digit, MMSI structure and the flag of an MMSI's MID.

One implementation for the AIS detectors (an IMO from a type 5 message, an MMSI's flag), the
FAL forms of a port call and watchlist imports.

- IMO ship identification number: seven digits, the last a check digit: the sum of the first
  six times the weights 7, 6, 5, 4, 3, 2, modulo 10 (IMO resolution A.1117(30), annex, which
  replaced A.1078(28) and A.600(15) with the same rule).
- MMSI structure is ITU-R M.585-9: a ship station is MID + 6 digits with a first digit 2-7;
  00MID... coast stations, 0MID... groups, 111MID... SAR aircraft, 970/972/974 AIS-SART, MOB and
  EPIRB-AIS, 98MID... craft associated with a parent ship, 99MID... aids to navigation, 8...
  hand-held VHF. The MID table (``data/mid.json``) is ITU-R M.585 via mmsi-country-lookup.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

_IMO_PREFIX = re.compile(r"^\s*IMO[\s:.\-]*", re.IGNORECASE)


def imo_digits(value: str) -> str | None:
    """Seven digits from "9074729", "IMO 9074729", "IMO:9074729" or "907 4729"; None when the
    text is not that shape (the check digit is not looked at: ``imo_valid``)."""
    text = re.sub(r"[\s\-]", "", _IMO_PREFIX.sub("", value))
    return text if re.fullmatch(r"\d{7}", text) else None


def imo_check_digit(first6: int | str) -> int:
    digits = f"{int(first6):06d}"
    return sum(int(d) * w for d, w in zip(digits, range(7, 1, -1), strict=True)) % 10


def imo_valid(number: int | str) -> bool:
    """Seven digits whose last is the check digit of the first six."""
    if isinstance(number, str):
        if not re.fullmatch(r"\d{7}", number):
            return False
        number = int(number)
    if not 1_000_000 <= number <= 9_999_999:
        return False
    return imo_check_digit(number // 10) == number % 10


def ais_imo_problem(number: int) -> str | None:
    """Why the IMO field of an AIS static report (type 5) is wrong, or None. ITU-R M.1371-5,
    table 50: 0 not available; 1-999,999 not used; 1,000,000-9,999,999 an IMO number (whose
    check digit must hold); 10,000,000 and above an official flag state number, which a ship
    without an IMO number sends instead (IMO resolution A.1117(30)) and which has no check
    digit. English: kept as an alert's evidence, as the detector recorded it."""
    if number >= 10_000_000 or number <= 0:
        return None
    if number < 1_000_000:
        return f"IMO field {number} is in a range not used (ITU-R M.1371)"
    return None if imo_valid(number) else f"IMO {number} fails its check digit"


def imo_number(first6: int) -> int:
    """The valid IMO number beginning with these six digits (demo data, test fixtures)."""
    return first6 * 10 + imo_check_digit(first6)


@cache
def mid_table() -> dict[int, tuple[str, str]]:
    """MID -> (ISO 3166 alpha-2 flag, country name), from ITU-R M.585 via mmsi-country-lookup."""
    text = resources.files("bastion.core.reference").joinpath("data/mid.json").read_text("utf-8")
    return {int(mid): (row[0], row[3]) for mid, row in json.loads(text).items()}


def mmsi_mid(mmsi: int) -> int | None:
    """The MID of a 9-digit ship MMSI (or of the craft-associated / coast forms), else None."""
    text = f"{mmsi:09d}"
    if text[0] in "234567":
        return int(text[:3])
    if text.startswith(("98", "99", "00")):
        return int(text[2:5])
    return None


def mmsi_flag(mmsi: int) -> str | None:
    """ISO alpha-2 of the administration that owns the MMSI's MID; None for no MID or an
    unallocated one."""
    mid = mmsi_mid(mmsi)
    found = mid_table().get(mid) if mid is not None else None
    return found[0] if found else None


def mmsi_problem(mmsi: int) -> str | None:
    """Why a position-reporting MMSI is not a valid ship station, or None if it is (English:
    kept as an alert's evidence, as the detector recorded it)."""
    if 200_000_000 <= mmsi < 800_000_000 and mmsi // 1_000_000 in mid_table():
        return None  # the common case: a ship MMSI with an allocated MID
    if not 0 < mmsi <= 999_999_999:
        return "MMSI out of range"
    text = f"{mmsi:09d}"
    first = text[0]
    if first == "0":
        return "MMSI of a coast station or group (leading 0), not a ship"
    if first == "1":
        return "MMSI of a SAR aircraft (111MID...), not a ship" if text.startswith("111") \
            else "MMSI with leading 1 is not allocated to ships"
    if first == "8":
        return "MMSI of a hand-held VHF (leading 8), not a ship"
    if first == "9":
        if text[:3] in ("970", "972", "974"):
            return None  # AIS-SART / MOB / EPIRB: distress devices, handled as such elsewhere
        if text[:2] == "99":
            return "MMSI of an aid to navigation (99...), not a ship"
        if text[:2] != "98":  # 98MID...: a craft associated with a parent ship (a tender)
            return "MMSI with leading 9 is not allocated to ships"
    mid = mmsi_mid(mmsi)  # the ship's MID, or the parent country's for a 98 craft
    if mid not in mid_table():
        return f"MID {mid} is not allocated (ITU-R M.585)"
    return None
