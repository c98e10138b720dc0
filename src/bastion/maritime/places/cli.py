"""``bastion ais learn-places``: learn anchorages and water from recordings or stored positions.

Registered on the ``bastion ais`` group by ``maritime/cli.py``; heavy imports stay inside the
command so that ``bastion ais --help`` answers at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bastion.maritime.ais.cli import app

err = Console(stderr=True)


def _positions(path: Path, pipeline):
    """(mmsi, t, lat, lon, speed) of every position report in a recording with a time."""
    from datetime import UTC, datetime

    from bastion.maritime.ais import open_lines, read_csv
    from bastion.maritime.risk.engine import POSITION_TYPES

    messages = (read_csv(path, stats=pipeline.stats) if path.suffix.lower() == ".csv"
                else pipeline.run(open_lines(path)))
    for m in messages:
        lat, lon, text = m.get("lat"), m.get("lon"), m.get("time")
        if m.get("type") not in POSITION_TYPES or lat is None or lon is None or not text:
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        when = datetime.fromisoformat(text)
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        yield m["mmsi"], when.timestamp(), lat, lon, m.get("speed")


@app.command("learn-places")
def learn_places(
    files: Annotated[list[Path] | None, typer.Argument(
        exists=True, dir_okay=False, readable=True,
        help="recordings (NMEA with times, or MarineCadastre/DMA CSV)")] = None,
    stored: Annotated[bool, typer.Option(help="learn from the positions stored in the "
                                         "database instead of files")] = False,
    since_days: Annotated[float | None, typer.Option(
        min=0.01, help="with --stored: only the last N days")] = None,
    dry_run: Annotated[bool, typer.Option(help="report what would be learned; store "
                                          "nothing")] = False,
) -> None:
    """Learn anchorages and water from AIS history into the database.

    Anchorages: where many distinct vessels lay stationary; water: where many crossed at
    speed. The learned set is replaced; the detectors use it from their next start.
    Thresholds: BASTION_DETECTORS__PLACES__* (maritime/places/settings.py)."""
    from datetime import UTC, datetime, timedelta

    from bastion.core.clikit import sessions
    from bastion.core.config import get_settings
    from bastion.core.db import transaction
    from bastion.core.errors import Invalid
    from bastion.core.i18n import gettext as _
    from bastion.maritime.ais import Pipeline
    from bastion.maritime.places import service
    from bastion.maritime.places.learn import Learner, by_vessel

    if bool(files) == stored:
        raise Invalid(_("Give recordings to learn from, or --stored, not both."),
                      field="files")
    if since_days is not None and not stored:
        raise Invalid(_("--since-days applies to --stored only."), field="since_days")
    settings = get_settings()
    place_settings = settings.detectors.places
    factory = sessions(settings)
    if stored:
        since = datetime.now(UTC) - timedelta(days=since_days) if since_days else None
        with factory() as session:
            learner = service.learn_from_positions(session, since=since,
                                                   settings=place_settings)
        source = "stored positions" + (f", last {since_days:g} days" if since_days else "")
    else:
        pipeline = Pipeline()
        learner = Learner(place_settings)
        for mmsi, fixes in by_vessel(row for path in files for row in _positions(path, pipeline)):
            learner.vessel(mmsi, fixes)
        source = ", ".join(path.name for path in files)
    cells = learner.cells()
    anchorages = sum(c.kind == "anchorage" for c in cells)
    err.print(f"learned from {learner.vessels} vessels, {learner.fixes} positions ({source}): "
              f"{anchorages} anchorage points, {len(cells) - anchorages} water cells")
    if dry_run:
        err.print("dry run: nothing stored")
        return
    with transaction(factory) as session:
        service.replace(session, cells=cells, cell_m=place_settings.cell_m, source=source)
    err.print("stored: the learned set replaced; detectors use it from their next start")
