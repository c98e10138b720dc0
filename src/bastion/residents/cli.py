"""``bastion residents``: import a workbook, check one offline, write the template.

``check`` needs no database: it validates the file and computes the flags as of the end of a
day in the unit's zone, printing ``{"errors": [...], "flags": [...]}`` (exit 0 when the file is
valid, flags or not; 1 on errors, with no flags); with ``--as USER`` it also opens the database
(read only) and adds ``"duplicates"``: the file's persons already among those USER sees, by
sheet and row with the stored person. ``import`` stores the file as a named user in one
transaction (all rows or none), merges a row whose document number is a stored person's into
that person (a file imported twice stores nothing twice), prints the duplicates, and
recomputes the flags of everyone it touched. Heavy
modules are imported inside the commands so that ``bastion residents --help`` answers at once.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, help="Foreign residents of border villages.")

FileArg = Annotated[Path, typer.Argument(help="xlsx workbook, or a folder or zip of CSV files "
                                         "named after the sheets (persons.csv, ...)")]


@app.callback()
def residents() -> None:
    """Foreign residents of border villages: import a workbook, check one offline."""


def _exists(path: Path) -> None:
    from bastion.core.errors import Invalid

    if not path.exists():
        raise Invalid(f"{path}: no such file or folder", field="file")


@app.command("check")
def check(file: FileArg,
          on: Annotated[str, typer.Option("--on", help="the day (YYYY-MM-DD): flags as of its "
                                          "end in the unit's zone")],
          as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
          as_user: Annotated[str | None, typer.Option(
              "--as", help="also look for the file's persons among those this user sees in "
              "the database (duplicate warnings); without it the check needs no database")
          ] = None) -> None:
    """Validate a workbook and compute its flags as of a day, storing nothing; with --as,
    warn of persons already in the registry."""
    from zoneinfo import ZoneInfo

    from bastion.core.config import get_settings
    from bastion.core.errors import Invalid
    from bastion.residents.flags import rules
    from bastion.residents.imports.check import check as run_check

    try:
        day = date.fromisoformat(on)
    except ValueError:
        raise Invalid(f"--on: {on!r} is not a day (YYYY-MM-DD)", field="--on") from None
    _exists(file)
    settings = get_settings()
    result = run_check(file, on=day, zone=ZoneInfo(settings.timezone),
                       rules=rules.load(settings))
    if as_user is not None and not result["errors"]:
        result["duplicates"] = _duplicates(file, as_user, ZoneInfo(settings.timezone))
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    else:
        for e in result["errors"]:
            place = ", ".join(str(p) for p in (e["sheet"] and f"sheet {e['sheet']}",
                                               e["row"] and f"row {e['row']}",
                                               e["column"] and f"column {e['column']}") if p)
            typer.echo(f"{place}: {e['code']}: {e['message']}", err=True)
        for f in result["flags"]:
            lines = rules.render_why(f["why"])
            typer.echo(f"{f['person_id']}\t{f['flag']}\t{f['rule']}\t{f['article']}\t"
                       + " | ".join(lines))
        for d in result.get("duplicates", []):
            typer.echo(_duplicate_line(d), err=True)
        if not result["errors"]:
            typer.echo(f"{len(result['flags'])} flags as of the end of {day}", err=True)
    raise typer.Exit(1 if result["errors"] else 0)


def _duplicates(file: Path, as_user: str, zone: object) -> list[dict]:
    """The file's persons already in the registry, as ``as_user`` sees it (read only)."""
    from bastion.core.clikit import sessions
    from bastion.core.errors import Invalid
    from bastion.org import service as org
    from bastion.residents.imports.store import duplicates

    with sessions()() as session:
        user = org.get_user_by_username(session, username=as_user)
        if user is None or not user.active:
            raise Invalid(f"no active user {as_user!r}", field="--as")
        found = duplicates(session, user=user, path=file, zone=zone)  # type: ignore[arg-type]
        session.rollback()
        return found


@app.command("import")
def import_file(file: FileArg,
                as_user: Annotated[str, typer.Option("--as", help="acting user "
                                                     "(residents.import); audited")],
                amber: Annotated[bool, typer.Option(help="mark the persons TLP:AMBER (own "
                                                    "organisation) instead of GREEN shared "
                                                    "with their village committee")] = False,
                ) -> None:
    """Store a workbook: all rows or none; problems by sheet, row and column, exit 1."""
    from bastion.core.clikit import sessions
    from bastion.core.db import transaction
    from bastion.core.errors import Invalid
    from bastion.core.tabular import Problems
    from bastion.org import service as org
    from bastion.residents.imports import store

    _exists(file)
    factory = sessions()
    try:
        with transaction(factory) as session:
            user = org.get_user_by_username(session, username=as_user)
            if user is None or not user.active:
                raise Invalid(f"no active user {as_user!r}", field="--as")
            counts = store.import_path(session, user=user, path=file, amber=amber)
    except Problems as problems:
        for problem in problems.errors:
            typer.echo(problem.located(), err=True)
        typer.echo(problems.message, err=True)
        raise typer.Exit(1) from None
    duplicates = counts.pop("duplicates", [])
    typer.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))
    for d in duplicates:
        typer.echo(_duplicate_line(d), err=True)


def _duplicate_line(d: dict) -> str:
    """One warning: where in the file, which stored person(s), and what was done."""
    who = "; ".join(f"#{e['id']} {e['name']} ({e['birth_date'] or '?'})" for e in d["existing"])
    done = "merged into" if d["merged"] else "may be"
    by = {"document": f"document {d['document']}", "ambiguous_document":
          f"document {d['document']} held by several", "same_record": "same name, birth date "
          "and village", "name": "same name in another script and birth date"}[d["match"]]
    return f"sheet persons, row {d['row']}, person {d['person_id']}: {done} {who} ({by})"


@app.command("template")
def template(out: Annotated[Path, typer.Argument(help="where to write the xlsx")],
             language: Annotated[str, typer.Option(help="both, en or zh-CN")] = "both") -> None:
    """Write the empty workbook template (sheets persons, documents, crossings, ...)."""
    from bastion.residents.imports.template import workbook

    out.write_bytes(workbook(language))
    typer.echo(str(out))
