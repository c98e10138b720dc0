"""GCJ-02 <-> WGS-84: published pairs, round trips under 1 cm, identity outside China."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.core.geo import geodesic_m
from bastion.core.geo.gcj02 import gcj02_to_wgs84, in_china_box, wgs84_to_gcj02

# gcoord (hujiulong/gcoord, test/unit/crs/WGS84.spec.ts and GCJ02.spec.ts), to 1e-6 degree
PUBLISHED = [
    # (direction, input lon, lat, expected lon, lat)
    ("forward", 123.0, 45.0, 123.00607541, 45.00197815),
    ("inverse", 123.0, 45.0, 122.99395597, 44.99804071),
]


@pytest.mark.parametrize(("direction", "lon", "lat", "want_lon", "want_lat"), PUBLISHED)
def test_published_pairs(direction, lon, lat, want_lon, want_lat):
    convert = wgs84_to_gcj02 if direction == "forward" else gcj02_to_wgs84
    got_lon, got_lat = convert(lon, lat)
    assert got_lon == pytest.approx(want_lon, abs=5e-7)
    assert got_lat == pytest.approx(want_lat, abs=5e-7)


def test_the_shift_on_the_vietnam_border_is_hundreds_of_metres():
    # Youyi Guan (友谊关), Pingxiang: Chinese maps show it a few hundred metres off
    lon, lat = 106.7575, 22.0153
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    assert 200 < geodesic_m(lat, lon, g_lat, g_lon) < 700
    back = gcj02_to_wgs84(g_lon, g_lat)
    assert geodesic_m(lat, lon, back[1], back[0]) < 0.01


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=73.0, max_value=135.0), st.floats(min_value=3.0, max_value=53.5))
def test_round_trip_inside_china_within_a_centimetre(lon, lat):
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    w_lon, w_lat = gcj02_to_wgs84(g_lon, g_lat)
    assert geodesic_m(lat, lon, w_lat, w_lon) < 0.01
    # and the other way: a GCJ-02 point comes back to itself
    r_lon, r_lat = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
    assert geodesic_m(lat, lon, r_lat, r_lon) < 0.01


@pytest.mark.parametrize(("lon", "lat"), [
    (2.3522, 48.8566),  # Paris
    (-74.006, 40.7128),  # New York
    (151.2093, -33.8688),  # Sydney
    (183.0, 45.0),  # beyond the box east (gcoord's case)
    (105.0, 60.0),  # Siberia, north of the box
    (71.9, 30.0),  # west of the box
])
def test_outside_china_untouched(lon, lat):
    assert not in_china_box(lon, lat)
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)


def test_inside_the_box_moves():
    assert in_china_box(106.7575, 22.0153)
    assert wgs84_to_gcj02(106.7575, 22.0153) != (106.7575, 22.0153)
