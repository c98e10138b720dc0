"""A near-equal-area grid of square-ish cells a few hundred metres across (S2-like).

Rows are fixed steps of latitude; each row's columns are steps of longitude scaled by the
cosine of the row's mid latitude, so a cell is ``cell_m`` on a side wherever it is (as S2's
cells are nearly equal in area). Keys are ``(row, col)`` integer pairs: stored as two columns,
looked up in a set.
"""

from __future__ import annotations

from collections.abc import Iterator
from math import ceil, cos, floor, radians

from bastion.core.geo import M_PER_DEG


class Grid:
    def __init__(self, cell_m: float) -> None:
        if not 50 <= cell_m <= 50_000:
            raise ValueError(f"cell_m {cell_m} is outside 50-50,000 m")
        self.cell_m = cell_m
        self.step = cell_m / M_PER_DEG  # degrees of latitude per row
        self._scale: dict[int, float] = {}

    def _row_scale(self, row: int) -> float:
        scale = self._scale.get(row)
        if scale is None:
            mid = (row + 0.5) * self.step
            scale = self._scale[row] = self.step / max(cos(radians(mid)), 0.01)
        return scale

    def key(self, lat: float, lon: float) -> tuple[int, int]:
        row = floor(lat / self.step)
        return row, floor(lon / self._row_scale(row))

    def centre(self, key: tuple[int, int]) -> tuple[float, float]:
        row, col = key
        return (row + 0.5) * self.step, (col + 0.5) * self._row_scale(row)

    def around(self, lat: float, lon: float, rings: int = 1) -> Iterator[tuple[int, int]]:
        """The cell of the point and the cells within ``rings`` of it (by position, so the
        neighbours in the next row are the ones that overlap in longitude)."""
        row = floor(lat / self.step)
        for r in range(row - rings, row + rings + 1):
            col = floor(lon / self._row_scale(r))
            for c in range(col - rings, col + rings + 1):
                yield r, c

    def along(self, lat0: float, lon0: float, lat1: float, lon1: float,
              length_m: float) -> set[tuple[int, int]]:
        """Cells a straight segment passes through (sampled every half cell)."""
        n = max(1, ceil(2 * length_m / self.cell_m))
        return {self.key(lat0 + (lat1 - lat0) * i / n, lon0 + (lon1 - lon0) * i / n)
                for i in range(n + 1)}
