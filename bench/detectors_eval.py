"""Detector quality on real tracks with no hand-drawn zones: false alerts and injected recall.

    python bench/detectors_eval.py [--trials 30] [--before-ref REF | --no-before]

As a station meets a new stretch of water on day one: no zones drawn for it. The detectors
know only what ships with Bastion (the UN/LOCODE ports) and what they learned from OTHER data
than the period scored: each recording is split at its median fix time, places (anchorages,
water) are learned from one half and the other half is replayed and scored (both ways; the
first line of each pair, learning from the earlier half, is what a station would have). The
same evaluation runs on the code before issue 15 (``--before-ref``, exported with ``git
archive`` into a temporary folder and run there in a child process), and the two are printed
side by side.

Data: ``shared/data/tracks`` above the repository (Suez Canal queue, March 2021: 256 vessels
over 4.5 days, ~12 min fixes; MarineCadastre 2022-01-03, first 99,999 rows: 10,631 vessels,
almost all within 00:00-00:25). False alerts: every alert opened (and not retracted) while
replaying a scored half, per 100 vessel-days (vessel-day = one vessel's first to last fix in
that half). Recall: each injected anomaly goes into a copy of one real track of the Suez
half that is scored (places learned from the other half), that vessel (and partner) is
replayed alone, and it counts as found when an alert of that kind for that vessel overlaps the
injection and is not retracted. An injected gap is replayed among all the other tracks of the
half, because whether a silence is going dark or a coverage hole depends on whether the others
around it were still heard; gaps are injected only where the detector's definition applies
(see ``inject_gap``), judging "in a port or anchorage" by the boxes a unit there would draw
(``PORT_FEATURES``: the evaluation's ground truth, never given to the detectors).
"""

from __future__ import annotations

import sys

if "--src" in sys.argv:  # the child process: run against another tree's ``bastion``
    sys.path.insert(0, sys.argv[sys.argv.index("--src") + 1])

import argparse
import csv
import json
import random
import statistics
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

from bastion.maritime.ais import read_csv
from bastion.maritime.risk import DetectorSettings, RiskEngine
from bastion.maritime.zones import PORT_KINDS, ZoneSet, fast_m, natural_earth_land

HERE = Path(__file__).resolve()
TRACKS_DIR = next((p / "shared" / "data" / "tracks" for p in HERE.parents
                   if (p / "shared" / "data" / "tracks").is_dir()),
                  HERE.parents[2] / "shared" / "data" / "tracks")
SUEZ = TRACKS_DIR / "suez-2021-03-boat-positions.csv"
MARINECADASTRE = TRACKS_DIR / "marinecadastre-2022-01-03-first99999.csv"
MID = 636_000_000  # Suez rows carry an ID, not an MMSI
# The last commit of main before issue 15's work: the "before" column.
BEFORE_REF = "bd791a72b7989161bdf0cb0d39c1debb25863e9d"
PLACES: dict = {"on": False, "cells": []}  # learned places the engines get (after, only)


def _box(name: str, kind: str, w: float, s: float, e: float, n: float) -> dict:
    return {"type": "Feature", "properties": {"name": name, "kind": kind},
            "geometry": {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n],
                                                             [w, s]]]}}


# Where a unit at Suez would draw its port and anchorage limits: the evaluation's own truth of
# "in a port" for gap injections. Never given to the detectors. Suez Bay reaches 29.75 N: in
# each half of the recording ships lie at anchor down to 29.77 N (the box stopped at 29.80 N
# and cut that anchorage in two). The Great Bitter Lake is where the canal's convoys wait.
PORT_FEATURES = [
    _box("Suez Bay anchorage", "anchorage", 32.40, 29.75, 32.62, 29.97),
    _box("Port Said anchorage", "anchorage", 32.15, 31.30, 32.70, 31.85),
    _box("Great Bitter Lake anchorage", "anchorage", 32.30, 30.28, 32.47, 30.42),
    _box("Port Said port", "port", 32.25, 31.15, 32.42, 31.32),
    _box("Suez Canal port limits", "port", 32.25, 29.93, 32.62, 31.17),
]
# A ship under way in the canal is transiting it, not visiting a port: there only lying still
# (waiting in the lakes and lay-bys, below GFW's port-stop speed) is a port gap. In a harbour
# or an anchorage a silence is a port gap moving or not (GFW port visits: PORT_GAP).
TRANSIT = "Suez Canal port limits"
STILL_KNOTS = 0.5
# The recording lost the vessels around a silence when at least this many of them went silent
# too (the detector's gap_min_neighbours_silent; a constant here, so the code before issue 15,
# which has no such setting, is held to the same definition).
MIN_SILENT = 2
ZONES = ZoneSet.from_geojson({"type": "FeatureCollection", "features": PORT_FEATURES})


