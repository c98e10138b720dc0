"""Land mask and distance to shore from Natural Earth 1:10m land (shipped as package data).

Why vector polygons and not ``global-land-mask``: that package's 1 km GLOBE raster unpacks to a
933 MB boolean array (21,600 x 43,200), too much for a laptop next to the rest of Bastion, and it
gives no distance to shore. Measured on real fixes (every one of them is afloat), the share
called "land": MarineCadastre 2022-01-03, 99,999 fixes: global-land-mask 80.6 %, Natural Earth
10m 66.9 % (38.2 % at least 2 km inland); fixes moving > 3 kn: 49.1 % vs 41.5 %; Suez 2021-03,
22,287 fixes: 41.9 % vs 40.5 %. Both lack rivers, lakes and harbour basins, Natural Earth a bit
less so, which is why ``on_land`` wants 2 km inland and a vessel once seen at sea.

Lookups are cached per 0.1-degree cell: a cell that touches no land polygon is sea, a cell inside
one is land, and only the mixed (coastal) cells pay for an exact point-in-polygon test.

Start-up: decoding the 3 MB TopoJSON and indexing 405,000 coastline segments took 2.2 s of every
process that loads the mask (``bastion ais replay`` included). The built index is plain arrays,
so ``natural_earth_land`` keeps it in the user's cache folder (``core/cache.py``) under the data
file's hash and loads it in milliseconds; a missing, stale or unreadable file is rebuilt, and a
cache folder that cannot be written only costs the build (``bench/ais_process.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from importlib import resources
from math import cos, floor, radians
from pathlib import Path

import numpy as np
import shapely
from shapely import STRtree

from bastion.core.cache import cache_dir
from bastion.core.geo import M_PER_DEG

_CELL = 10  # cells per degree for the land cache (0.1 degree, ~11 km)
_SEG_CELL = 10  # cells per degree of the coastline-segment grid used by the shore search
_KEY = 1 << 16  # grid key = row * _KEY + col: sorted keys are sorted (row, col) (|col| < 2**15)
_SEA, _LAND = 0, 1
# Bump when the arrays written by ``_save`` change meaning: older files are then not read.
_FORMAT = 1
_ARRAYS = ("coords", "rings", "polygons", "seg_keys", "seg_starts", "seg_ids")


def _decode_topojson(topo: dict, name: str) -> list[shapely.Polygon]:
    """TopoJSON (quantized, delta-encoded arcs) object ``name`` to shapely polygons."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        xy = np.cumsum(np.asarray(arc, dtype=np.float64), axis=0)
        arcs.append(np.column_stack((xy[:, 0] * sx + tx, xy[:, 1] * sy + ty)))

    def ring(indexes: list[int]) -> np.ndarray:
        parts = []
        for i, index in enumerate(indexes):
            coords = arcs[index] if index >= 0 else arcs[~index][::-1]
            parts.append(coords if i == 0 else coords[1:])
        return np.concatenate(parts)

    polygons = []
    for geometry in topo["objects"][name]["geometries"]:
        shapes = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for rings in shapes:
            built = [ring(r) for r in rings]
            polygons.append(shapely.Polygon(built[0], built[1:]))
    return polygons


def _segment_starts(coords: np.ndarray, rings: np.ndarray) -> np.ndarray:
    """Each coastline segment as the index of its first point (it ends at the next point):
    every point of every ring but the closing one, ring after ring."""
    keep = np.ones(len(coords) - 1 if len(coords) else 0, dtype=bool)
    keep[rings[1:-1] - 1] = False  # the pair joining one ring's last point to the next ring's first
    return np.flatnonzero(keep)


