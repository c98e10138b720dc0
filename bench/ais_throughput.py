"""AIS throughput: Bastion's ingestion pipeline against pyais decode-only, on AISHub's 3 minutes.

    python bench/ais_throughput.py [--repeat 3] [--no-fast-path]

pyais's fastest honest path here is its stream reader (``IterMessages``: assembly of multi-part
messages, no checksum check) plus ``decode()``. Bastion's path does more: checksums, tag-block and
suffix times, reassembly with expiry, and dicts with "not available" as None. Times are CPU
seconds of this process (the machine is shared), best of ``--repeat`` interleaved runs.

A later stage (tracks, detectors) plugs in through ``run(stage=...)``: a function that takes
the iterator of message dicts and consumes it; its cost is then part of Bastion's time.
``--stage risk`` runs the vessel risk engine (all detectors, demo zones, land mask) over every
message. The sample has no timestamps, so each message gets a synthetic data time spread evenly
over the capture's three minutes (the engine's clock must move for its detectors to work).
Zones and the land mask are loaded once before timing, as a live service loads them at start.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

from pyais.stream import IterMessages

from bastion.maritime.ais.pipeline import Pipeline

# Next to the checkout (../shared), or two levels up from a worktree (/work/wt/NAME).
SAMPLE = next((p / "shared/data/ais/aishub-3min.nmea" for p in Path(__file__).resolve().parents
               if (p / "shared/data/ais/aishub-3min.nmea").exists()),
              Path(__file__).resolve().parents[2] / "shared/data/ais/aishub-3min.nmea")
Stage = Callable[[Iterator[dict]], object]


def _drain(messages: Iterator[dict]) -> int:
    count = 0
    for _ in messages:
        count += 1
    return count


RISK_T0 = 1_700_000_000.0  # 2023-11-14T22:13:20Z: synthetic start time for the sample


def risk_stage() -> Stage:
    """A stage feeding every decoded message to a fresh ``RiskEngine``."""
    from bastion.maritime.risk import RiskEngine
    from bastion.maritime.zones import demo_zones, natural_earth_land

    zones = demo_zones()
    natural_earth_land()  # load once, outside the timed runs

    def stage(messages: Iterator[dict]) -> RiskEngine:
        engine = RiskEngine(zones=zones)
        step = 180.0 / 82_744
        observe = engine.observe
        t = RISK_T0
        for message in messages:
            observe(message, t)
            t += step
        engine.finish()
        return engine

    return stage


def full_stage() -> Stage:
    """Tracks (registry update and down-sampling, as the live picture does before its batched
    database write) plus every detector: the issue's "decode + tracks + all detectors"."""
    from bastion.maritime.risk import RiskEngine
    from bastion.maritime.tracks.flags import flag_of
    from bastion.maritime.tracks.writer import TrackWriter
    from bastion.maritime.zones import demo_zones, natural_earth_land

    zones = demo_zones()
    natural_earth_land()

    def stage(messages: Iterator[dict]) -> RiskEngine:
        engine, writer = RiskEngine(zones=zones), TrackWriter(flag_of=flag_of)
        step = 180.0 / 82_744
        observe, keep = engine.observe, writer.observe
        t = RISK_T0
        for message in messages:
            keep(message, t)
            observe(message, t)
            t += step
        engine.finish()
        return engine

    return stage


def risk_memory(path: Path = SAMPLE) -> tuple[int, float, int]:
    """(vessels tracked, KiB per 10k vessels, alerts) after the sample, by tracemalloc."""
    lines = path.read_bytes().splitlines()
    messages = list(Pipeline().run(lines))
    stage = risk_stage()
    tracemalloc.start()
    engine = stage(iter(messages))
    used = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    vessels = len(engine.vessels)
    alerts = sum(len(a) for a in engine.book.history.values())
    return vessels, used / 2**10 / vessels * 10_000, alerts


def pyais_decode_only(lines: list[bytes]) -> int:
    count = 0
    for sentence in IterMessages(lines):
        try:
            sentence.decode()
        except Exception:  # noqa: BLE001, S112 - pyais raises various types on malformed payloads
            continue
        count += 1
    return count


def bastion(lines: list[bytes], stage: Stage = _drain, fast_path: bool = True) -> int:
    pipeline = Pipeline(fast_path=fast_path)
    stage(pipeline.run(lines))
    return pipeline.stats.messages


def _cpu(fn: Callable[[], int]) -> tuple[float, int]:
    start = time.process_time()
    count = fn()
    return time.process_time() - start, count


def _peak_kib(fn: Callable[[], int]) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**10


def run(stage: Stage = _drain, *, repeat: int = 3, fast_path: bool = True,
        path: Path = SAMPLE) -> dict:
    """Measure and return the numbers (also printed by ``main``)."""
    if not path.exists():
        sys.exit(f"benchmark data missing: {path}\n(the shared data set's ais/aishub-3min.nmea, "
                 "next to the repository checkout)")
    lines = path.read_bytes().splitlines()
    best = {"pyais": (float("inf"), 0), "bastion": (float("inf"), 0)}
    for _ in range(repeat):
        for name, fn in (("pyais", lambda: pyais_decode_only(lines)),
                         ("bastion", lambda: bastion(lines, stage, fast_path))):
            seconds, count = _cpu(fn)
            if seconds < best[name][0]:
                best[name] = (seconds, count)
    result = {name: {"seconds": s, "messages": n, "per_second": n / s}
              for name, (s, n) in best.items()}
    result["ratio"] = result["bastion"]["per_second"] / result["pyais"]["per_second"]
    result["peak_kib"] = {"pyais": _peak_kib(lambda: pyais_decode_only(lines)),
                          "bastion": _peak_kib(lambda: bastion(lines, stage, fast_path))}
    result["lines"] = len(lines)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stage", choices=("none", "risk", "full"), default="none",
                        help="risk: add the vessel risk engine (all detectors) after decoding; "
                        "full: tracks (registry, down-sampling) + all detectors")
    parser.add_argument("--no-fast-path", action="store_true",
                        help="decode every type through pyais objects (shows what the fast paths buy)")
    args = parser.parse_args()
    stage = {"risk": risk_stage, "full": full_stage}.get(args.stage, lambda: _drain)()
    r = run(stage, repeat=args.repeat, fast_path=not args.no_fast_path)
    print(f"{SAMPLE.name}: {r['lines']} lines, CPU seconds best of {args.repeat}")
    for name, label in (("pyais", "pyais IterMessages+decode"),
                        ("bastion", "bastion pipeline" + (" (no fast path)"
                                                          if args.no_fast_path else "")
                         + {"risk": " + risk engine", "full": " + tracks + risk engine"}.get(
                             args.stage, ""))):
        row = r[name]
        print(f"  {label:34s} {row['messages']:6d} msgs {row['seconds']:6.3f} s "
              f"{row['per_second']:9.0f} msg/s  peak {r['peak_kib'][name]:7.0f} KiB (tracemalloc)")
    print(f"  ratio bastion/pyais: {r['ratio']:.2f}x")
    if args.stage in ("risk", "full"):
        vessels, kib, alerts = risk_memory()
        print(f"  risk engine memory: {vessels} vessels tracked, {kib / 1024:.1f} MiB per 10k "
              f"vessels (tracemalloc, engine state after the sample, {alerts} alerts)")


if __name__ == "__main__":
    main()
