"""``bastion patrols coverage``: segment coverage from files, without a database.

Import nothing heavy at module level: ``bastion patrols --help`` must answer at once.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

EXIT_BAD_INPUT = 1  # issue 12: bad input exits 1 naming the file and the feature or point



class Language(StrEnum):
    zh_CN = "zh-CN"
    en = "en"


app = typer.Typer(help="Patrols: segment coverage from GPX tracks.", no_args_is_help=True)


@app.callback()
def patrols() -> None:
    """Patrols: segment coverage from GPX tracks."""


@app.command()
def coverage(
    tracks: Annotated[list[Path], typer.Argument(help="GPX files; each trkseg is a polyline")],
    segments: Annotated[Path, typer.Option("--segments", help="GeoJSON FeatureCollection of "
                                           "named LineString/MultiLineString segments")],
    within: Annotated[float, typer.Option("--within", metavar="METRES",
                                          help="a point is covered within this distance (<=) "
                                               "of a track")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of a table")] = False,
    language: Annotated[Language | None, typer.Option(help="language of the messages")] = None,
) -> None:
    """Length of each segment within METRES of the tracks, over its length (WGS 84)."""
    from bastion.core import context

    if language is not None:
        current = context.current()
        context.set_current(context.RequestContext(
            language=language.value, timezone=current.timezone, client_ip=current.client_ip))
    from bastion.border.coverage import segment_coverage
    from bastion.border.inputs import GeoFileError, read_segments, read_tracks
    from bastion.core.i18n import gettext as _

    try:
        if not within >= 0 or within == float("inf"):
            raise GeoFileError(_("--within must be a distance in metres, 0 or more"))
        lines = read_segments(segments)
        polylines = [line for path in tracks for line in read_tracks(path)]
    except GeoFileError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    results = segment_coverage(lines, polylines, within)
    length = sum(r.length_m for r in results)
    covered = sum(r.covered_m for r in results)
    total = covered / length if length else 0.0
    if as_json:
        typer.echo(json.dumps({
            "segments": [{"name": r.name, "length_m": round(r.length_m, 3),
                          "covered_m": round(r.covered_m, 3), "coverage": round(r.coverage, 6)}
                         for r in results],
            "length_m": round(length, 3), "covered_m": round(covered, 3),
            "coverage": round(total, 6)}, ensure_ascii=False))
        return
    rows = [(r.name, f"{r.length_m / 1000:.3f}", f"{r.covered_m / 1000:.3f}",
             f"{100 * r.coverage:.1f}") for r in results]
    rows.append((_("Total"), f"{length / 1000:.3f}", f"{covered / 1000:.3f}",
                 f"{100 * total:.1f}"))
    head = (_("Segment"), _("Length km"), _("Covered km"), _("Coverage %"))
    width = [max(_width(row[i]) for row in (head, *rows)) for i in range(4)]
    for row in (head, *rows):
        cells = [row[0] + " " * (width[0] - _width(row[0]))]
        cells += [" " * (w - _width(cell)) + cell for cell, w in zip(row[1:], width[1:],
                                                                      strict=True)]
        typer.echo("  ".join(cells))
    typer.echo(_("Within: %(m)s m; track segments: %(n)d; GPX files: %(f)d")
               % {"m": f"{within:g}", "n": len(polylines), "f": len(tracks)})


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Chinese characters take two."""
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)
