"""``bastion ais``: decode NMEA files to JSON lines (``listen`` lives in ``maritime/cli.py``).

stdout carries only messages (one JSON object a line, for ``jq`` or a loader); everything for
the operator (progress, skipped-line counts, feed health) goes to stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from rich.progress import Progress

    from bastion.maritime.ais.pipeline import Stats

# The decoder is imported inside the commands, so that `bastion ais --help` answers at once.
app = typer.Typer(help="AIS: decode NMEA files and feeds.", no_args_is_help=True)
err = Console(stderr=True)


@app.callback()
def _commands() -> None:
    """A group even with ``decode`` alone (maritime/cli.py adds the rest): a Typer app with
    one command would otherwise run it without its name."""


# Below this size a progress bar only flickers.
_PROGRESS_MIN_BYTES = 5_000_000


def _emit(message: dict, out) -> None:
    if "ship_type" in message:
        # pyais calls it ship_type; gpsd and the key list call it shiptype: give both.
        message = {**message, "shiptype": message["ship_type"]}
    out.write(json.dumps(message, separators=(",", ":"), default=str))
    out.write("\n")


def _summary(stats: Stats) -> None:
    err.print(f"{stats.messages} messages from {stats.lines} lines")
    for reason, count in stats.skipped.most_common():
        err.print(f"  skipped {reason}: {count}")


def _tracked(path: Path, progress: Progress | None):
    """The file's lines, advancing the progress bar by the bytes read."""
    from bastion.maritime.ais.sources import open_lines

    if progress is None:
        yield from open_lines(path)
        return
    task = progress.add_task(path.name, total=path.stat().st_size)
    # gzip sizes are compressed; the bar is approximate there and completes at the end
    for line in open_lines(path):
        progress.advance(task, len(line))
        yield line
    progress.update(task, completed=path.stat().st_size)


@app.command()
def decode(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False,
                                                help="NMEA logs (.gz fine) or AIS CSV")],
    csv_input: Annotated[bool, typer.Option("--csv", help="the files are MarineCadastre or "
                                            "DMA CSV")] = False,
) -> None:
    """Print one JSON object per decoded message; skipped lines by reason go to stderr."""
    from rich.progress import BarColumn, Progress, TextColumn, TransferSpeedColumn

    from bastion.maritime.ais.csv_readers import read_csv
    from bastion.maritime.ais.pipeline import Pipeline, Stats

    stats = Stats()
    out = sys.stdout
    big = sum(f.stat().st_size for f in files) >= _PROGRESS_MIN_BYTES
    progress = None
    if big and sys.stderr.isatty():
        progress = Progress(TextColumn("{task.description}"), BarColumn(), TransferSpeedColumn(),
                            console=err, transient=True)
        progress.start()
    try:
        for path in files:
            if csv_input:
                messages = read_csv(path, stats=stats)
            else:
                messages = Pipeline(stats=stats).run(_tracked(path, progress))
            for message in messages:
                _emit(message, out)
    finally:
        if progress is not None:
            progress.stop()
    out.flush()
    _summary(stats)
