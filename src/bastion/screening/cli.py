"""``bastion watchlist import`` and ``bastion screen names`` (adds to ``bastion screen pairs``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

# The name matcher loads its tables when imported (seconds): every command imports what it
# needs inside, so that `bastion screen --help` answers at once.
DEFAULT_THRESHOLD = 0.8  # = screening.names.score.DEFAULT_THRESHOLD (tests/cli checks)

app = typer.Typer(help="Screen names against a watchlist; score name pairs.",
                  no_args_is_help=True)
screen_app = app  # `bastion screen`: pairs (names library) and names (against a watchlist)
watchlist_app = typer.Typer(help="Watchlists.", no_args_is_help=True)
err = Console(stderr=True)
out = Console()


def _sessions():
    from bastion.core.clikit import sessions

    return sessions()


def _user(session, username: str):
    from bastion.core.config import get_settings
    from bastion.core.migrate import describe
    from bastion.org import service as org

    user = org.get_user_by_username(session, username=username)
    if user is None or not user.active:
        org.require_users(session, where=describe(get_settings().database_url))
        err.print(f"[red]--as: no active user {username!r}")
        raise typer.Exit(2)
    return user


@watchlist_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    list_name: Annotated[str, typer.Option("--list", help="the watchlist's name")],
    as_user: Annotated[str, typer.Option("--as", help="acting user (a supervisor of the "
                                         "owning agency); audited")],
    create: Annotated[bool, typer.Option(help="create the list (AMBER, all agencies) if new")] = False,
) -> None:
    """Import FollowTheMoney JSON lines, CSV or xlsx (template) into a list: all rows or none."""
    from bastion.core.db import transaction
    from bastion.core.errors import BastionError, NotFound
    from bastion.core.marking import TLP, Distribution
    from bastion.org.sharing import MarkingIn
    from bastion.screening import service
    from bastion.screening.importers import read_watchlist

    factory = _sessions()  # a missing database is said before the file is read
    result = read_watchlist(file)
    if not result.ok:
        for e in result.errors:
            place = ", ".join(p for p in (e.file, e.sheet and f"sheet {e.sheet}", f"row {e.row}",
                                          e.column and f"column {e.column}") if p)
            err.print(f"{place}: {e.code}: {e.message}")
        err.print(f"[red]{len(result.errors)} errors; nothing was imported")
        raise typer.Exit(1)
    try:
        with transaction(factory) as session:
            user = _user(session, as_user)
            try:
                watchlist = service.get_list(session, user=user, name=list_name)
            except NotFound:
                if not create:
                    err.print(f"[red]no watchlist {list_name!r} (use --create)")
                    raise typer.Exit(2) from None
                watchlist = service.create_list(session, user=user, name=list_name,
                                                source=file.name, marking=MarkingIn(
                                                    tlp=TLP.AMBER, distribution=Distribution.ALL))
            counts = service.import_entries(session, user=user, watchlist=watchlist,
                                            result=result)
    except BastionError as exc:
        err.print(f"[red]{exc.message}")
        raise typer.Exit(2) from None
    out.print(f"{list_name}: {counts['created']} created, {counts['updated']} updated, "
              f"{counts['deactivated']} deactivated; skipped {dict(result.skipped)}")


@app.command("pairs")
def pairs(
    file: Annotated[Path, typer.Argument(help="CSV with columns query,candidate[,query_dob,...]")],
    threshold: Annotated[float, typer.Option(help="match threshold")] = DEFAULT_THRESHOLD,
) -> None:
    """Score each (query, candidate) row; write the rows plus `score` and `match` to stdout."""
    from bastion.screening.names.cli import pairs as score_pairs

    score_pairs(file, threshold)


@app.command("names")
def screen_names(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    list_name: Annotated[str, typer.Option("--list", help="the watchlist's name")],
    as_user: Annotated[str, typer.Option("--as", help="acting officer; audited")],
) -> None:
    """Screen a crew or passenger list (CSV/xlsx template) against a watchlist; print hits."""
    from bastion.core.db import transaction
    from bastion.screening import service
    from bastion.screening.crewlist import read_people

    people, problems = read_people(file)
    for problem in problems:
        err.print(f"{file}, row {problem.row}, column {problem.column}: {problem.message}")
    if not people:
        raise typer.Exit(1)
    with transaction(_sessions()) as session:
        user = _user(session, as_user)
        watchlist = service.get_list(session, user=user, name=list_name)
        results = service.screen(session, user=user, people=people, lists=[watchlist],
                                 context=f"cli: {file.name}")
        table = Table(title=f"{file.name} against {list_name}")
        for column in ("ref", "person", "outcome", "entry", "score", "why"):
            table.add_column(column)
        for result in results:
            if not result.hits:
                table.add_row(result.person.ref, result.person.name, result.outcome, "", "", "")
            for hit in result.hits:
                table.add_row(result.person.ref, result.person.name, result.outcome,
                              hit.entry.name, f"{hit.score:.2f}", "; ".join(hit.explanation))
    out.print(table)
