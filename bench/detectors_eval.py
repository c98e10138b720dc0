"""Detector quality on real tracks: recall on injected anomalies, alerts on unmodified tracks.

    python bench/detectors_eval.py [--trials 30]

Data: ``../shared/data/tracks`` next to the repository (Suez Canal queue, March 2021: 256
vessels over 4.5 days, ~12 min fixes; MarineCadastre 2022-01-03). Each injected anomaly goes
into a copy of one real track (fix times stay real), that vessel (and partner) is replayed alone,
and it counts as found when an alert of that kind for that vessel overlaps the injection and is
not retracted. An injected gap is the exception: it is replayed among all the other real tracks,
because whether a silence is going dark or a coverage hole depends on whether the others around
it were still heard (alone, every silence is a coverage hole). Gaps are injected only where the
detector's definition applies: the vessel was reporting regularly before (GFW: >= 14 positions
in the 12 h before) and was not lying still in a port or anchorage (GFW: a gap in port is a port
visit's PORT_GAP); draws outside it are counted and shown. The Suez replays use the
port/anchorage zones a unit there would draw (Suez Bay anchorage, Port Said anchorage and port,
the canal's port limits); GFW likewise ignores encounters and loitering at anchorages.
Unmodified tracks are replayed together and every alert opened there is counted as a false alert
per 100 vessel-days (vessel-day = one vessel's first to last fix), except where the script says
the alert is true by the definition. Silences the gap detector judged not to be going dark are
not alerts; they are listed by the reason it gave.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime
from itertools import pairwise
from pathlib import Path

from bastion.maritime.ais import read_csv
from bastion.maritime.risk import DetectorSettings, RiskEngine
from bastion.maritime.zones import PORT_KINDS, ZoneSet, fast_m, natural_earth_land

TRACKS = Path(__file__).resolve().parents[2] / "shared" / "data" / "tracks"
SUEZ = TRACKS / "suez-2021-03-boat-positions.csv"
MARINECADASTRE = TRACKS / "marinecadastre-2022-01-03-first99999.csv"
MID = 636_000_000  # Suez rows carry an ID, not an MMSI


def _box(name: str, kind: str, w: float, s: float, e: float, n: float) -> dict:
    return {"type": "Feature", "properties": {"name": name, "kind": kind},
            "geometry": {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n],
                                                             [w, s]]]}}


PORT_FEATURES = [
    _box("Suez Bay anchorage", "anchorage", 32.40, 29.80, 32.62, 29.97),
    _box("Port Said anchorage", "anchorage", 32.15, 31.30, 32.70, 31.85),
    _box("Port Said port", "port", 32.25, 31.15, 32.42, 31.32),
    _box("Suez Canal port limits", "port", 32.25, 29.93, 32.62, 31.17),
]
ZONES = ZoneSet.from_geojson({"type": "FeatureCollection", "features": PORT_FEATURES})


def load_suez() -> dict[int, list[dict]]:
    tracks: dict[int, list[dict]] = defaultdict(list)
    with SUEZ.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            when = datetime.strptime(row["ais_pos_timestamp"], "%d/%m/%Y %H:%M")
            mmsi = MID + int(row["ID"])
            tracks[mmsi].append({"type": 1, "mmsi": mmsi, "t": when.timestamp() + 0.0,
                                 "lat": float(row["latitude"]), "lon": float(row["longitude"]),
                                 "speed": None})
    for fixes in tracks.values():
        fixes.sort(key=lambda m: m["t"])
    return dict(tracks)


def replay(messages: list[dict], zones: ZoneSet | None = ZONES, engine: RiskEngine | None = None
           ) -> list:
    engine = engine or RiskEngine(zones=zones)
    events = []
    for message in sorted(messages, key=lambda m: m["t"]):
        events += engine.observe(message, message["t"])
    events += engine.finish()
    return events


def found(events: list, kind: str, mmsi: int, start: float, end: float,
          zone: str | None = None) -> bool:
    alive = {}
    for event in events:
        a = event.alert
        if a.kind != kind or mmsi not in (a.mmsi, a.other_mmsi) or (zone and a.zone_id != zone):
            continue
        alive[a.id] = event.action != "retracted"
        if event.action == "opened":
            alive[a.id] = (a.start_t <= end + 3600 and (a.end_t or end) >= start - 3600)
    return any(alive.values())


def span_days(fixes: list[dict]) -> float:
    return (fixes[-1]["t"] - fixes[0]["t"]) / 86400


# -- injections -------------------------------------------------------------------------------
SETTINGS = DetectorSettings()
OUTSIDE: Counter = Counter()  # gap draws outside the detector's definition, by reason
TRACKS: dict[int, list[dict]] = {}  # all Suez tracks (set by main) for the injection's checks
BOX: list[float] = []  # the recording's area: south, west, north, east (set by main)


def inject_gap(track, rng):
    i = rng.randrange(len(track) // 4, 3 * len(track) // 4)
    t0 = track[i]["t"]
    prior = [m for m in track if t0 - SETTINGS.gap_prior_hours * 3600 <= m["t"] <= t0]
    if len(prior) < SETTINGS.gap_min_prior_positions:
        OUTSIDE["not reporting regularly before"] += 1
        return None
    # Speed over the last 10 minutes or more before the silence (the fix before that, within
    # the last eight), as the detector measures "lying still".
    last = track[i]
    first = next((m for m in reversed(track[max(0, i - 7):i]) if t0 - m["t"] >= 600),
                 track[max(0, i - 7)])
    knots = (fast_m(first["lat"], first["lon"], last["lat"], last["lon"]) /
             max(last["t"] - first["t"], 1.0) * 3600 / 1852)
    if knots < SETTINGS.gap_port_max_knots and any(
            z.kind in PORT_KINDS for z in ZONES.at(last["lat"], last["lon"])):
        OUTSIDE["lying still in a port or anchorage"] += 1
        return None
    # The recording is a query box: a vessel about to sail out of it leaves the recording's
    # coverage, and a silence then is indistinguishable from that (and not going dark).
    ahead = SETTINGS.gap_left_within_hours * 3600 / max(last["t"] - first["t"], 1.0)
    lat = last["lat"] + (last["lat"] - first["lat"]) * ahead
    lon = last["lon"] + (last["lon"] - first["lon"]) * ahead
    if knots >= SETTINGS.gap_left_min_knots and not (
            BOX[0] <= lat <= BOX[2] and BOX[1] <= lon <= BOX[3]):
        OUTSIDE["about to sail out of the recorded area"] += 1
        return None
    # Going dark is one vessel falling silent while the others around it are still heard. If
    # the recording itself lost the vessels around it then (fewer than gap_min_neighbours_heard
    # of those within 20 km in the hour before were recorded again in the next 6 h), the
    # injected silence is the feed's, not the vessel's.
    around = again = 0
    for fixes in TRACKS.values():
        if fixes is track or not any(t0 - 3600 <= m["t"] <= t0 and
                                     fast_m(m["lat"], m["lon"], last["lat"], last["lon"]) <= 20_000
                                     for m in fixes):
            continue
        around += 1
        again += any(t0 + 1800 <= m["t"] <= t0 + 6 * 3600 for m in fixes)
    if around >= SETTINGS.gap_min_neighbours and again < SETTINGS.gap_min_neighbours_heard * around:
        OUTSIDE["the recording lost the vessels around it too"] += 1
        return None
    rest = [m for m in track if not t0 < m["t"] < t0 + 8 * 3600]
    if rest[-1]["t"] <= t0:
        return None
    return rest, "gap", t0, t0 + 8 * 3600


def inject_jump(track, rng):
    i = rng.randrange(1, len(track) - 1)
    moved = dict(track[i], lat=track[i]["lat"] + rng.choice((-0.6, 0.6)))
    return track[:i] + [moved] + track[i + 1:], "teleport", track[i]["t"], track[i]["t"]


def _slow_window(track, hours=3.0):
    for i, m in enumerate(track):
        window = [x for x in track[i:] if x["t"] <= m["t"] + hours * 3600]
        if window[-1]["t"] - m["t"] < hours * 3600 * 0.9 or len(window) < 8:
            continue
        if fast_m(m["lat"], m["lon"], window[-1]["lat"], window[-1]["lon"]) < 1000:
            return window
    return None


def inject_rendezvous(track, rng):
    window = _slow_window(track)
    if window is None:
        return None
    dlat, dlon = 32.3 - window[0]["lat"], 32.9 - window[0]["lon"]  # 100 km off Port Said
    moved = [dict(m, lat=m["lat"] + dlat, lon=m["lon"] + dlon) for m in track]
    partner = [dict(m, mmsi=m["mmsi"] + 500, t=m["t"] + 120, lat=m["lat"] + dlat +
                    rng.uniform(-0.0003, 0.0003), lon=m["lon"] + dlon + 0.0032) for m in window]
    return moved + partner, "encounter", window[0]["t"], window[-1]["t"]


def inject_loitering(track, rng):
    start = track[0]["t"] + rng.uniform(0.1, 0.5) * (track[-1]["t"] - track[0]["t"])
    window = [m for m in track if start <= m["t"] <= start + 6 * 3600]
    if len(window) < 10 or max(b["t"] - a["t"] for a, b in pairwise(window)) > 3600 or \
            window[-1]["t"] - window[0]["t"] < 5 * 3600:
        return None  # too short or too sparse to be loitering by the definition (>= 4 h)
    lat, lon = 32.3, 32.9
    drift = []
    for m in window:  # drift at ~0.5 kn with jitter
        lat += rng.uniform(-0.0008, 0.0012)
        lon += rng.uniform(-0.0008, 0.0012)
        drift.append(dict(m, lat=lat, lon=lon))
    keep = [m for m in track if not start <= m["t"] <= start + 6 * 3600]
    return keep + drift, "loitering", window[0]["t"], window[-1]["t"]


def inject_zone(track, rng):
    moving = [m for a, m in pairwise(track) if fast_m(a["lat"], a["lon"], m["lat"],
                                                            m["lon"]) > 300]
    if not moving:
        return None
    centre = rng.choice(moving)
    import shapely

    circle = shapely.Point(centre["lon"], centre["lat"]).buffer(0.01)
    feature = {"type": "Feature", "properties": {"id": "injected", "name": "injected",
                                                 "kind": "restricted"},
               "geometry": shapely.geometry.mapping(circle)}
    zones = ZoneSet.from_geojson({"type": "FeatureCollection",
                                  "features": [*PORT_FEATURES, feature]})
    return track, "zone_entry", centre["t"], centre["t"], zones


def _coast_point():
    land = natural_earth_land()  # Sinai coast west of El Arish: no port zone there
    lon = 33.5
    for step in range(2000):
        lat = 31.60 - step * 0.0005
        if not land.is_land(lat, lon) and land.shore_distance_m(lat, lon, 5000) < 1000:
            return lat, lon
    raise RuntimeError("no coast found")


def inject_shore(track, rng):
    offset = 2.25 * 3600  # local mean solar time at 33.5E
    nights = [m for m in track if (m["t"] + offset) % 86400 >= 20.5 * 3600]
    if not nights:
        return None
    t0 = rng.choice(nights)["t"]
    window = [m for m in track if t0 <= m["t"] <= t0 + 2 * 3600]
    if len(window) < 8:
        return None
    lat, lon = _coast_point()
    out = []
    for m in window:
        minutes = (m["t"] - t0) / 60
        if minutes < 60:  # 8 km out to 1 km out at ~3.8 kn
            north = 0.063 * (1 - minutes / 60)
        else:  # stopped, drifting a few metres
            north = rng.uniform(-0.0002, 0.0002)
        out.append(dict(m, lat=lat + north, lon=lon + rng.uniform(-0.0002, 0.0002)))
    keep = [m for m in track if not t0 <= m["t"] <= t0 + 2 * 3600]
    return keep + out, "shore_approach", t0 + 3600, t0 + 2 * 3600


INJECT = {"gap": inject_gap, "teleport": inject_jump, "encounter": inject_rendezvous,
          "loitering": inject_loitering, "zone_entry": inject_zone,
          "shore_approach": inject_shore}


def recall(tracks: dict[int, list[dict]], trials: int, seed: int) -> dict[str, tuple[int, int]]:
    out = {}
    long = [m for m, f in tracks.items() if len(f) >= 40]
    for kind, inject in INJECT.items():
        # One random stream per kind: what one injection draws does not move the others' draws.
        rng = random.Random(f"{seed}:{kind}")
        hits = tried = 0
        for mmsi in rng.sample(long, len(long)):
            if tried >= trials:
                break
            made = inject(tracks[mmsi], rng)
            if made is None:
                continue
            messages, expect, start, end, *rest = made
            zones = rest[0] if rest else ZONES
            if expect == "gap":  # among everyone else: see the module docstring
                messages = messages + [m for other, fixes in tracks.items() if other != mmsi
                                       for m in fixes]
            events = replay(messages, zones)
            tried += 1
            hits += found(events, expect, mmsi, start, end,
                          "injected" if expect == "zone_entry" else None)
        out[kind] = (hits, tried)
    return out


def baseline(tracks: dict[int, list[dict]], zones: ZoneSet | None) -> tuple:
    messages = [m for fixes in tracks.values() for m in fixes]
    engine = RiskEngine(zones=zones)
    events = replay(messages, zones, engine)
    retracted = {e.alert.id for e in events if e.action == "retracted"}
    silences = Counter(r["likely"] for kept in engine.silences.values() for r in kept)
    return Counter(e.alert.kind for e in events
                   if e.action == "opened" and e.alert.id not in retracted), events, silences


def print_silences(silences: Counter, days: float) -> None:
    for likely, n in silences.most_common():
        print(f"      not alerted: silence likely {likely:14s} {n:4d}  "
              f"{100 * n / days:5.1f} per 100 vessel-days")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for path in (SUEZ, MARINECADASTRE):
        if not path.exists():
            sys.exit(f"evaluation data missing: {path}\n(the shared data set's tracks/ folder, "
                     "next to the repository checkout as ../shared/data/tracks)")
    started = time.process_time()
    tracks = load_suez()
    TRACKS.update(tracks)
    fixes = [m for f in tracks.values() for m in f]
    BOX[:] = [min(m["lat"] for m in fixes), min(m["lon"] for m in fixes),
              max(m["lat"] for m in fixes), max(m["lon"] for m in fixes)]
    days = sum(span_days(f) for f in tracks.values())
    print(f"Suez 2021-03: {len(tracks)} vessels, {days:.0f} vessel-days; injected into copies "
          f"of real tracks, replayed with the Suez port/anchorage zones")
    for kind, (hits, tried) in recall(tracks, args.trials, args.seed).items():
        print(f"  recall {kind:15s} {hits:3d}/{tried:<3d} = {hits / max(tried, 1):.2f}")
    print("    gap draws outside the definition (not injected): " +
          ", ".join(f"{reason} {n}" for reason, n in OUTSIDE.most_common()))
    counts, events, silences = baseline(tracks, ZONES)
    total = sum(counts.values())
    print(f"  unmodified tracks: {total} alerts = {100 * total / days:.1f} per 100 vessel-days")
    for kind, n in counts.most_common():
        severities = Counter(e.alert.severity for e in events
                             if e.action == "opened" and e.alert.kind == kind)
        print(f"    {kind:15s} {n:4d}  {100 * n / days:5.1f} per 100 vessel-days  {dict(severities)}")
    gaps = {e.alert.id: e.alert for e in events if e.alert.kind == "gap"}
    split = Counter(("still silent at end of data" if a.status == "open" else "reappeared",
                     a.context["likely"]) for a in gaps.values())
    for (state, likely), n in sorted(split.items()):
        print(f"      gap {state:28s} likely {likely:14s} {n:4d}")
    print_silences(silences, days)
    mc: dict[int, list[dict]] = defaultdict(list)
    for m in read_csv(MARINECADASTRE):
        m["t"] = datetime.fromisoformat(m["time"]).timestamp()
        mc[m["mmsi"]].append(m)
    for fixes in mc.values():
        fixes.sort(key=lambda m: m["t"])
    mc_days = sum(span_days(f) for f in mc.values())
    counts, events, silences = baseline(mc, None)
    print(f"MarineCadastre 2022-01-03 (first 99,999 rows, no zones): {len(mc)} vessels, "
          f"{mc_days:.0f} vessel-days (323 vessels have 1-5 rows at 23:59 after 00:00-00:23)")
    for kind, n in counts.most_common():
        severities = Counter(e.alert.severity for e in events
                             if e.action == "opened" and e.alert.kind == kind)
        print(f"    {kind:15s} {n:4d}  {100 * n / mc_days:6.1f} per 100 vessel-days  "
              f"{dict(severities)}")
    print_silences(silences, mc_days)
    print(f"CPU {time.process_time() - started:.0f} s")


if __name__ == "__main__":
    main()
