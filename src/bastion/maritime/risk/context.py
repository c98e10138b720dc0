"""What a detector may read and change of the engine that runs it.

The detectors (``motion``, ``identity``, ``places``, ``encounter``) and the score are called by
``RiskEngine`` and work on its state; typing them against this protocol instead of the engine
class keeps the import graph one-way (engine -> detectors -> context) with no circle.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol

from bastion.maritime.places.known import Places
from bastion.maritime.risk.alerts import AlertBook
from bastion.maritime.risk.settings import DetectorSettings
from bastion.maritime.risk.vessel import Vessel
from bastion.maritime.zones.land import LandMask
from bastion.maritime.zones.zoneset import ZoneSet


class EngineState(Protocol):
    settings: DetectorSettings
    zones: ZoneSet | None
    land: LandMask | None
    places: Places | None
    book: AlertBook
    vessels: dict[int, Vessel]
    stats: Counter
    now: float | None
    max_ms: float
    gap_s: float
    conflict_window_s: float
    zone_kinds: frozenset[str]
    loiter_exempt: frozenset[int]
    reefers: dict[int, dict]
    rx: dict[tuple[int, int], dict[int, tuple[float, float]]]
    rx_seen: dict[tuple[int, int], float]
    silences: dict[int, list[dict]]

    def anchorage_m(self, lat: float, lon: float) -> float: ...

    def shore_m(self, v: Vessel, lat: float, lon: float, cap: float) -> float: ...
