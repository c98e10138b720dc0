"""The shipped basemap follows Chinese usage: Taiwan, Hong Kong and Macao are part of China's
one polygon, with no national boundary between them and the mainland (Natural Earth draws them
as countries; scripts/build-basemap.py dissolves them)."""

from __future__ import annotations

import json
import os
import runpy
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

ROOT = Path(__file__).resolve().parents[2]
BASEMAP = ROOT / "src" / "bastion" / "web" / "static" / "maps" / "south-china-coast-ne10m.geojson"
# world-atlas' 10m files, where the development machines keep a copy (the build reads them)
WORLD_ATLAS = next((p for p in (Path(os.environ.get("BASTION_WORLD_ATLAS", "/nonexistent")),
                                ROOT.parent / "shared" / "data" / "reference" / "geo",
                                ROOT.parent.parent / "shared" / "data" / "reference" / "geo",
                                ROOT / "frontend" / "node_modules" / "world-atlas")
                    if (p / "countries-10m.json").exists()), ROOT / "missing")

TAIPEI, HONG_KONG, MACAO = Point(121.565, 25.033), Point(114.17, 22.32), Point(113.55, 22.19)
# On Natural Earth's Hong Kong - Shenzhen boundary (Sham Chun River) and in Kinmen.
SHENZHEN_RIVER, KINMEN = Point(114.15, 22.535), Point(118.38, 24.45)


def _features() -> list[dict]:
    return json.loads(BASEMAP.read_text())["features"]


def test_one_china_polygon_holds_taipei_hong_kong_and_macao():
    admin0 = [f for f in _features() if f["properties"]["layer"] == "admin0"]
    names = [f["properties"]["name"] for f in admin0]
    assert names.count("China") == 1
    assert not set(names) & {"Taiwan", "Hong Kong", "Macao", "Macau", "Scarborough Reef"}
    china = shape(next(f for f in admin0 if f["properties"]["name"] == "China")["geometry"])
    for point in (TAIPEI, HONG_KONG, MACAO, KINMEN, Point(113.26, 23.13)):  # and Guangzhou
        assert china.contains(point), point
    # no boundary where Natural Earth has one: the river point lies inside, off every edge
    assert china.contains(SHENZHEN_RIVER) and china.boundary.distance(SHENZHEN_RIVER) > 0.001


def test_no_land_border_between_the_mainland_and_hong_kong_macao_or_taiwan():
    borders = [f["properties"] for f in _features() if f["properties"]["layer"] == "land_border"]
    assert borders, "the real land borders are still drawn"
    for border in borders:
        assert not set(border["countries"]) & {"Taiwan", "Hong Kong", "Macao"}, border["name"]
    assert any(set(b["countries"]) == {"China", "Vietnam"} for b in borders)


@pytest.mark.skipif(not (WORLD_ATLAS / "countries-10m.json").exists(),
                    reason="world-atlas 10m files not on this machine")
def test_the_build_script_makes_the_shipped_file():
    build = runpy.run_path(str(ROOT / "scripts" / "build-basemap.py"))["build"]
    built = build(WORLD_ATLAS)
    shipped = json.loads(BASEMAP.read_text())
    assert [f["properties"] for f in built["features"]] == \
        [f["properties"] for f in shipped["features"]]
    assert json.loads(json.dumps(built["features"][2]["geometry"])) == \
        shipped["features"][2]["geometry"]
