"""`bastion screen ...`: score name pairs from a CSV file (batch checks, threshold reviews)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer

from .score import DEFAULT_THRESHOLD, PersonQuery, PersonRecord, normalise_country, parse_dob, score

app = typer.Typer(help="Cross-script person-name screening.", no_args_is_help=True)



@app.callback()
def main() -> None:
    """Cross-script person-name screening (kept as a group so sub-commands can be added)."""


REQUIRED = ("query", "candidate")
OPTIONAL = ("query_dob", "candidate_dob", "query_nationality", "candidate_nationality")


def _fail(file: Path, row: int | None, column: str | None, message: str) -> None:
    where = f"{file}" + (f", row {row}" if row is not None else "") + (
        f", column {column}" if column else "")
    typer.echo(f"error: {where}: {message}", err=True)
    raise typer.Exit(code=2)


@app.command()
def pairs(
    file: Annotated[Path, typer.Argument(help="CSV with columns query,candidate[,query_dob,...]")],
    threshold: Annotated[float, typer.Option(help="match threshold")] = DEFAULT_THRESHOLD,
) -> None:
    """Score each (query, candidate) row; write the rows plus `score` and `match` to stdout."""
    try:
        handle = file.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        _fail(file, None, None, f"cannot read: {exc.strerror}")
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        for col in REQUIRED:
            if col not in header:
                _fail(file, 1, col, "missing required column")
        out_rows = []  # nothing is written until every row is valid
        for line, row in enumerate(reader, start=2):  # row 1 is the header
            values = {k: (row.get(k) or "").strip() for k in (*REQUIRED, *OPTIONAL)}
            for col in REQUIRED:
                if not values[col]:
                    _fail(file, line, col, "empty name")
            for col in OPTIONAL:
                try:
                    if col.endswith("_dob"):
                        parse_dob(values[col])
                    else:
                        normalise_country(values[col])
                except ValueError as exc:
                    _fail(file, line, col, str(exc))
            res = score(
                PersonQuery(values["query"], values["query_dob"] or None,
                            values["query_nationality"] or None),
                PersonRecord(values["candidate"], dob=values["candidate_dob"] or None,
                             nationality=values["candidate_nationality"] or None),
                threshold=threshold,
            )
            out_rows.append({**row, "score": f"{res.score:.4f}",
                             "match": "true" if res.match else "false"})
    writer = csv.DictWriter(sys.stdout, fieldnames=[*header, "score", "match"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(out_rows)
