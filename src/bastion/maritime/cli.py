"""``bastion ais replay`` and ``listen``: the whole pipeline over recorded data (data time as
the clock) or a live feed.

Extends the ``bastion ais`` commands of the ingestion library (decode). ``listen`` lives here,
not in ``ais/cli.py``, because feeding the picture reaches above the ingestion library.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console

from bastion.maritime.ais.cli import _emit, _summary, app

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


@app.command()
def listen(
    url: Annotated[str, typer.Argument(help="tcp://HOST:PORT or udp://[HOST]:PORT")],
    every: Annotated[float, typer.Option(help="seconds between counter lines on stderr")] = 10.0,
    watchdog: Annotated[float, typer.Option(help="TCP: reconnect after this many quiet "
                                            "seconds")] = 60.0,
    print_only: Annotated[bool, typer.Option("--print", help="print decoded JSON lines "
                                             "instead of feeding the picture")] = False,
) -> None:
    """Feed a live AIS source into the picture (tracks, detectors, alerts) until interrupted."""
    from bastion.maritime.ais import open_source

    if not print_only:
        from bastion.core.clikit import sessions
        from bastion.core.config import get_settings
        from bastion.maritime.feeds import listen_into_picture
        from bastion.maritime.picture import owning_agency

        # a missing or unmigrated database, or no owner for the alerts, is said now in one line
        with sessions()() as session:
            owning_agency(session, get_settings())
        listen_into_picture(url, watchdog=watchdog)
        return
    options = {"watchdog": watchdog} if url.startswith("tcp:") else {}
    try:
        source = open_source(url, **options)
    except ValueError as exc:
        err.print(f"[red]{exc}")
        raise typer.Exit(2) from None

    import asyncio

    async def report() -> None:
        # A task of its own, so a quiet feed still shows its counters (and watchdog trips).
        while True:
            await asyncio.sleep(every)
            sys.stdout.flush()
            err.print(json.dumps(source.stats.as_dict()))

    async def main() -> None:
        reporter = asyncio.create_task(report())
        try:
            async for message in source:
                _emit(message, sys.stdout)
        finally:
            reporter.cancel()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    finally:
        _summary(source.stats)


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


# A --realtime replay stores its positions at least this often (seconds of wall time).
_REALTIME_FLUSH_S = 1.0


@app.command()
def replay(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True)],
    alerts_out: Annotated[Path | None, typer.Option(help="write every alert event as JSON lines")] = None,
    zones: Annotated[Path | None, typer.Option(help="GeoJSON zones (default: settings)")] = None,
    realtime: Annotated[bool, typer.Option(help="pace the replay by the data's own clock")] = False,
    speed: Annotated[float, typer.Option(help="with --realtime: times faster than real")] = 1.0,
    store: Annotated[bool, typer.Option(help="store tracks and alerts in the database")] = True,
    batch: Annotated[int, typer.Option(min=1, help="messages a stored batch holds at "
                                       "most (one transaction; an alert closes its batch at "
                                       "once; a crash loses at most the open one)")] = 5000,
    again: Annotated[bool, typer.Option(help="read files from the start even where an earlier "
                                        "replay stored them (messages without a time of their "
                                        "own are then stored twice)")] = False,
) -> None:
    """Replay recorded AIS (NMEA, NMEA.gz or decoded CSV) through tracks and detectors.

    A stored replay resumes where an earlier one of the same file stopped: messages with their
    own time are stored once under their natural key; those without one are skipped up to the
    file's checkpoint (``maritime/tracks/checkpoints.py``)."""
    if not store and not realtime:  # nothing stored, no database: maritime/memory_replay.py
        from bastion.maritime.memory_replay import replay as replay_in_memory

        replay_in_memory(files, zones=zones, alerts_out=alerts_out, console=err)
        return
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
    from bastion.maritime.feeds import build_engine
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

    from bastion.maritime.tracks import checkpoints

    reading = {"source": "", "name": "", "taken": 0}

    def on_flush(session) -> None:
        if reading["source"]:
            checkpoints.record(session, reading["source"], reading["name"], reading["taken"])

    # --no-store knows the shipped ports only: its database is a throwaway in-memory one.
    engine = build_engine(zones, settings, factory if store else None)
    picture = Picture(sessions=factory, settings=settings, engine=engine,
                      store=store, on_alert=on_alert, batch=batch, on_flush=on_flush)
    resumed = 0
    pipeline = Pipeline()
    started, first_data = time.monotonic(), None
    flushed = started
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=err, transient=False) as progress:
        for path in files:
            task = progress.add_task(path.name, total=_count(path))
            done = pipeline.stats.lines
            reading.update(source=checkpoints.source_of(path), name=str(path), taken=0)
            before = 0
            if store and not again:
                with factory() as session:
                    before = checkpoints.stored(session, reading["source"])
            for message in _messages(path, pipeline):
                reading["taken"] += 1
                if reading["taken"] <= before and not message.get("time"):
                    resumed += 1  # stored by an earlier replay, with the time it was read then
                    continue
                if realtime and message.get("time"):
                    at = datetime.fromisoformat(message["time"])
                    first_data = first_data or at
                    now = time.monotonic()
                    lag = (at - first_data).total_seconds() / speed - (now - started)
                    if lag > 0:
                        # Waiting for the data's clock: store what came so far (alerts are
                        # stored at once anyway), so the picture follows the replay as it goes.
                        if store and time.monotonic() - flushed > _REALTIME_FLUSH_S:
                            picture.flush()
                            flushed = time.monotonic()
                        time.sleep(max(0.0, min(lag, 60) - (time.monotonic() - now)))
                picture.ingest(message, arrival=None if message.get("time") else datetime.now(UTC))
                if pipeline.stats.lines - done >= 2000:
                    progress.update(task, advance=pipeline.stats.lines - done)
                    done = pipeline.stats.lines
            progress.update(task, completed=progress.tasks[task].total)
            picture.flush()  # this file's checkpoint is final before the next file starts
    reading["source"] = ""
    picture.finish()
    if out:
        out.close()
    stats = pipeline.stats
    err.print(f"messages: {stats.messages}  lines: {stats.lines}")
    if resumed:
        err.print(f"  skipped, stored by an earlier replay: {resumed} (--again reads them)")
    for reason, count in sorted((stats.skipped + picture.skipped).items()):
        err.print(f"  skipped {reason}: {count}")
    for key, count in sorted(kinds.items()):
        err.print(f"  alert {key}: {count}")


from bastion.maritime.places import cli as _places_cli  # noqa: F401  (learn-places)
