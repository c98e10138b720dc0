"""The ``bastion`` command: database, demo data, users, the server, and each domain's tools."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bastion.core.config import get_settings
from bastion.core.db import make_engine, make_sessionmaker, transaction
from bastion.org.models import Role

app = typer.Typer(help="Bastion: operations platform for border-control units.",
                  no_args_is_help=True)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(demo_app, name="demo")
console = Console()
err = Console(stderr=True)


def _sessions():
    settings = get_settings()
    return make_sessionmaker(make_engine(settings.database_url))


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from bastion.core import migrate

    migrate.upgrade(get_settings().database_url, revision)
    console.print(f"database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION ('base' removes everything)."""
    from bastion.core import migrate

    migrate.downgrade(get_settings().database_url, revision)
    console.print(f"database at {revision}")


@demo_app.command("load")
def demo_load(
    if_empty: Annotated[bool, typer.Option("--if-empty")] = False,
    maritime: Annotated[bool, typer.Option(help="also a synthetic day of AIS traffic")] = True,
) -> None:
    """Load the demo agencies, users, notices, maritime picture and port calls (into an empty
    database)."""
    from bastion import demo

    loaded_now = False
    with transaction(_sessions()) as session:
        if not demo.is_empty(session):
            if not if_empty:
                err.print("[red]the database is not empty; demo data goes only into an empty one")
                raise typer.Exit(1)
            users = demo.present(session)
            if not users:
                console.print("database has data (no demo users); demo not loaded")
                return
            console.print("database has data already; the demo users in it:")
        else:
            users = demo.load(session)
            loaded_now = True
    if maritime and loaded_now:
        _load_maritime_demo()
    if loaded_now:  # after the AIS day, so the pre-check finds those vessels' alerts
        _load_clearance_demo()
    table = Table(title=f"Demo users — password (unless changed): {demo.DEMO_PASSWORD}")
    for column in ("username", "name", "agency", "role"):
        table.add_column(column)
    for user in users:
        table.add_row(user.username, user.display_name, user.agency, user.role)
    console.print(table)


def _load_maritime_demo() -> None:
    from bastion.maritime import demo as maritime_demo
    from bastion.maritime.cli import build_engine
    from bastion.maritime.picture import Picture

    settings = get_settings()
    with console.status("maritime demo: a synthetic day of AIS traffic off Yangjiang ..."):
        picture = Picture(sessions=_sessions(), settings=settings,
                          engine=build_engine(None, settings))
        count = maritime_demo.load(picture)
    console.print(f"maritime demo: {count} synthetic AIS messages through the live pipeline")


def _load_clearance_demo() -> None:
    from bastion.clearance import demo as clearance_demo

    with console.status("clearance demo: terminals, port calls, synthetic history ..."), \
            transaction(_sessions()) as session:
        made = clearance_demo.load(session)
    states = ", ".join(f"{n} {state}" for state, n in made.states.items())
    console.print(f"clearance demo: {made.terminals} terminals, {made.calls} port calls ({states}), "
                  f"{made.history} SYNTHETIC departed calls since {made.since:%Y-%m-%d}")


@user_app.command("create")
def user_create(
    username: str,
    agency: Annotated[str, typer.Option(help="agency code, e.g. YJ-BIS")],
    name: Annotated[str, typer.Option(help="display name")],
    role: Annotated[Role, typer.Option()] = Role.OFFICER,
    password: Annotated[str | None, typer.Option(help="prompted when omitted")] = None,
    language: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Create a user account."""
    from pydantic import ValidationError

    from bastion.core.errors import BastionError
    from bastion.org import service
    from bastion.org.schemas import UserCreate

    if password is None:
        password = getpass.getpass("password: ")
    try:
        with transaction(_sessions()) as session:
            found = service.get_agency_by_code(session, code=agency)
            if found is None:
                raise BastionError(f"no agency with code {agency!r}", field="agency")
            user = service.create_user(session, actor=None, data=UserCreate(
                username=username, display_name=name, agency_id=found.id, role=role,
                password=password, language=language))
            console.print(f"created user {user.username} (id {user.id}, {user.role.value})")
    except ValidationError as exc:
        for error in exc.errors():
            err.print(f"[red]{'.'.join(map(str, error['loc']))}: {error['msg']}")
        raise typer.Exit(2) from None
    except BastionError as exc:
        err.print(f"[red]{exc.field or 'error'}: {exc.message}")
        raise typer.Exit(2) from None


@app.command()
def serve(host: str | None = None, port: int | None = None) -> None:
    """Serve the web UI and API."""
    import uvicorn

    from bastion.web.app import create_app

    settings = get_settings()
    uvicorn.run(create_app(settings), host=host or settings.host, port=port or settings.port,
                proxy_headers=False)


@app.command()
def worker(once: Annotated[bool, typer.Option("--once", help="run every job once and exit")]
           = False) -> None:
    """Run the domains' scheduled jobs (and the NATS relay) until Ctrl-C or SIGTERM."""
    from bastion.worker import main

    raise typer.Exit(main(once=once))


def _mount_domain_tools() -> None:
    """Each domain brings its own sub-command when it is installed."""
    import importlib

    for module, name in (("bastion.maritime.cli", "ais"), ("bastion.tides.cli", "tides"),
                         ("bastion.screening.cli", "screen"),
                         ("bastion.clearance.cli", "clearance")):
        try:
            sub = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        app.add_typer(sub.app, name=name)
        if hasattr(sub, "watchlist_app"):
            app.add_typer(sub.watchlist_app, name="watchlist")


_mount_domain_tools()

if __name__ == "__main__":
    app()
