"""The detectors with places known without drawing, on the real Suez recording: no "on land"
for ships in the canal, an inland spoof still alarmed, no loitering at a learned anchorage."""

from __future__ import annotations

from functools import cache

from tests.maritime.places.suez import fixes, half, opened, replay

from bastion.core.geo import KNOT_MS, fast_m
from bastion.maritime.places import Places, learn
from bastion.maritime.risk import RiskEngine
from bastion.maritime.zones import ZoneSet, natural_earth_land


@cache
def learned_early() -> Places:
    """The shipped ports and what the earlier half of the recording teaches."""
    return Places.known(learn((mmsi, fixes(track)) for mmsi, track in half(True).items()))


def _later_messages() -> list[dict]:
    return [m for track in half(False).values() for m in track]


def test_ships_in_the_canal_are_not_on_land_once_water_is_learned_from_earlier_traffic():
    messages = _later_messages()
    before = opened(replay(RiskEngine(), messages), "on_land")
    # Without places: dozens of ships "on land", all of them in the canal and its lakes.
    assert len(before) >= 40
    assert all(29.9 <= a.lat <= 31.3 and 32.2 <= a.lon <= 32.65 for a in before)
    after = opened(replay(RiskEngine(places=learned_early()), messages), "on_land")
    assert after == []


def _spoofed_inland() -> tuple[int, list[dict]]:
    """A real vessel waiting off Port Said, whose reports then run at 12 kn into Sinai."""
    land = natural_earth_land()
    for mmsi, track in sorted(half(False).items()):
        at_sea = [m for m in track if m["lat"] > 31.4 and not land.is_land(m["lat"], m["lon"])]
        if len(at_sea) >= 10:
            break
    real = at_sea[:10]
    last = real[-1]
    target = (30.75, 33.25)  # the desert of north Sinai, 60 km from any canal water
    step = 12 * KNOT_MS * 720  # metres per 12-minute report at 12 kn
    total = fast_m(last["lat"], last["lon"], *target)
    spoof = []
    for i in range(1, int(total // step) + 1):
        f = i * step / total
        spoof.append(dict(last, t=last["t"] + i * 720,
                          lat=last["lat"] + (target[0] - last["lat"]) * f,
                          lon=last["lon"] + (target[1] - last["lon"]) * f))
    return mmsi, real + spoof


def test_a_position_spoofed_inland_is_still_on_land():
    mmsi, track = _spoofed_inland()
    places = learned_early()
    alerts = opened(replay(RiskEngine(places=places), track), "on_land")
    assert [a.mmsi for a in alerts] == [mmsi]
    assert not places.is_water(alerts[0].lat, alerts[0].lon)
    assert places.anchorage_m(alerts[0].lat, alerts[0].lon) > places.near_m
    assert alerts[0].context["inland_km"] >= 2


def _drift(mmsi: int, t0: float, lat: float, lon: float, hours: float) -> list[dict]:
    """Reports every 10 minutes drifting ~0.6 kn east: slow enough to be loitering."""
    n = int(hours * 6)
    return [{"type": 1, "mmsi": mmsi, "t": t0 + i * 600, "lat": lat, "lon": lon + i * 3e-5 * 6,
             "speed": 0.6} for i in range(n + 1)]


def test_loitering_at_a_learned_anchorage_is_not_an_alert():
    # Three real anchored tracks from Suez Bay (their own jitter), moved 100 km off Port Said,
    # where the sea is open and loitering is judged (more than 20 nm from shore).
    anchored = {}
    for mmsi, track in sorted(half(True).items()):
        still = [m for m in track if 29.85 <= m["lat"] <= 29.97 and 32.45 <= m["lon"] <= 32.6]
        if len(still) >= 30 and fast_m(still[0]["lat"], still[0]["lon"], still[29]["lat"],
                                       still[29]["lon"]) < 300:
            anchored[mmsi] = still[:30]
        if len(anchored) == 3:
            break
    assert len(anchored) == 3
    lat, lon = 32.3, 32.9
    moved = {mmsi: [(m["t"], m["lat"] - track[0]["lat"] + lat, m["lon"] - track[0]["lon"] + lon,
                     None) for m in track] for mmsi, track in anchored.items()}
    cells = learn(moved.items())
    assert [c.kind for c in cells] == ["anchorage"]
    t0 = 1_616_600_000.0
    loiterer = _drift(636_999_001, t0, lat + 0.005, lon, hours=6)
    assert [a.mmsi for a in opened(replay(RiskEngine(), loiterer), "loitering")] == [636_999_001]
    assert opened(replay(RiskEngine(places=Places(cells=cells)), loiterer), "loitering") == []
    # 20 km away the learned anchorage says nothing: loitering there is still an alert.
    away = _drift(636_999_002, t0, lat + 0.18, lon, hours=6)
    assert len(opened(replay(RiskEngine(places=Places(cells=cells)), away), "loitering")) == 1


def test_shore_approaches_and_encounters_at_suez_anchorages_are_not_alerts():
    messages = _later_messages()
    before = replay(RiskEngine(), messages)
    after = replay(RiskEngine(places=learned_early()), messages)
    for kind in ("shore_approach", "encounter"):
        assert len(opened(before, kind)) >= 3
        assert opened(after, kind) == []


def test_anchorage_m_on_the_engine():
    assert RiskEngine().anchorage_m(29.9667, 32.5167) == float("inf")
    engine = RiskEngine(places=learned_early())
    assert engine.anchorage_m(29.9667, 32.5167) == 0.0  # Suez (UN/LOCODE EGSUZ)
    assert 0 < engine.anchorage_m(29.8342, 32.5825) < 10_000  # Suez Bay, by a learned point
    assert engine.anchorage_m(33.5, 30.0) == float("inf")  # the open Mediterranean
    box = {"type": "Feature", "properties": {"name": "A", "kind": "anchorage"},
           "geometry": {"type": "Polygon", "coordinates": [[[32.9, 32.3], [32.95, 32.3],
                                                             [32.95, 32.35], [32.9, 32.35],
                                                             [32.9, 32.3]]]}}
    drawn = RiskEngine(zones=ZoneSet.from_geojson({"type": "FeatureCollection",
                                                    "features": [box]}))
    assert drawn.anchorage_m(32.32, 32.92) == 0.0  # a drawn anchorage counts as well
