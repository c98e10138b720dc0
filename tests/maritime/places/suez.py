"""The whole Suez recording (tests/data/tracks, gzipped), split at its median fix time as
bench/detectors_eval.py splits it: places are learned from one half, the other is scored."""

from __future__ import annotations

import csv
import gzip
import statistics
from collections import defaultdict
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

SUEZ = Path(__file__).resolve().parents[2] / "data" / "tracks" / \
    "suez-2021-03-boat-positions.csv.gz"
MID = 636_000_000  # rows carry an ID, not an MMSI


@cache
def tracks() -> dict[int, tuple[dict, ...]]:
    out: dict[int, list[dict]] = defaultdict(list)
    with gzip.open(SUEZ, "rt", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            when = datetime.strptime(row["ais_pos_timestamp"], "%d/%m/%Y %H:%M")
            mmsi = MID + int(row["ID"])
            out[mmsi].append({"type": 1, "mmsi": mmsi,
                              "t": when.replace(tzinfo=UTC).timestamp(),
                              "lat": float(row["latitude"]), "lon": float(row["longitude"]),
                              "speed": None})
    return {k: tuple(sorted(f, key=lambda m: m["t"])) for k, f in out.items()}


@cache
def split() -> float:
    return statistics.median(m["t"] for f in tracks().values() for m in f)


def half(early: bool) -> dict[int, list[dict]]:
    at = split()
    out = {k: [m for m in f if (m["t"] < at) == early] for k, f in tracks().items()}
    return {k: f for k, f in out.items() if f}


def fixes(track: list[dict]) -> list[tuple[float, float, float, float | None]]:
    return [(m["t"], m["lat"], m["lon"], m["speed"]) for m in track]


def replay(engine, messages: list[dict]) -> list:
    events = []
    for m in sorted(messages, key=lambda m: m["t"]):
        events += engine.observe(m, m["t"])
    return events + engine.finish()


def opened(events: list, kind: str) -> list:
    retracted = {e.alert.id for e in events if e.action == "retracted"}
    return [e.alert for e in events if e.action == "opened" and e.alert.kind == kind
            and e.alert.id not in retracted]
