"""``bastion ais replay --no-store``: recorded AIS through the risk engine, nothing stored.

The stored replay goes through ``Picture`` (tracks, batches, transactions, the database). A
replay that stores nothing needs none of that, and importing it (SQLAlchemy, the ORM models, the
alert store) was a fifth of the command's start-up; so this drives the same ``RiskEngine`` the
picture drives, with the picture's rules for a message's time and for a message it cannot take,
and hands each alert event to ``on_alert`` as the picture does (``test_memory_replay.py``
holds the two to the same alert stream). Whole-process speed: ``bench/ais_process.py``.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

log = logging.getLogger("bastion.ais")
OnAlert = Callable[[str, dict[str, Any], str | None], None]


def drive(messages: Iterable[dict[str, Any]], engine, *, on_alert: OnAlert | None = None,
          skipped: Counter | None = None, clock: Callable[[], float] = time.time) -> Counter:
    """Feed ``messages`` to ``engine`` and finish it; return alert events counted by
    ``kind:action``. A message without a time of its own takes ``clock()`` (its arrival)."""
    skipped = Counter() if skipped is None else skipped
    kinds: Counter[str] = Counter()
    observe = engine.observe
    epochs: dict[str, float] = {}

    def take(events) -> None:
        for event in events:
            alert = event.alert
            kinds[f"{alert.kind}:{event.action}"] += 1
            if on_alert is not None:
                on_alert(event.action, alert.to_dict(), event.reason)

    for message in messages:
        stamp = message.get("time")
        if stamp:
            t = epochs.get(stamp)
            if t is None:
                try:  # as Picture.ingest (tracks.writer.message_time): ISO-8601, naive is UTC
                    moment = datetime.fromisoformat(stamp)
                    t = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
                except (TypeError, ValueError, OverflowError):
                    skipped["bad_time"] += 1
                    continue
                if len(epochs) > 4096:  # a recording moves forward: old seconds do not recur
                    epochs.clear()
                epochs[stamp] = t
        else:
            t = clock()
        try:
            events = observe(message, t)
            if events:
                take(events)
        except Exception:
            log.exception("AIS message not taken: %r", message)
            skipped["ingest_error"] += 1
    take(engine.finish())
    return kinds


def replay(files: list[Path], *, zones: Path | None, alerts_out: Path | None,
           console) -> None:
    """The command: decode each file, drive one engine over all of them, print the summary
    (the same lines as the stored replay) on ``console``."""
    from bastion.core.config import get_settings
    from bastion.maritime.ais.cli import _tracked
    from bastion.maritime.ais.csv_readers import read_csv
    from bastion.maritime.ais.pipeline import Pipeline
    from bastion.maritime.risk import RiskEngine
    from bastion.maritime.zoneconfig import load_zones

    settings = get_settings()
    engine = RiskEngine(settings=settings.detectors,
                        zones=load_zones(zones or settings.zones_file))
    pipeline = Pipeline()
    out: TextIO | None = alerts_out.open("w", encoding="utf-8") if alerts_out else None

    def on_alert(action: str, alert: dict[str, Any], reason: str | None) -> None:
        out.write(json.dumps({"action": action, **alert, "reason": reason},
                             ensure_ascii=False, default=str) + "\n")

    progress = None
    if console.is_terminal:  # a bar only where someone watches (a pipe gets the summary)
        from rich.progress import BarColumn, Progress, TextColumn, TransferSpeedColumn

        progress = Progress(TextColumn("{task.description}"), BarColumn(),
                            TransferSpeedColumn(), console=console, transient=True)
        progress.start()

    def messages():
        for path in files:
            if path.suffix.lower() == ".csv":
                yield from read_csv(path, stats=pipeline.stats)
            else:
                yield from pipeline.run(_tracked(path, progress))

    skipped: Counter = Counter()
    try:
        kinds = drive(messages(), engine, on_alert=on_alert if out else None, skipped=skipped)
    finally:
        if progress is not None:
            progress.stop()
        if out:
            out.close()
    stats = pipeline.stats
    console.print(f"messages: {stats.messages}  lines: {stats.lines}")
    for reason, count in sorted((stats.skipped + skipped).items()):
        console.print(f"  skipped {reason}: {count}")
    for key, count in sorted(kinds.items()):
        console.print(f"  alert {key}: {count}")
