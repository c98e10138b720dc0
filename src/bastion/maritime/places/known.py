"""The places a risk engine knows without anyone drawing them: ports, anchorages, water.

``Places`` answers three questions on the detectors' path: how far is the nearest known port or
learned anchorage (``anchorage_m``), is a fix at one (``near``), and did many vessels cross this
water at speed (``is_water``). Ports and anchorage points sit in 0.1-degree buckets, so a
question looks at a handful of points; water is a set of grid cells.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from math import cos, floor, radians

from bastion.core.geo import M_PER_DEG, fast_m
from bastion.maritime.places.grid import Grid
from bastion.maritime.places.learn import Cell
from bastion.maritime.places.settings import PlaceSettings

PORTS_FILE = "unlocode-ports.csv"
_BUCKET = 10  # buckets per degree (0.1 degree, ~11 km)
_SEARCH_M = 50_000.0  # anchorage_m looks this far; beyond, "none known" (inf)


@dataclass(frozen=True)
class Port:
    locode: str
    name: str
    lat: float
    lon: float


@cache
def unlocode_ports() -> tuple[Port, ...]:
    """Ports (function 1) of the shipped UN/LOCODE extract, UNECE's own positions only."""
    text = resources.files("bastion.maritime.data").joinpath(PORTS_FILE).read_text("utf-8")
    return tuple(Port(r["locode"], r["name"], float(r["lat"]), float(r["lon"]))
                 for r in csv.DictReader(text.splitlines()))


class Places:
    """Ports (circles of ``port_radius_m``), learned anchorage points and learned water."""

    def __init__(self, ports: Iterable[Port] = (), cells: Iterable[Cell] = (),
                 settings: PlaceSettings | None = None) -> None:
        self.settings = s = settings or PlaceSettings()
        self.grid = Grid(s.cell_m)
        self.port_radius_m = s.port_radius_m
        self.near_m = s.near_m
        # bucket -> [(lat, lon, radius, reach)] for ports and anchorage points alike: distance
        # counts from the edge (radius); "at" it means within reach of the centre.
        self._points: dict[tuple[int, int], list[tuple[float, float, float, float]]] = \
            defaultdict(list)
        self.ports = tuple(ports)
        self._reach = max(s.port_radius_m, s.near_m)  # the widest reach of any point
        self.anchorages: list[Cell] = []
        self.water: set[tuple[int, int]] = set()
        for port in self.ports:
            self._add(port.lat, port.lon, s.port_radius_m, s.port_radius_m)
        for cell in cells:
            if cell.kind == "anchorage":
                self.anchorages.append(cell)
                self._add(cell.lat, cell.lon, 0.0, s.near_m)
            elif cell.kind == "water":  # keyed again: stored rows keep the centre only
                self.water.add(self.grid.key(cell.lat, cell.lon))

    @classmethod
    def known(cls, cells: Iterable[Cell] = (), settings: PlaceSettings | None = None) -> Places:
        """The shipped ports and the given learned cells."""
        return cls(unlocode_ports(), cells, settings)

    def _add(self, lat: float, lon: float, radius: float, reach: float) -> None:
        self._points[(floor(lat * _BUCKET), floor(lon * _BUCKET))].append((lat, lon, radius,
                                                                           reach))

    def __len__(self) -> int:
        return len(self.ports) + len(self.anchorages) + len(self.water)

    def _around(self, lat: float, lon: float, cap: float):
        dlat = (cap + self._reach) / M_PER_DEG
        dlon = min(dlat / max(cos(radians(lat)), 0.01), 180.0)
        points = self._points
        for r in range(floor((lat - dlat) * _BUCKET), floor((lat + dlat) * _BUCKET) + 1):
            for c in range(floor((lon - dlon) * _BUCKET), floor((lon + dlon) * _BUCKET) + 1):
                yield from points.get((r, c), ())

    def anchorage_m(self, lat: float, lon: float, cap: float = _SEARCH_M) -> float:
        """Metres to the nearest known port (its circle; 0 inside) or learned anchorage point;
        ``inf`` when none lies within ``cap`` (50 km unless told)."""
        best = float("inf")
        for plat, plon, radius, _reach in self._around(lat, lon, cap):
            best = min(best, fast_m(lat, lon, plat, plon) - radius)
        return float("inf") if best > cap else max(best, 0.0)

    def near(self, lat: float, lon: float) -> bool:
        """At a port or an anchorage: inside a port's circle or within ``near_m`` of an
        anchorage point."""
        return any(fast_m(lat, lon, plat, plon) <= reach
                   for plat, plon, _radius, reach in self._around(lat, lon, self.near_m))

    def is_water(self, lat: float, lon: float) -> bool:
        """The fix's cell or one next to it was crossed at speed by enough distinct vessels."""
        water = self.water
        return bool(water) and any(key in water for key in self.grid.around(lat, lon))
