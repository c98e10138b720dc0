"""Learn anchorages and water from AIS history, the way Global Fishing Watch learns anchorages.

Anchorages (GFW anchorages, see ``settings``): for each vessel, find the periods when all its
positions stay within ``stationary_radius_m`` of the first for ``stationary_hours`` or more;
put each period in the grid cell of its mean position; a cell where ``anchorage_min_vessels``
distinct vessels lay stationary is an anchorage point, placed at the mean of those periods.

Water: a vessel moving between two fixes at ``water_min_knots`` or more was afloat along the
line between them; a cell that ``water_min_vessels`` distinct vessels crossed that way is water,
whatever the land mask says. Natural Earth 1:10m has no canals or harbour basins, so without
this every ship in the Suez Canal stands "on land".

Pure: positions in, cells out. The CLI and the service feed it from a recording or from the
stored positions, one vessel at a time in time order (``Learner.vessel``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bastion.core.geo import KNOT_MS, fast_m
from bastion.maritime.places.grid import Grid
from bastion.maritime.places.settings import PlaceSettings

Fix = tuple[float, float, float, float | None]  # t (epoch s), lat, lon, speed (kn) or None


@dataclass(frozen=True)
class Cell:
    """One learned cell: an anchorage point (at the mean stationary position) or water."""

    kind: str  # "anchorage" | "water"
    row: int
    col: int
    lat: float
    lon: float
    vessels: int
    first_t: float
    last_t: float


class Learner:
    """Accumulates vessels' histories; ``cells()`` says which cells qualify."""

    def __init__(self, settings: PlaceSettings | None = None) -> None:
        self.settings = s = settings or PlaceSettings()
        self.grid = Grid(s.cell_m)
        # cell -> {mmsi}, plus per-cell sums of the stationary periods' mean positions
        self._still: dict[tuple[int, int], set[int]] = defaultdict(set)
        self._still_sum: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
        self._crossed: dict[tuple[int, int], set[int]] = defaultdict(set)
        self._span: dict[tuple[str, tuple[int, int]], list[float]] = {}
        self.vessels = 0
        self.fixes = 0

    def _seen(self, kind: str, key: tuple[int, int], t0: float, t1: float) -> None:
        span = self._span.get((kind, key))
        if span is None:
            self._span[(kind, key)] = [t0, t1]
        else:
            span[0], span[1] = min(span[0], t0), max(span[1], t1)

    def vessel(self, mmsi: int, fixes: Sequence[Fix]) -> None:
        """One vessel's fixes in time order."""
        if not fixes:
            return
        s = self.settings
        self.vessels += 1
        self.fixes += len(fixes)
        still_s = s.stationary_hours * 3600
        radius = s.stationary_radius_m
        low, high = s.water_min_knots * KNOT_MS, s.water_max_knots * KNOT_MS
        run = [fixes[0]]
        prev = fixes[0]
        for fix in fixes[1:]:
            t, lat, lon, speed = fix
            if fast_m(run[0][1], run[0][2], lat, lon) <= radius:
                run.append(fix)
            else:
                self._close(mmsi, run, still_s)
                run = [fix]
            dt = t - prev[0]
            if dt > 0:
                d = fast_m(prev[1], prev[2], lat, lon)
                moving = (speed if speed is not None else d / dt / KNOT_MS) * KNOT_MS
                if low <= moving and d / dt <= high and d <= s.water_max_step_m:
                    for key in self.grid.along(prev[1], prev[2], lat, lon, d):
                        self._crossed[key].add(mmsi)
                        self._seen("water", key, prev[0], t)
            prev = fix
        self._close(mmsi, run, still_s)

    def _close(self, mmsi: int, run: list[Fix], still_s: float) -> None:
        if run[-1][0] - run[0][0] < still_s:
            return
        lat = sum(f[1] for f in run) / len(run)
        lon = sum(f[2] for f in run) / len(run)
        key = self.grid.key(lat, lon)
        self._still[key].add(mmsi)
        total = self._still_sum[key]
        total[0] += lat
        total[1] += lon
        total[2] += 1
        self._seen("anchorage", key, run[0][0], run[-1][0])

    def cells(self) -> list[Cell]:
        s = self.settings
        out = []
        still = self._still
        rings = s.anchorage_rings
        for key, mmsis in still.items():
            lat, lon, n = self._still_sum[key]
            if rings:  # distinct vessels stationary in this cell and those around it
                mmsis = set().union(*(still.get(k, ()) for k in
                                      self.grid.around(lat / n, lon / n, rings)))
            if len(mmsis) >= s.anchorage_min_vessels:
                span = self._span[("anchorage", key)]
                out.append(Cell("anchorage", *key, lat / n, lon / n, len(mmsis), *span))
        for key, mmsis in self._crossed.items():
            if len(mmsis) >= s.water_min_vessels:
                lat, lon = self.grid.centre(key)
                span = self._span[("water", key)]
                out.append(Cell("water", *key, lat, lon, len(mmsis), *span))
        return out


def learn(tracks: Iterable[tuple[int, Sequence[Fix]]],
          settings: PlaceSettings | None = None) -> list[Cell]:
    """Learned cells from ``(mmsi, fixes in time order)`` pairs."""
    learner = Learner(settings)
    for mmsi, fixes in tracks:
        learner.vessel(mmsi, fixes)
    return learner.cells()


def by_vessel(rows: Iterable[tuple[int, float, float, float, float | None]]
              ) -> list[tuple[int, list[Fix]]]:
    """``(mmsi, t, lat, lon, speed)`` rows in any order -> per-vessel fixes in time order."""
    tracks: dict[int, list[Fix]] = defaultdict(list)
    for mmsi, t, lat, lon, speed in rows:
        tracks[mmsi].append((t, lat, lon, speed))
    for fixes in tracks.values():
        fixes.sort(key=lambda f: f[0])
    return list(tracks.items())
