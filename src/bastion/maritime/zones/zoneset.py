"""Geofences from GeoJSON: restricted areas, controlled coast, port limits, anchorages.

A feed puts tens of thousands of fixes a second through ``at``; almost all of them are far from
every zone, so a whole-set bounding box answers first, then a 0.01-degree cell cache (cells
inside a zone or touching none are answered without geometry), and only fixes in a cell that a
zone boundary crosses get an exact point-in-polygon test against prepared geometry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from math import cos, floor, radians
from pathlib import Path

import shapely
from shapely import STRtree

from bastion.core.geo import M_PER_DEG

KINDS = ("restricted", "controlled_coast", "port", "anchorage")
PORT_KINDS = frozenset({"port", "anchorage"})
_CELL = 100  # cells per degree (0.01 degree, ~1.1 km)


@dataclass(frozen=True, eq=False)
class Zone:
    id: str
    name: str
    kind: str
    geometry: shapely.Geometry = field(repr=False)
    properties: dict = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "kind": self.kind}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "zone"


class ZoneSet:
    """An immutable set of zones with fast point lookups."""

    def __init__(self, zones: Iterable[Zone]) -> None:
        self.zones: tuple[Zone, ...] = tuple(zones)
        ids = [z.id for z in self.zones]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate zone ids: {sorted(i for i in ids if ids.count(i) > 1)}")
        geoms = [z.geometry for z in self.zones]
        shapely.prepare(geoms)
        self._tree = STRtree(geoms)
        # Plain floats: compared against every fix, and numpy scalars are slow one at a time.
        self.bounds = tuple(float(b) for b in shapely.total_bounds(geoms)) if geoms else None
        self._cells: dict[tuple[int, int], tuple[tuple[Zone, ...], tuple[Zone, ...]]] = {}
        self.by_id = {z.id: z for z in self.zones}

    def __len__(self) -> int:
        return len(self.zones)

    @classmethod
    def from_geojson(cls, data: dict) -> ZoneSet:
        """A FeatureCollection; each feature needs ``name`` and ``kind`` (one of ``KINDS``)."""
        if data.get("type") != "FeatureCollection":
            raise ValueError("zones must be a GeoJSON FeatureCollection")
        zones = []
        for index, feature in enumerate(data.get("features", [])):
            props = feature.get("properties") or {}
            kind = props.get("kind")
            if kind not in KINDS:
                raise ValueError(f"feature {index}: kind {kind!r} is not one of {KINDS}")
            name = str(props.get("name") or f"zone {index}")
            geometry = shapely.from_geojson(json.dumps(feature["geometry"]))
            if geometry.geom_type not in ("Polygon", "MultiPolygon") or not geometry.is_valid:
                raise ValueError(f"feature {index} ({name}): needs a valid (Multi)Polygon")
            zones.append(Zone(id=str(props.get("id") or _slug(name)), name=name, kind=kind,
                              geometry=geometry, properties=props))
        return cls(zones)

    @classmethod
    def load(cls, path: str | Path) -> ZoneSet:
        return cls.from_geojson(json.loads(Path(path).read_text(encoding="utf-8")))

    def _cell(self, lat: float, lon: float) -> tuple[tuple[Zone, ...], tuple[Zone, ...]]:
        key = (floor(lat * _CELL), floor(lon * _CELL))
        hit = self._cells.get(key)
        if hit is None:
            box = shapely.box(key[1] / _CELL, key[0] / _CELL, (key[1] + 1) / _CELL,
                              (key[0] + 1) / _CELL)
            inside, partial = [], []
            for index in sorted(self._tree.query(box)):
                zone = self.zones[index]
                if zone.geometry.contains(box):
                    inside.append(zone)
                elif zone.geometry.intersects(box):
                    partial.append(zone)
            hit = self._cells[key] = (tuple(inside), tuple(partial))
        return hit

    def at(self, lat: float, lon: float) -> tuple[Zone, ...]:
        """Zones covering the point (a point on the boundary is inside), in file order."""
        b = self.bounds
        if b is None or not (b[1] <= lat <= b[3] and b[0] <= lon <= b[2]):
            return ()
        inside, partial = self._cell(lat, lon)
        if not partial:
            return inside
        found = inside + tuple(z for z in partial if shapely.intersects_xy(z.geometry, lon, lat))
        return tuple(z for z in self.zones if z in found)

    def in_kinds(self, lat: float, lon: float, kinds: frozenset[str] = PORT_KINDS) -> bool:
        return any(z.kind in kinds for z in self.at(lat, lon))

    def distance_m(self, lat: float, lon: float, kinds: frozenset[str] = PORT_KINDS) -> float:
        """Metres to the nearest zone of ``kinds`` (0 inside one, inf if the set has none)."""
        scale = cos(radians(lat))
        point = shapely.Point(0.0, 0.0)
        best = float("inf")
        for zone in self.zones:
            if zone.kind not in kinds:
                continue
            local = shapely.transform(zone.geometry,
                                      lambda xy: (xy - (lon, lat)) * (scale, 1.0))
            best = min(best, shapely.distance(local, point) * M_PER_DEG)
        return best
