"""Learning anchorages and water from the real Suez recording, and the shipped ports."""

from __future__ import annotations

from functools import cache

import pytest
from tests.maritime.places.suez import fixes, half

from bastion.maritime.places import Cell, Learner, Places, PlaceSettings, learn, unlocode_ports
from bastion.maritime.zones import natural_earth_land

SUEZ_BAY = (29.75, 32.40, 29.97, 32.62)  # south, west, north, east
PORT_SAID = (31.15, 32.15, 31.85, 32.70)  # port and its anchorage
CANAL = (29.93, 32.25, 31.17, 32.62)  # the canal's port limits, lakes included


def _inside(cell: Cell, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= cell.lat <= box[2] and box[1] <= cell.lon <= box[3]


@cache
def early_cells() -> tuple[Cell, ...]:
    return tuple(learn((mmsi, fixes(track)) for mmsi, track in half(True).items()))


def test_anchorages_learned_from_real_tracks_lie_where_ships_wait():
    anchorages = [c for c in early_cells() if c.kind == "anchorage"]
    assert len(anchorages) >= 30
    assert all(c.vessels >= PlaceSettings().anchorage_min_vessels for c in anchorages)
    # Every learned anchorage point is in Suez Bay, off Port Said or in the canal's waters
    # (the Great Bitter Lake, where convoys wait): none out in the desert or the open sea.
    assert all(_inside(c, SUEZ_BAY) or _inside(c, PORT_SAID) or _inside(c, CANAL)
               for c in anchorages)
    assert sum(_inside(c, SUEZ_BAY) for c in anchorages) >= 20
    assert sum(_inside(c, PORT_SAID) for c in anchorages) >= 5


def test_water_learned_from_traffic_covers_the_canal_that_the_land_mask_calls_land():
    water = [c for c in early_cells() if c.kind == "water"]
    land = natural_earth_land()
    canal = [c for c in water if land.is_land(c.lat, c.lon)]
    assert len(canal) >= 150  # 1 km cells along a 160 km canal the 1:10m land fills
    assert all(_inside(c, CANAL) or _inside(c, PORT_SAID) for c in canal)  # its channel
    places = Places(cells=early_cells())
    # Ismailia's stretch of the canal (real fixes of the later half): land, but learned water.
    assert land.is_land(30.6072, 32.3155) and places.is_water(30.6072, 32.3155)
    # The desert 30 km east of it is still land, and not water.
    assert not places.is_water(30.6072, 32.65)


def test_one_vessel_cannot_teach_water_nor_an_anchorage():
    track = half(True)[636_000_001]
    assert not learn([(636_000_001, fixes(track))])
    # The same vessel under five identities does: the threshold counts distinct MMSIs.
    five = learn([(636_000_001 + i, fixes(track)) for i in range(5)])
    assert {c.kind for c in five} >= {"water"}


def test_stationary_means_within_the_radius_for_the_hours():
    t0, lat, lon = 1.6e9, 32.3, 32.9
    still = [(t0 + i * 600, lat + (i % 3) * 1e-4, lon, 0.0) for i in range(30)]  # 4.8 h
    short = still[:20]  # 3.2 h: not a stationary period
    s = PlaceSettings(anchorage_min_vessels=3)
    assert [c.kind for c in learn([(i, still) for i in range(3)], s)] == ["anchorage"]
    assert learn([(i, short) for i in range(3)], s) == []
    learner = Learner(s)
    for i in range(3):
        learner.vessel(i, still)
    cell = learner.cells()[0]
    assert cell.lat == pytest.approx(lat + 1e-4, abs=1e-4) and cell.vessels == 3
    assert (cell.first_t, cell.last_t) == (t0, t0 + 29 * 600)


def test_ports_are_the_gazetteer_entries_with_unece_positions():
    ports = {p.locode: p for p in unlocode_ports()}
    assert len(ports) > 11_000
    assert ports["EGSUZ"].name == "As Suways (Suez)"
    assert (ports["EGSUZ"].lat, ports["EGSUZ"].lon) == (29.9667, 32.5167)
    assert "EGPSD" not in ports  # Port Said's position there is a geocoder's, not UNECE's
    assert "CNZPO" in ports  # Zhapo
    places = Places.known()
    assert places.anchorage_m(29.9667, 32.5167) == 0.0  # at the port
    assert places.near(29.95, 32.53)  # 2 km off: inside its 4 km circle
    assert places.anchorage_m(29.9667, 32.80) == pytest.approx(27_300 - 4000, rel=0.02)
    assert places.anchorage_m(0.0, -140.0) == float("inf")  # mid-Pacific: none known
    assert Places().anchorage_m(29.9667, 32.5167) == float("inf")