def load_suez() -> dict[int, list[dict]]:
    tracks: dict[int, list[dict]] = defaultdict(list)
    with SUEZ.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            when = datetime.strptime(row["ais_pos_timestamp"], "%d/%m/%Y %H:%M")
            mmsi = MID + int(row["ID"])
            tracks[mmsi].append({"type": 1, "mmsi": mmsi,
                                 "t": when.replace(tzinfo=UTC).timestamp() + 0.0,
                                 "lat": float(row["latitude"]), "lon": float(row["longitude"]),
                                 "speed": None})
    for fixes in tracks.values():
        fixes.sort(key=lambda m: m["t"])
    return dict(tracks)


def load_marinecadastre() -> dict[int, list[dict]]:
    tracks: dict[int, list[dict]] = defaultdict(list)
    for m in read_csv(MARINECADASTRE):
        m["t"] = datetime.fromisoformat(m["time"]).timestamp()
        tracks[m["mmsi"]].append(m)
    for fixes in tracks.values():
        fixes.sort(key=lambda m: m["t"])
    return dict(tracks)


def engine(zones: ZoneSet | None = None) -> RiskEngine:
    """The engine under test: with the places learned for this run (after) or none (before)."""
    if not PLACES["on"]:
        return RiskEngine(zones=zones)
    from bastion.maritime.places import Places

    return RiskEngine(zones=zones, places=Places.known(PLACES["cells"]))


def learn_from(tracks: dict[int, list[dict]]) -> list:
    from bastion.maritime.places import learn

    return learn((mmsi, [(m["t"], m["lat"], m["lon"], m.get("speed")) for m in fixes])
                 for mmsi, fixes in tracks.items())


def replay(messages: list[dict], zones: ZoneSet | None = None,
           eng: RiskEngine | None = None) -> list:
    eng = eng or engine(zones)
    events = []
    for message in sorted(messages, key=lambda m: m["t"]):
        events += eng.observe(message, message["t"])
    events += eng.finish()
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


def halves(tracks: dict[int, list[dict]]) -> tuple[float, dict, dict]:
    """The median fix time, and the tracks before and from it."""
    at = statistics.median(m["t"] for fixes in tracks.values() for m in fixes)
    early = {k: [m for m in f if m["t"] < at] for k, f in tracks.items()}
    late = {k: [m for m in f if m["t"] >= at] for k, f in tracks.items()}
    return at, {k: f for k, f in early.items() if f}, {k: f for k, f in late.items() if f}


# -- injections -------------------------------------------------------------------------------
SETTINGS = DetectorSettings()
MISSED: Counter = Counter()  # injected gaps not alerted, by the detector's judgement
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
    # the last eight), as the detector measures motion for "left coverage".
    last = track[i]
    first = next((m for m in reversed(track[max(0, i - 7):i]) if t0 - m["t"] >= 600),
                 track[max(0, i - 7)])
    knots = (fast_m(first["lat"], first["lon"], last["lat"], last["lon"]) /
             max(last["t"] - first["t"], 1.0) * 3600 / 1852)
    ports = [z.name for z in ZONES.at(last["lat"], last["lon"]) if z.kind in PORT_KINDS]
    if any(name != TRANSIT for name in ports) or (ports and knots < STILL_KNOTS):  # truth
        OUTSIDE["in a port or anchorage"] += 1
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
    if around >= SETTINGS.gap_min_neighbours and \
            again < SETTINGS.gap_min_neighbours_heard * around and \
            around - again >= MIN_SILENT:
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
    zones = ZoneSet.from_geojson({"type": "FeatureCollection", "features": [feature]})
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


