"""Reference tables shipped as package data: GFW reefers and shared MMSIs, AIS ship types.

MMSI structure, MIDs and the IMO check digit are the floor's (``bastion.core.reference.ships``).
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

_DATA = "bastion.maritime.data"


def _text(name: str) -> str:
    return resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")


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
