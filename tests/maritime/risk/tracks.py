"""Real tracks for the risk tests, as the message dicts the AIS library yields."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bastion.maritime.ais import read_csv

DATA = Path(__file__).resolve().parents[2] / "data" / "tracks"
SUEZ_MID = 636_000_000  # Suez fixes carry an ID, not an MMSI: give them Liberian ship MMSIs


def suez(path: Path = DATA / "suez-2021-03-sample.csv") -> dict[int, list[dict]]:
    """Suez sample fixes per synthetic MMSI, time-ordered (type 1, no speed: it has none)."""
    tracks: dict[int, list[dict]] = defaultdict(list)
    with path.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            when = datetime.strptime(row["ais_pos_timestamp"], "%d/%m/%Y %H:%M")
            tracks[SUEZ_MID + int(row["ID"])].append(
                {"type": 1, "mmsi": SUEZ_MID + int(row["ID"]),
                 "time": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "lat": float(row["latitude"]),
                 "lon": float(row["longitude"]), "speed": None, "course": None,
                 "heading": None, "status": None})
    for fixes in tracks.values():
        fixes.sort(key=lambda m: m["time"])
    return dict(tracks)


def bitter_lakes() -> dict[int, list[dict]]:
    """All Suez fixes around the Great Bitter Lake on 22 March 2021 (see data/README.md)."""
    return suez(Path(__file__).resolve().parent / "data" / "suez-2021-03-22-bitter-lakes.csv")


def marinecadastre() -> list[dict]:
    return list(read_csv(DATA / "marinecadastre-2022-01-03-sample.csv"))


def at(message: dict, **changes) -> dict:
    """A copy of a message with fields replaced (an injected anomaly)."""
    out = dict(message)
    out.update(changes)
    return out


def shifted(message: dict, minutes: float) -> dict:
    when = datetime.fromisoformat(message["time"]) + timedelta(minutes=minutes)
    return at(message, time=when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def replay(engine, messages, *, finish: bool = True) -> list:
    events = []
    for message in sorted(messages, key=lambda m: m["time"]):
        events += engine.observe(message)
    if finish:
        events += engine.finish()
    return events


def kinds(events, action: str = "opened") -> dict[str, int]:
    out: dict[str, int] = {}
    for event in events:
        if event.action == action:
            out[event.alert.kind] = out.get(event.alert.kind, 0) + 1
    return out
