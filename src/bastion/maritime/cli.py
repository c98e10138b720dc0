"""``bastion ais replay``: the whole pipeline over recorded data, with data time as the clock.

Extends the ``bastion ais`` commands of the ingestion library (decode, listen).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console

from bastion.maritime.ais.cli import app

err = Console(stderr=True)


def _messages(path: Path, pipeline):
    from bastion.maritime.ais import open_lines, read_csv

    if path.suffix.lower() == ".csv":
        yield from read_csv(path, stats=pipeline.stats)
    else:
        yield from pipeline.run(open_lines(path))


def _count(path: Path) -> int:
    from bastion.maritime.ais import open_lines

    if path.suffix.lower() == ".csv":
        with path.open("rb") as handle:
            return max(sum(1 for _ in handle) - 1, 0)
    return sum(1 for _ in open_lines(path))


def build_engine(zones: Path | None, settings):
    from bastion.maritime.risk import RiskEngine
    from bastion.maritime.zoneconfig import load_zones

    return RiskEngine(settings=settings.detectors, zones=load_zones(zones or settings.zones_file))


@app.command()
def purge() -> None:
    """Delete stored positions older than BASTION_POSITION_RETENTION_DAYS (vessels stay)."""
    from bastion.core.clikit import sessions
    from bastion.core.config import get_settings
    from bastion.core.db import transaction
    from bastion.maritime.picture import retention_cutoff
    from bastion.maritime.tracks.writer import purge_positions

    settings = get_settings()
    with transaction(sessions(settings)) as session:
        removed = purge_positions(session, older_than=retention_cutoff(settings))
    err.print(f"removed {removed} positions older than {settings.position_retention_days} days")


@app.command()
def replay(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True)],
    alerts_out: Annotated[Path | None, typer.Option(help="write every alert event as JSON lines")] = None,
    zones: Annotated[Path | None, typer.Option(help="GeoJSON zones (default: settings)")] = None,
    realtime: Annotated[bool, typer.Option(help="pace the replay by the data's own clock")] = False,
    speed: Annotated[float, typer.Option(help="with --realtime: times faster than real")] = 1.0,
    store: Annotated[bool, typer.Option(help="store tracks and alerts in the database")] = True,
) -> None:
    """Replay recorded AIS (NMEA, NMEA.gz or decoded CSV) through tracks and detectors."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from bastion.core.clikit import sessions
    from bastion.core.config import get_settings
    from bastion.core.db import make_engine, make_sessionmaker
    from bastion.maritime.ais import Pipeline
    from bastion.maritime.picture import Picture

    settings = get_settings()
    # --no-store never writes: it needs no installed database (a throwaway in-memory one).
    factory = sessions(settings) if store else make_sessionmaker(make_engine("sqlite://"))
    if store:  # who owns the alerts, asked before the first batch rather than after it
        from bastion.maritime.picture import owning_agency

        with factory() as session:
            owning_agency(session, settings)
    out: TextIO | None = alerts_out.open("w", encoding="utf-8") if alerts_out else None
    kinds: Counter[str] = Counter()

    def on_alert(action: str, alert: dict[str, Any], reason: str | None) -> None:
        kinds[f"{alert['kind']}:{action}"] += 1
        if out:
            out.write(json.dumps({"action": action, **alert, "reason": reason},
                                 ensure_ascii=False, default=str) + "\n")

    picture = Picture(sessions=factory, settings=settings, engine=build_engine(zones, settings), store=store,
                      on_alert=on_alert)
    pipeline = Pipeline()
    started, first_data = time.monotonic(), None
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=err, transient=False) as progress:
        for path in files:
            task = progress.add_task(path.name, total=_count(path))
            done = pipeline.stats.lines
            for message in _messages(path, pipeline):
                if realtime and message.get("time"):
                    at = datetime.fromisoformat(message["time"])
                    first_data = first_data or at
                    lag = (at - first_data).total_seconds() / speed - (time.monotonic() - started)
                    if lag > 0:
                        time.sleep(min(lag, 60))
                picture.ingest(message, arrival=None if message.get("time") else datetime.now(UTC))
                if pipeline.stats.lines - done >= 2000:
                    progress.update(task, advance=pipeline.stats.lines - done)
                    done = pipeline.stats.lines
            progress.update(task, completed=progress.tasks[task].total)
    picture.finish()
    if out:
        out.close()
    stats = pipeline.stats
    err.print(f"messages: {stats.messages}  lines: {stats.lines}")
    for reason, count in sorted(stats.skipped.items()):
        err.print(f"  skipped {reason}: {count}")
    for key, count in sorted(kinds.items()):
        err.print(f"  alert {key}: {count}")