def _grid_index(coords: np.ndarray, rings: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coastline segments per grid cell: (sorted cell keys, start of each cell's run in ids, ids).

    A segment is listed in every cell its bounding box spans; ``ids[starts[i]:starts[i + 1]]``
    are the segments of cell ``keys[i]``, each as the index of its first point in ``coords``.
    """
    first = _segment_starts(coords, rings)
    seg = np.column_stack((coords[first], coords[first + 1]))
    rows0 = np.floor(np.minimum(seg[:, 1], seg[:, 3]) * _SEG_CELL).astype(np.int64)
    rows1 = np.floor(np.maximum(seg[:, 1], seg[:, 3]) * _SEG_CELL).astype(np.int64)
    cols0 = np.floor(np.minimum(seg[:, 0], seg[:, 2]) * _SEG_CELL).astype(np.int64)
    cols1 = np.floor(np.maximum(seg[:, 0], seg[:, 2]) * _SEG_CELL).astype(np.int64)
    width = cols1 - cols0 + 1
    cells = (rows1 - rows0 + 1) * width
    ids = np.repeat(np.arange(len(seg)), cells)
    k = np.arange(len(ids)) - np.repeat(np.cumsum(cells) - cells, cells)  # cell within box
    keys = (rows0[ids] + k // width[ids]) * _KEY + cols0[ids] + k % width[ids]
    order = np.argsort(keys, kind="stable")
    keys, ids = keys[order], first[ids[order]]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else \
        np.zeros(0, np.int64)
    return keys[starts], np.r_[starts, len(ids)].astype(np.int64), ids


class LandMask:
    """Is a position on land, and how far is it from the coastline (metres)."""

    def __init__(self, polygons: list[shapely.Polygon]) -> None:
        polygons = list(polygons)
        _kind, coords, (rings, parts) = shapely.to_ragged_array(polygons) if polygons else (
            None, np.empty((0, 2)), (np.zeros(1, np.int64), np.zeros(1, np.int64)))
        self._setup(polygons, coords, rings, parts)

    def _setup(self, polygons: list[shapely.Polygon], coords: np.ndarray, rings: np.ndarray,
               parts: np.ndarray,
               grid: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> None:
        self.polygons = polygons
        shapely.prepare(polygons)
        self._tree = STRtree(polygons)
        # The ragged arrays of the polygons (coordinates, ring and polygon offsets), kept to
        # write the on-disk index without walking the polygons again.
        self._coords, self._rings, self._parts = coords, rings, parts
        self._seg_keys, self._seg_starts, self._seg_ids = grid or _grid_index(coords, rings)
        self._cells: dict[tuple[int, int], object] = {}

    @classmethod
    def from_topojson(cls, path_or_text: str, name: str = "land") -> LandMask:
        text = path_or_text if path_or_text.lstrip().startswith("{") else open(path_or_text).read()  # noqa: SIM115
        return cls(_decode_topojson(json.loads(text), name))

    # -- the on-disk index ----------------------------------------------------------------------
    def _save(self, path: Path) -> None:
        """Write the arrays (atomically: a reader sees the old file, the new one or none).

        One JSON header line naming each array's dtype, shape and place, then the raw bytes:
        read back with one read and no copy (``np.load`` of an ``.npz`` took 4x longer).
        """
        arrays = dict(zip(_ARRAYS, (self._coords, self._rings, self._parts, self._seg_keys,
                                    self._seg_starts, self._seg_ids), strict=True))
        header, at = {}, 0
        for name, array in arrays.items():
            array = arrays[name] = np.ascontiguousarray(array)
            header[name] = [array.dtype.str, list(array.shape), at]
            at += array.nbytes
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".land-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(json.dumps(header).encode() + b"\n")
                for array in arrays.values():
                    out.write(array.data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def _load(cls, path: Path) -> LandMask:
        """The mask from ``_save``'s file; ValueError when its arrays do not fit together."""
        data = path.read_bytes()
        end = data.find(b"\n")
        header = json.loads(data[:end])
        body = memoryview(data)[end + 1:]
        a = {}
        for name in _ARRAYS:
            dtype, shape, at = header[name]
            dtype = np.dtype(dtype)
            if dtype.kind not in "if":
                raise ValueError(f"{path}: {name} is not numbers")
            count = int(np.prod(shape))
            a[name] = np.frombuffer(body, dtype, count, at).reshape(shape)
        coords, rings, polygons = a["coords"], a["rings"], a["polygons"]
        keys, starts, ids = a["seg_keys"], a["seg_starts"], a["seg_ids"]
        if coords.ndim != 2 or coords.shape[1] != 2 or not len(rings) or \
                rings[-1] != len(coords) or not len(polygons) or polygons[-1] != len(rings) - 1 or \
                len(starts) != len(keys) + 1 or starts[-1] != len(ids) or \
                (len(ids) and not 0 <= ids.min() <= ids.max() < len(coords) - 1):
            raise ValueError(f"{path}: the arrays do not fit together")
        geometries = shapely.from_ragged_array(shapely.GeometryType.POLYGON, coords,
                                               (rings, polygons))
        mask = cls.__new__(cls)
        mask._setup(list(geometries), coords, rings, polygons, (keys, starts, ids))
        return mask

    # -- lookups --------------------------------------------------------------------------------
    def _cell(self, lat: float, lon: float) -> object:
        key = (floor(lat * _CELL), floor(lon * _CELL))
        state = self._cells.get(key)
        if state is None:
            box = shapely.box(key[1] / _CELL, key[0] / _CELL, (key[1] + 1) / _CELL,
                              (key[0] + 1) / _CELL)
            state = _SEA
            mixed = []
            for index in self._tree.query(box):
                polygon = self.polygons[index]
                if polygon.contains(box):
                    state = _LAND
                    break
                if polygon.intersects(box):
                    mixed.append(int(index))
            if state == _SEA and mixed:
                state = tuple(mixed)
            self._cells[key] = state
        return state

    def is_land(self, lat: float, lon: float) -> bool:
        state = self._cell(lat, lon)
        if state is _SEA or state is _LAND:
            return state is _LAND
        polygons = self.polygons
        return any(shapely.contains_xy(polygons[i], lon, lat) for i in state)

    def shore_distance_m(self, lat: float, lon: float, cap_m: float = 100_000.0) -> float:
        """Distance to the nearest coastline in metres (on land or at sea); ``cap_m`` if farther."""
        scale = max(cos(radians(lat)), 0.01)
        dlat = cap_m / M_PER_DEG
        dlon = min(dlat / scale, 180.0)
        # Per grid row, the cells from the west to the east edge are one run of sorted keys.
        rows = np.arange(floor((lat - dlat) * _SEG_CELL), floor((lat + dlat) * _SEG_CELL) + 1)
        west, east = floor((lon - dlon) * _SEG_CELL), floor((lon + dlon) * _SEG_CELL)
        keys = self._seg_keys
        first = keys.searchsorted(rows * _KEY + west)
        last = keys.searchsorted(rows * _KEY + east, side="right")
        starts = self._seg_starts
        runs = [(starts[a], starts[b]) for a, b in zip(first.tolist(), last.tolist(),
                                                        strict=True) if b > a]
        if not runs:
            return cap_m
        ids = self._seg_ids
        found = ids[runs[0][0]:runs[0][1]] if len(runs) == 1 else \
            np.concatenate([ids[a:b] for a, b in runs])
        coords = self._coords
        a, b = coords[found], coords[found + 1]
        # Local equirectangular frame centred on the point, in degrees of latitude.
        ax = (a[:, 0] - lon) * scale
        ay = a[:, 1] - lat
        bx = (b[:, 0] - lon) * scale
        by = b[:, 1] - lat
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        length2[length2 == 0] = 1e-18
        t = np.clip(-(ax * dx + ay * dy) / length2, 0.0, 1.0)
        px, py = ax + t * dx, ay + t * dy
        best = float(np.sqrt((px * px + py * py).min())) * M_PER_DEG
        return min(best, cap_m)


def cached_mask(data: bytes, name: str = "land", folder: Path | None = None,
                stem: str = "land") -> LandMask:
    """The mask of TopoJSON ``data``, from the cache folder when an index of these very bytes
    is there, else built (and written there when the folder can be written)."""
    digest = hashlib.sha256(data).hexdigest()[:32]
    folder = cache_dir() if folder is None else folder
    path = folder / f"{stem}-{name}-{digest}-v{_FORMAT}.index"
    try:
        return LandMask._load(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError):
        pass  # unreadable or damaged (e.g. a truncated copy): built again and replaced below
    mask = LandMask(_decode_topojson(json.loads(data), name))
    try:
        mask._save(path)
        for old in folder.glob(f"{stem}-{name}-*.index"):  # indexes of earlier data files
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full cache folder: this process keeps its built mask
    return mask


@cache
def natural_earth_land() -> LandMask:
    """The shipped Natural Earth 10m land mask, loaded once per process (from the cache folder
    in ~0.05 s; about 2 s to build when the cache has no index of this data file)."""
    data = resources.files("bastion.maritime.data").joinpath("land-10m.json").read_bytes()
    return cached_mask(data, stem="natural-earth-10m")
