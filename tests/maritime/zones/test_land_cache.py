"""The land mask's on-disk index (``zones/land.py``): same answers as a fresh build, rebuilt
when missing, stale or damaged, and harmless when the cache folder cannot be written."""

from __future__ import annotations

import json
import random
from importlib import resources
from itertools import pairwise

import pytest

from bastion.maritime.zones import land
from bastion.maritime.zones.land import LandMask, cached_mask


def _topojson(offset: float = 0.0) -> bytes:
    """Two islands (one with a lake) as quantized TopoJSON: small enough to build at once."""
    def ring(points):  # absolute quantized points -> delta-encoded arc
        return [list(points[0])] + [[b[0] - a[0], b[1] - a[1]] for a, b in pairwise(points)]

    shift = int(offset * 100)
    island = [(100 + shift, 100), (400 + shift, 100), (400 + shift, 400), (100 + shift, 400),
              (100 + shift, 100)]
    lake = [(200 + shift, 200), (200 + shift, 300), (300 + shift, 300), (300 + shift, 200),
            (200 + shift, 200)]
    islet = [(600, 600), (650, 600), (650, 660), (600, 600)]
    topo = {"type": "Topology", "transform": {"scale": [0.01, 0.01], "translate": [110.0, 20.0]},
            "arcs": [ring(island), ring(lake), ring(islet)],
            "objects": {"land": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0], [1]]}, {"type": "Polygon", "arcs": [[2]]}]}}}
    return json.dumps(topo).encode()


def _answers(mask: LandMask, points) -> list:
    return [(mask.is_land(lat, lon), mask.shore_distance_m(lat, lon),
             mask.shore_distance_m(lat, lon, 2_000.0)) for lat, lon in points]


POINTS = [(20.0 + i / 37.0, 110.0 + j / 41.0) for i in range(0, 300, 7) for j in range(0, 300, 7)]


def test_a_loaded_index_answers_as_the_built_mask(tmp_path):
    built = cached_mask(_topojson(), folder=tmp_path)  # nothing cached yet: built and written
    written = list(tmp_path.iterdir())
    assert len(written) == 1 and written[0].suffix == ".index"
    loaded = cached_mask(_topojson(), folder=tmp_path)
    assert loaded is not built and len(loaded.polygons) == 2
    assert _answers(loaded, POINTS) == _answers(built, POINTS)
    assert loaded.is_land(21.5, 111.5) and not loaded.is_land(22.5, 112.5)  # the lake is water
    assert not loaded.is_land(19.0, 109.0) and loaded.shore_distance_m(19.0, 109.0) == 100_000


def test_the_shipped_mask_from_its_index_answers_as_built_from_the_topojson(tmp_path):
    data = resources.files("bastion.maritime.data").joinpath("land-10m.json").read_bytes()
    built = LandMask.from_topojson(data.decode())
    cached_mask(data, folder=tmp_path)
    loaded = cached_mask(data, folder=tmp_path)
    rng = random.Random(15)
    points = [(rng.uniform(-75, 75), rng.uniform(-180, 180)) for _ in range(300)]
    points += [(21.45 + rng.uniform(-1, 1), 111.9 + rng.uniform(-1, 1)) for _ in range(300)]
    assert _answers(loaded, points) == _answers(built, points)


def test_another_data_file_gets_its_own_index_and_the_old_one_goes(tmp_path):
    cached_mask(_topojson(), folder=tmp_path)
    first = set(tmp_path.iterdir())
    moved = cached_mask(_topojson(offset=5.0), folder=tmp_path)  # the islands 5 degrees east
    assert set(tmp_path.iterdir()).isdisjoint(first) and len(list(tmp_path.iterdir())) == 1
    assert moved.is_land(21.5, 116.5) and not moved.is_land(21.5, 111.5)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "wrong-lengths"])
def test_a_damaged_index_is_rebuilt(tmp_path, damage):
    cached_mask(_topojson(), folder=tmp_path)
    (path,) = tmp_path.iterdir()
    data = path.read_bytes()
    header, body = data.split(b"\n", 1)
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x00not an index")
    else:
        fields = json.loads(header)
        fields["rings"][1] = [fields["rings"][1][0] - 1]  # offsets that miss the coordinates
        path.write_bytes(json.dumps(fields).encode() + b"\n" + body)
    mask = cached_mask(_topojson(), folder=tmp_path)
    assert mask.is_land(21.5, 111.5) and not mask.is_land(22.5, 112.5)
    assert path.read_bytes() == data  # written again, whole


def test_a_cache_folder_that_cannot_be_written_only_costs_the_build(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")  # mkdir fails, even as root
    mask = cached_mask(_topojson(), folder=blocker / "bastion")
    assert mask.is_land(21.5, 111.5)
    assert blocker.read_text().startswith("a file")


def test_natural_earth_land_uses_the_user_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    land.natural_earth_land.cache_clear()
    try:
        mask = land.natural_earth_land()
        assert mask.is_land(22.5, 112.5)
        (index,) = (tmp_path / "bastion").iterdir()
        assert index.name.startswith("natural-earth-10m-land-")
    finally:
        land.natural_earth_land.cache_clear()


def test_a_mask_without_land_is_all_sea():
    mask = LandMask([])
    assert not mask.is_land(21.5, 111.5)
    assert mask.shore_distance_m(21.5, 111.5, cap_m=5_000.0) == 5_000.0
