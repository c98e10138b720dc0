"""Declared identity against what the ship itself broadcasts (AIS static data).

A ship that declares one IMO number and transmits another, or arrives under a name or call sign
its transponder does not carry, is the first thing a boarding officer wants to know: identity
fraud (a sanctioned ship under a clean ship's papers) shows here before anywhere else. Pure:
the caller reads the vessel through ``maritime.tracks.service.find_vessel`` and passes both.

Draught is compared with a tolerance: AIS draught is typed in by the crew (message 5, to a
decimetre) and changes with loading, so only a difference over ``DRAUGHT_TOLERANCE_M`` counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bastion.core.reference.countries import alpha2

# A ship's draught changes with cargo and ballast between the declaration and the arrival;
# one metre is well beyond a typing slip and what bunkering alone changes.
DRAUGHT_TOLERANCE_M = 1.0


@dataclass(frozen=True)
class Mismatch:
    field: str          # imo, vessel_name, callsign, flag, draught_m
    declared: Any
    broadcast: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "declared": self.declared, "broadcast": self.broadcast}


def _name(value: str | None) -> str:
    # AIS names are upper-case six-bit ASCII, 20 characters at most, padded with '@' or spaces.
    return re.sub(r"[^A-Z0-9]", "", (value or "").upper().replace("@", ""))[:20]


def identity_mismatches(*, declared: Any, vessel: Any) -> list[Mismatch]:
    """Fields where the declaration (a port call: ``imo``, ``vessel_name``, ``callsign``,
    ``flag`` (alpha-3), ``draught_m``) and the vessel's AIS static data (``imo``, ``name``,
    ``callsign``, ``flag`` (alpha-2, from the MMSI), ``draught_m``) both have a value and
    disagree. A field either side lacks is not a mismatch: silence is not contradiction."""
    if vessel is None:
        return []
    found: list[Mismatch] = []
    if declared.imo and vessel.imo and int(declared.imo) != int(vessel.imo):
        found.append(Mismatch("imo", declared.imo, vessel.imo))
    if declared.vessel_name and vessel.name and _name(declared.vessel_name) != _name(vessel.name):
        found.append(Mismatch("vessel_name", declared.vessel_name, vessel.name.strip()))
    if declared.callsign and vessel.callsign and \
            _name(declared.callsign) != _name(vessel.callsign):
        found.append(Mismatch("callsign", declared.callsign, vessel.callsign.strip()))
    flag = alpha2(declared.flag) if declared.flag else None
    if flag and vessel.flag and flag != vessel.flag.upper():
        found.append(Mismatch("flag", declared.flag, vessel.flag))
    if declared.draught_m and vessel.draught_m and \
            abs(declared.draught_m - vessel.draught_m) > DRAUGHT_TOLERANCE_M:
        found.append(Mismatch("draught_m", declared.draught_m, vessel.draught_m))
    return found
