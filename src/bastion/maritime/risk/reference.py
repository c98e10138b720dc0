"""Reference tables shipped as package data: ITU MIDs, GFW reefers and shared MMSIs.

MMSI structure is ITU-R M.585-9: a ship station is MID + 6 digits with a first digit 2-7;
00MID... coast stations, 0MID... groups, 111MID... SAR aircraft, 970/972/974 AIS-SART, MOB and
EPIRB-AIS, 98MID... craft associated with a parent ship, 99MID... aids to navigation, 8... hand-held
VHF. The IMO number check digit is IMO resolution A.1078(28) (weights 7..2, modulo 10).
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from importlib import resources

_DATA = "bastion.maritime.data"


def _text(name: str) -> str:
    return resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")


@cache
def mid_table() -> dict[int, tuple[str, str]]:
    """MID -> (ISO2 flag, country name), from ITU-R M.585 via mmsi-country-lookup (MIT)."""
    raw = json.loads(_text("mid.json"))
    return {int(mid): (row[0], row[3]) for mid, row in raw.items()}


@cache
def reefers() -> dict[int, dict]:
    """GFW treniformis REEFERS.csv (Apache-2.0): mmsi -> {imo, call_sign, flag_state}."""
    out = {}
    for row in csv.DictReader(io.StringIO(_text("reefers.csv"))):
        try:
            out[int(row["mmsi"])] = {"imo": row["imo"] or None, "call_sign": row["call_sign"] or None,
                                     "flag": row["flag_state"] or None}
        except ValueError:
            continue
    return out


@cache
def spoofing_mmsis() -> frozenset[int]:
    """GFW treniformis SPOOFING_MMSI_2018 (Apache-2.0): MMSIs used by 2+ vessels at once."""
    return frozenset(int(line) for line in _text("spoofing_mmsi_2018.txt").split() if line.isdigit())


def mmsi_mid(mmsi: int) -> int | None:
    """The MID of a 9-digit ship MMSI (or of the craft-associated / coast forms), else None."""
    text = f"{mmsi:09d}"
    if text[0] in "234567":
        return int(text[:3])
    if text.startswith(("98", "99", "00")):
        return int(text[2:5])
    return None


def mmsi_problem(mmsi: int) -> str | None:
    """Why a position-reporting MMSI is not a valid ship station, or None if it is."""
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
        return "MMSI of an aid to navigation or craft associated (9...), not a ship"
    mid = int(text[:3])
    if mid not in mid_table():
        return f"MID {mid} is not allocated (ITU-R M.585)"
    return None


def imo_valid(imo: int) -> bool:
    """IMO number check digit (seven digits, weights 7..2 on the first six, modulo 10)."""
    if not 1_000_000 <= imo <= 9_999_999:
        return False
    digits = [int(c) for c in str(imo)]
    return sum(d * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True)) % 10 == digits[6]


def ship_type_category(code: int | None) -> str | None:
    """Coarse category of an AIS ship type code (ITU-R M.1371 table 53)."""
    if code is None or code == 0 or 90 <= code <= 99:
        return "unknown"
    if code == 30:
        return "fishing"
    if code == 37:
        return "pleasure"
    if 40 <= code <= 49:
        return "high_speed"
    if 70 <= code <= 79:
        return "cargo"
    if 80 <= code <= 89:
        return "tanker"
    if 60 <= code <= 69:
        return "passenger"
    return "other"
