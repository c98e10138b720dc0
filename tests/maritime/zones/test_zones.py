"""Zones and land mask on the shipped data: the demo zones, Natural Earth land, shore distance."""

from __future__ import annotations

import pytest

from bastion.maritime.zones import ZoneSet, demo_zones, fast_m, haversine_m, natural_earth_land


def test_demo_zones_cover_the_four_kinds_near_zhapo():
    zones = demo_zones()
    assert {z.kind for z in zones.zones} == {"port", "anchorage", "restricted", "controlled_coast"}
    minx, miny, maxx, maxy = zones.bounds
    assert 111.7 <= minx and maxx <= 112.2 and 21.5 <= miny and maxy <= 21.9
    assert [z.id for z in zones.at(21.575, 111.80)] == ["zhapo-port"]
    assert [z.id for z in zones.at(21.52, 111.735)] == ["restricted-sw"]
    assert zones.at(21.45, 111.90) == ()  # open sea south of the demo area
    assert zones.at(40.0, -74.0) == ()  # far outside the set's bounding box


def test_zone_lookup_agrees_with_shapely_on_a_grid():
    zones = demo_zones()
    for i in range(60):
        for j in range(60):
            lat, lon = 21.49 + i * 0.007, 111.69 + j * 0.009
            expected = [z.id for z in zones.zones if z.geometry.covers(
                __import__("shapely").Point(lon, lat))]
            assert [z.id for z in zones.at(lat, lon)] == expected


def test_zoneset_refuses_unknown_kinds_and_duplicate_ids():
    feature = {"type": "Feature", "properties": {"name": "x", "kind": "harbour"},
               "geometry": {"type": "Polygon",
                            "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}
    with pytest.raises(ValueError, match="kind"):
        ZoneSet.from_geojson({"type": "FeatureCollection", "features": [feature]})
    feature["properties"]["kind"] = "port"
    with pytest.raises(ValueError, match="duplicate"):
        ZoneSet.from_geojson({"type": "FeatureCollection", "features": [feature, feature]})


def test_distance_to_port_zones():
    zones = demo_zones()
    assert zones.distance_m(21.575, 111.80) == 0.0
    # 0.1 degree due south of the anchorage's southern edge (21.52N): about 11.1 km.
    assert zones.distance_m(21.42, 112.0) == pytest.approx(11_120, rel=0.01)


def test_land_mask_on_the_guangdong_coast():
    land = natural_earth_land()
    assert land.is_land(21.62, 111.90)  # Hailing Island
    assert land.is_land(22.5, 112.5)  # inland Guangdong
    assert not land.is_land(21.45, 111.90)  # South China Sea
    assert not land.is_land(0.0, -30.0)  # mid-Atlantic


def test_shore_distance_is_a_true_distance_and_capped():
    land = natural_earth_land()
    near = land.shore_distance_m(21.45, 111.90)
    assert 5_000 < near < 30_000
    # Moving 1 km cannot change the distance to shore by more than 1 km (1-Lipschitz).
    moved = land.shore_distance_m(21.459, 111.90)
    assert abs(near - moved) <= 1_000 + 1
    assert land.shore_distance_m(0.0, -30.0, cap_m=50_000) == 50_000


def test_fast_distance_matches_haversine():
    for lat in (0.0, 21.6, 45.0, 60.0):
        for d in (0.001, 0.01, 0.2):
            assert fast_m(lat, 10.0, lat + d, 10.0 + d) == pytest.approx(
                haversine_m(lat, 10.0, lat + d, 10.0 + d), rel=0.005)