def recall(tracks: dict[int, list[dict]], trials: int, seed: int) -> dict[str, list[int]]:
    out = {}
    MISSED.clear()
    long = sorted(m for m, f in tracks.items() if len(f) >= 40)
    for kind, inject in INJECT.items():
        # One random stream per kind: what one injection draws does not move the others' draws.
        rng = random.Random(f"{seed}:{kind}")
        hits = tried = 0
        for _draw in range(20 * len(long)):  # a vessel may be drawn again (another moment)
            if tried >= trials:
                break
            mmsi = rng.choice(long)
            made = inject(tracks[mmsi], rng)
            if made is None:
                continue
            messages, expect, start, end, *rest = made
            zones = rest[0] if rest else None
            if expect == "gap":  # among everyone else: see the module docstring
                messages = messages + [m for other, fixes in tracks.items() if other != mmsi
                                       for m in fixes]
            eng = engine(zones)
            events = replay(messages, eng=eng)
            tried += 1
            hit = found(events, expect, mmsi, start, end,
                        "injected" if expect == "zone_entry" else None)
            hits += hit
            if not hit and expect == "gap":  # what the detector judged the silence instead
                MISSED.update(r["likely"] for r in eng.silences.get(mmsi, ())
                              if start - 60 <= r["start_t"] <= start + 60)
        out[kind] = [hits, tried]
    return out


def false_alerts(tracks: dict[int, list[dict]]) -> tuple[Counter, Counter]:
    """Alerts opened (not retracted) replaying the tracks together, and silences not alerted."""
    eng = engine()
    events = replay([m for fixes in tracks.values() for m in fixes], eng=eng)
    retracted = {e.alert.id for e in events if e.action == "retracted"}
    silences = Counter(r["likely"] for kept in eng.silences.values() for r in kept)
    return Counter(e.alert.kind for e in events
                   if e.action == "opened" and e.alert.id not in retracted), silences


