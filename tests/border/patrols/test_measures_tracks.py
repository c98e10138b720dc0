"""How the measures read a chunk's kept fixes: the JSON text of its points straight into
numpy, with the general JSON reader for anything that is not four numbers a fix. Either way
the result is ``tracks.kept_lines``'s."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bastion.border.patrols.measures import _kept_lonlat
from bastion.border.patrols.tracks import kept_lines


class Chunk:  # what kept_lines reads of a TrackChunk
    def __init__(self, points, removed):
        self.points, self.removed = points, removed


CASES = [
    ([[1.7e9, 106.123456789012345, 22.9, 8.0], [1.7e9 + 10, 106.2, 22.91, None],
      [1.7e9 + 20, 1.5e-05, -3e-7, 12.5]], []),
    ([[1.7e9 + k, 106.0 + k / 1e4, 22.9 - k / 1e4, None] for k in range(50)],
     [[0, "outlier"], [7, "speed"], [49, "time"], [7, "speed"]]),
    ([[1.7e9, 106.1, 22.9]], []),  # three numbers: the general reader
    ([[1.7e9, 106.1, 22.9, 5.0], [1.7e9 + 5, 106.2, 22.8]], [[1, "accuracy"]]),  # mixed
    ([[1.7e9, 106.1, 22.9, None]], [[0, "outlier"]]),  # nothing kept
    ([], []),
]


@pytest.mark.parametrize(("points", "removed"), CASES)
def test_same_as_kept_lines(points, removed):
    got = _kept_lonlat(json.dumps(points), removed)
    want = np.asarray(kept_lines([Chunk(points, removed)])[0], dtype=float).reshape(-1, 2)
    assert got.shape == want.shape
    assert np.array_equal(got, want)  # bit for bit: the figures must not move
