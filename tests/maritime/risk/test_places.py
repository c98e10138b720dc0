"""encounter, loitering, zone_entry, shore_approach and on_land on real tracks."""

from __future__ import annotations

from datetime import datetime

from tests.maritime.risk.tracks import at, kinds, marinecadastre, replay, suez

from bastion.maritime.risk import RiskEngine
from bastion.maritime.zones import ZoneSet, demo_zones, fast_m

A, B = 636_000_072, 636_000_074  # ~225 m apart off Port Tewfik from 22 March 12:26
DRIFTER = 636_000_146
C, D = 636_000_094, 636_000_146  # anchored together in Suez Bay twice


def _box(name: str, kind: str, w: float, s: float, e: float, n: float) -> dict:
    return {"type": "Feature", "properties": {"name": name, "kind": kind},
            "geometry": {"type": "Polygon",
                         "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}}


# Suez Bay and Port Said as the port/anchorage zones a unit there would draw.
SUEZ_PORTS = ZoneSet.from_geojson({"type": "FeatureCollection", "features": [
    _box("Suez Bay anchorage", "anchorage", 32.40, 29.80, 32.62, 29.97),
    _box("Port Said port and canal entrance", "port", 32.25, 31.15, 32.42, 31.32)]})


def _hour(message: dict) -> datetime:
    return datetime.fromisoformat(message["time"])


def test_real_rendezvous_found_and_suppressed_inside_an_anchorage():
    tracks = suez()
    pair = tracks[C] + tracks[D]
    events = replay(RiskEngine(), pair)
    encounters = [e.alert for e in events if e.action == "opened" and e.alert.kind == "encounter"]
    assert len(encounters) == 2  # 21-22 March and 23 March, 41 h apart: not merged
    alert = encounters[0]
    assert (alert.mmsi, alert.other_mmsi) == (C, D)
    assert alert.context["median_knots"] < 2 and alert.context["hours"] >= 2
    assert alert.thresholds["encounter_distance_m"] == 500
    # The same real pair inside a declared anchorage is routine: GFW drops those too.
    assert "encounter" not in kinds(replay(RiskEngine(zones=SUEZ_PORTS), pair))


def test_rendezvous_in_a_harbour_basin_that_the_land_mask_calls_land_is_ignored():
    tracks = suez()
    pair = tracks[A] + tracks[B]  # Port Tewfik: water, but land at Natural Earth 1:10m
    assert "encounter" not in kinds(replay(RiskEngine(), pair))
    assert kinds(replay(RiskEngine(land=False), pair))["encounter"] == 1


def test_encounters_less_than_four_hours_apart_are_merged_and_the_first_retracted():
    tracks = suez()
    # B moved 2 km south 15:00-17:00 (both heard, apart): the first event (12:26 to ~15:00)
    # ends, the pair meets again two hours later.
    away = [at(m, lat=m["lat"] - 0.018) if "2021-03-22T15:00" <= m["time"] < "2021-03-22T17:00"
            else m for m in tracks[B]]
    events = replay(RiskEngine(land=False), tracks[A] + away)
    encounter = [e for e in events if e.alert.kind == "encounter" and e.action != "updated"]
    actions = [e.action for e in encounter]
    assert actions[:2] == ["opened", "closed"] and "retracted" in actions
    first = encounter[0].alert
    retracted = next(e for e in encounter if e.action == "retracted")
    assert retracted.alert.id == first.id and "merged" in retracted.reason
    merged = next(e.alert for e in encounter[2:] if e.action == "opened")
    assert merged.start == first.start and merged.id != first.id
    assert merged.id in retracted.reason


def test_anchored_vessel_near_shore_is_not_loitering_but_offshore_it_is():
    track = suez()[A]
    assert "loitering" not in kinds(replay(RiskEngine(), track))
    # The same real track moved 2.4 degrees north into the open Mediterranean (> 20 nm out).
    offshore = [at(m, lat=m["lat"] + 2.4, lon=m["lon"] + 0.4) for m in track]
    events = replay(RiskEngine(), offshore)
    loiters = [e.alert for e in events if e.action == "opened" and e.alert.kind == "loitering"]
    assert loiters
    assert loiters[0].context["shore_distance_nm"] >= 20
    assert loiters[0].context["mean_knots"] < 2
    assert loiters[0].end is None  # raised while it is going on


def _moving_segment(track: list[dict]) -> list[dict] | None:
    for start in range(len(track) - 30):
        part = track[start:start + 30]
        if fast_m(part[0]["lat"], part[0]["lon"], part[-1]["lat"], part[-1]["lon"]) > 15_000:
            return part
    return None


def _moves(track: list[dict]) -> bool:
    return _moving_segment(track) is not None


def test_zone_entry_with_the_demo_zones():
    zones = demo_zones()
    segment = next(_moving_segment(t) for t in suez().values() if _moves(t))
    assert "zone_entry" not in kinds(replay(RiskEngine(zones=zones), segment))
    # Move the real segment so its middle fix lands in the demo restricted area.
    mid = segment[15]
    moved = [at(m, lat=m["lat"] - mid["lat"] + 21.522, lon=m["lon"] - mid["lon"] + 111.735)
             for m in segment]
    engine = RiskEngine(zones=zones)
    events = replay(engine, moved, finish=False)
    entries = [e.alert for e in events if e.action == "opened" and e.alert.kind == "zone_entry"]
    restricted = [a for a in entries if a.zone_id == "restricted-sw"]
    assert len(restricted) == 1  # one alert, not one per fix inside (dedup)
    assert restricted[0].severity == "high"
    assert restricted[0].context["zone"]["kind"] == "restricted"
    inside = sum(1 for m in moved if any(z.id == "restricted-sw" for z in zones.at(m["lat"], m["lon"])))
    assert inside > 1


def test_night_stop_near_shore_after_coming_in_from_sea():
    events = replay(RiskEngine(), suez()[DRIFTER])
    approaches = [e.alert for e in events if e.action == "opened" and e.alert.kind == "shore_approach"]
    assert approaches
    alert = approaches[0]
    assert alert.context["shore_distance_m"] <= 2000
    hour = (alert.start.hour + alert.lon / 15) % 24  # local mean solar time
    assert hour >= 19 or hour < 6
    # Inside the anchorage the same stop is routine.
    assert "shore_approach" not in kinds(replay(RiskEngine(zones=SUEZ_PORTS), suez()[DRIFTER]))


def test_positions_on_land():
    events = replay(RiskEngine(), marinecadastre())
    on_land = {e.alert.mmsi for e in events if e.action == "opened" and e.alert.kind == "on_land"}
    assert on_land == {311003500, 367650000}
    # Port Said: the Natural Earth coast puts the canal entrance on land; a port zone fixes it.
    port_said = suez()[636_000_002]
    assert "on_land" in kinds(replay(RiskEngine(), port_said))
    assert "on_land" not in kinds(replay(RiskEngine(zones=SUEZ_PORTS), port_said))