def _day(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%m-%d %H:%M")


def evaluate(trials: int, seed: int, places: bool) -> dict:
    """Every figure of one code version (``places``: learn places and give them to it)."""
    PLACES["on"] = places
    started = time.process_time()
    result: dict = {"runs": []}
    suez = load_suez()
    for name, tracks in (("Suez 2021-03", suez),
                         ("MarineCadastre 2022-01-03", load_marinecadastre())):
        at, early, late = halves(tracks)
        for learned_from, scored, label in ((early, late, "earlier"), (late, early, "later")):
            cells = learn_from(learned_from) if places else []
            PLACES["cells"] = cells
            counts, silences = false_alerts(scored)
            first = min(m["t"] for f in scored.values() for m in f)
            last = max(m["t"] for f in scored.values() for m in f)
            result["runs"].append({
                "data": name, "learned_from": label, "split": _day(at),
                "scored": f"{_day(first)} to {_day(last)}", "vessels": len(scored),
                "vessel_days": sum(span_days(f) for f in scored.values()),
                "alerts": dict(counts), "silences": dict(silences),
                "learned": dict(Counter(c.kind for c in cells))})
    # Recall on the later Suez half, with places learned from the earlier one.
    at, early, late = halves(suez)
    PLACES["cells"] = learn_from(early) if places else []
    TRACKS.clear()
    TRACKS.update(late)
    fixes = [m for f in late.values() for m in f]
    BOX[:] = [min(m["lat"] for m in fixes), min(m["lon"] for m in fixes),
              max(m["lat"] for m in fixes), max(m["lon"] for m in fixes)]
    OUTSIDE.clear()
    result["recall"] = recall(late, trials, seed)
    result["outside"] = dict(OUTSIDE)
    result["missed_gaps"] = dict(MISSED)
    # The whole recording at once with nothing known: the "about 60" figure.
    PLACES.update(on=False, cells=[])
    counts, _ = false_alerts(suez)
    result["whole_suez"] = {"alerts": dict(counts),
                            "vessel_days": sum(span_days(f) for f in suez.values())}
    result["cpu_s"] = time.process_time() - started
    return result


def run_before(ref: str, trials: int, seed: int) -> dict:
    """The same evaluation on the code at ``ref`` (its ``src/`` in a temporary folder)."""
    repo = HERE.parents[1]
    with tempfile.TemporaryDirectory(prefix="detectors-eval-") as folder:
        archive = subprocess.run(["git", "-C", str(repo), "archive", ref, "src"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        out = Path(folder) / "result.json"
        subprocess.run([sys.executable, str(HERE), "--src", str(Path(folder) / "src"),
                        "--child", str(out), "--trials", str(trials), "--seed", str(seed)],
                       check=True)
        return json.loads(out.read_text())


def per100(n: float, days: float) -> str:
    return f"{100 * n / days:6.1f}" if days else "     -"


def show(after: dict, before: dict | None) -> None:
    kinds = ("on_land", "encounter", "gap", "shore_approach", "loitering", "teleport",
             "mmsi_conflict", "zone_entry", "identity_change", "invalid_identity")
    for i, run in enumerate(after["runs"]):
        old = before["runs"][i] if before else None
        days = run["vessel_days"]
        print(f"\n{run['data']}, no hand-drawn zones: split at {run['split']} UTC (median fix); "
              f"places learned from the {run['learned_from']} half "
              f"({', '.join(f'{n} {k} cells' for k, n in run['learned'].items()) or 'none'}), "
              f"scored {run['scored']}: {run['vessels']} vessels, {days:.1f} vessel-days")
        print(f"    {'alerts per 100 vessel-days':28s} {'before':>8s} {'after':>8s}"
              f"   (count before -> after)")
        total_old = sum(old["alerts"].values()) if old else 0
        total = sum(run["alerts"].values())
        seen = set(run["alerts"]) | set(old["alerts"] if old else ())
        for kind in [k for k in kinds if k in seen] + sorted(seen - set(kinds)):
            n = run["alerts"].get(kind, 0)
            m = old["alerts"].get(kind, 0) if old else 0
            print(f"    {kind:28s} {per100(m, days) if old else '':>8s} {per100(n, days):>8s}"
                  f"   ({m if old else '-'} -> {n})")
        print(f"    {'all':28s} {per100(total_old, days) if old else '':>8s} "
              f"{per100(total, days):>8s}   ({total_old if old else '-'} -> {total})")
        if run["silences"]:
            print("      silences not alerted (after): " + ", ".join(
                f"{k} {n}" for k, n in sorted(run["silences"].items())))
    print("\nInjected anomalies, Suez later half (places learned from the earlier half):")
    print(f"    {'recall':28s} {'before':>8s} {'after':>8s}")
    for kind, (hits, tried) in after["recall"].items():
        old = before["recall"][kind] if before else None
        print(f"    {kind:28s} "
              f"{f'{old[0]}/{old[1]}' if old else '':>8s} {f'{hits}/{tried}':>8s}"
              f"   {f'{old[0] / max(old[1], 1):.2f}' if old else '-'} -> "
              f"{hits / max(tried, 1):.2f}")
    print("    injected gaps not alerted, judged: " + "; ".join(
        f"{label} " + ", ".join(f"{k} {n}" for k, n in sorted(r["missed_gaps"].items()))
        for label, r in (("before", before), ("after", after)) if r))
    print("    gap draws outside the definition (not injected): " +
          ", ".join(f"{reason} {n}" for reason, n in sorted(after["outside"].items())))
    whole = after["whole_suez"]
    n = sum(whole["alerts"].values())
    print(f"\nSuez whole recording replayed at once, nothing known (the issue's figure): "
          f"{n} alerts = {per100(n, whole['vessel_days']).strip()} per 100 vessel-days "
          f"{dict(sorted(whole['alerts'].items()))}")
    print(f"CPU: after {after['cpu_s']:.0f} s" +
          (f", before {before['cpu_s']:.0f} s" if before else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--before-ref", default=BEFORE_REF,
                        help="git revision of the code before issue 15 (the 'before' column)")
    parser.add_argument("--no-before", action="store_true", help="skip the 'before' column")
    parser.add_argument("--src", help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    for path in (SUEZ, MARINECADASTRE):
        if not path.exists():
            sys.exit(f"evaluation data missing: {path}\n(the shared data set's tracks/ "
                     "folder, as shared/data/tracks in a folder above the repository)")
    if args.child:  # the code before: no places to learn, none to give
        Path(args.child).write_text(json.dumps(evaluate(args.trials, args.seed, False)))
        return
    before = None if args.no_before else run_before(args.before_ref, args.trials, args.seed)
    show(evaluate(args.trials, args.seed, True), before)


if __name__ == "__main__":
    main()
