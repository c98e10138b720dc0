"""The ``bastion`` command: database, demo data and the server here; every other group
(``setup``, ``agency``, ``user``, ``ais``, ``tides``, ``screen``, ``watchlist``, ``clearance``)
comes from its domain's manifest and is imported only when it runs (``core.clikit``).

Keep this module's imports to Typer and the floor's CLI kit: ``bastion --help`` must answer at
once (``bench/cli_help.py``). Everything heavier is imported inside the command that needs it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from bastion.core.clikit import LazyGroup, fail, sessions

app = typer.Typer(cls=LazyGroup, help="Bastion: operations platform for border-control units.",
                  no_args_is_help=True, pretty_exceptions_show_locals=False)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)
tls_app = typer.Typer(help="HTTPS with the unit's own certificate authority.",
                      no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(tls_app, name="tls")


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr)


@db_app.command("upgrade")
def db_upgrade(
    revision: str = "head",
    no_backup: Annotated[bool, typer.Option(
        "--no-backup", help="skip the backup taken before migrating a database with data")]
    = False,
) -> None:
    """Create or migrate the database up to REVISION (default: the newest); says which.

    A database with data is backed up first (into the data folder's backups/) when a
    migration is pending."""
    from bastion.core import migrate
    from bastion.core.config import get_settings

    settings = get_settings()
    url = settings.database_url
    where = migrate.describe(url)
    path = migrate.sqlite_file(url)
    new = path is not None and (not path.exists() or path.stat().st_size == 0)
    before = None if new else _revision_or_fail(url)
    if not new and not no_backup and _pending(url, revision):
        from bastion.core import backup
        from bastion.core.errors import Invalid

        if backup.has_data(url):
            try:
                made = backup.backup(url, backup.default_path(
                    settings.data_dir, url, label=f"before-{before or 'none'}".replace(", ", "+")))
            except Invalid as exc:
                fail(f"{exc.message}; nothing migrated (`bastion db upgrade --no-backup` "
                     "migrates without a backup)")
            typer.echo(f"backed up the database {where} before migrating: {made.path} "
                       f"({backup.human_size(made.size)}); `bastion restore` puts it back")
    migrate.upgrade(url, revision)
    after = migrate.current_revision(url)
    if new:
        typer.echo(f"created the database {where} (revision {after})")
    elif before == after:
        typer.echo(f"the database {where} is at revision {after} already")
    else:
        typer.echo(f"migrated the database {where} from revision {before or 'none'} to {after}")


def _pending(url: str, revision: str) -> bool:
    """Whether upgrading to REVISION would run a migration."""
    from bastion.core import migrate

    found = migrate.current_revisions(url) or set()
    if revision in ("head", "heads"):
        return found != migrate.heads()
    return revision not in found


def _revision_or_fail(url: str) -> str | None:
    from sqlalchemy.exc import DBAPIError

    from bastion.core import migrate

    try:
        return migrate.current_revision(url)
    except DBAPIError as exc:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        fail(f"cannot open the database {migrate.describe(url)}: {first}")


@db_app.command("downgrade")
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION ('base' removes everything)."""
    from bastion.core import migrate
    from bastion.core.config import get_settings

    url = get_settings().database_url
    path = migrate.sqlite_file(url)
    if path is not None and not path.exists():
        fail(f"no database at {path}: nothing to downgrade")
    migrate.downgrade(url, revision)
    typer.echo(f"the database {migrate.describe(url)} is at revision "
               f"{migrate.current_revision(url) or 'base'}")


@db_app.command("current")
def db_current() -> None:
    """Print the database in use and its migration revision."""
    from bastion.core import migrate
    from bastion.core.config import get_settings

    url = get_settings().database_url
    path = migrate.sqlite_file(url)
    if path is not None and not path.exists():
        fail(f"no database at {path}: {migrate.NEXT_STEPS}")
    typer.echo(f"{migrate.describe(url)} revision {_revision_or_fail(url) or 'none'}")


@app.command()
def backup(
    out: Annotated[Path | None, typer.Option(
        "--out", help="the backup file (default: the data folder's backups/ with a UTC time)")]
    = None,
) -> None:
    """Back up the database while it is in use: SQLite by its online backup (checked with
    integrity_check), PostgreSQL with pg_dump -Fc. Prints the file and its size."""
    from bastion.core import backup as backups
    from bastion.core import migrate
    from bastion.core.config import get_settings

    settings = get_settings()
    url = settings.database_url
    made = backups.backup(url, out or backups.default_path(settings.data_dir, url))
    typer.echo(f"backed up {migrate.describe(url)} (revision "
               f"{', '.join(sorted(made.revisions))}) to {made.path} "
               f"({backups.human_size(made.size)})")


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="a file made by `bastion backup`")],
    yes: Annotated[bool, typer.Option(
        "--yes", help="replace a database that has data")] = False,
) -> None:
    """Restore a backup into the configured database, replacing what it holds. Stop
    `bastion serve` and every worker or feed first."""
    from bastion.core import backup as backups
    from bastion.core import migrate
    from bastion.core.config import get_settings
    from bastion.core.errors import DatabaseNotReady

    url = get_settings().database_url
    where = migrate.describe(url)
    backups.backup_revisions(file, url)  # a backup of this kind of database, or say so now
    if not yes and backups.has_data(url):
        fail(f"the database {where} has data: stop the server, workers and feeds, then "
             "run again with --yes to replace it with the backup")
    typer.echo(f"restoring {file} into {where}: `bastion serve`, workers and feeds on this "
               "database must be stopped")
    revisions = backups.restore(file, url)
    typer.echo(f"restored {file} into {where} (revision {', '.join(sorted(revisions))}); "
               "restart the server")
    try:
        migrate.require_current(url)
    except DatabaseNotReady:
        typer.echo("the backup is older than this version of Bastion: run `bastion db upgrade`")


@demo_app.command("load")
def demo_load(
    if_empty: Annotated[bool, typer.Option("--if-empty")] = False,
    maritime: Annotated[bool, typer.Option(help="also a synthetic day of AIS traffic")] = True,
    border: Annotated[bool, typer.Option(
        help="also the land border's map and a month of SYNTHETIC patrols")] = True,
) -> None:
    """Load the demo agencies, users, notices, maritime picture and port calls (into an empty
    database)."""
    from rich.table import Table

    from bastion import demo
    from bastion.core.db import transaction

    console = _console()
    loaded_now = False
    with transaction(sessions()) as session:
        if not demo.is_empty(session):
            if not if_empty:
                _console(stderr=True).print(
                    "[red]the database is not empty; demo data goes only into an empty one")
                raise typer.Exit(1)
            users = demo.present(session)
            if not users:
                console.print("database has data (no demo users); demo not loaded")
                return
            console.print("database has data already; the demo users in it:")
        else:
            users = demo.load(session, border=border)
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
    from bastion.core.config import get_settings
    from bastion.maritime import demo as maritime_demo
    from bastion.maritime.feeds import build_engine
    from bastion.maritime.picture import Picture

    settings = get_settings()
    console = _console()
    with console.status("maritime demo: a synthetic day of AIS traffic off Yangjiang ..."):
        factory = sessions()
        picture = Picture(sessions=factory, settings=settings,
                          engine=build_engine(None, settings, factory))
        count = maritime_demo.load(picture)
    console.print(f"maritime demo: {count} synthetic AIS messages through the live pipeline")


def _load_clearance_demo() -> None:
    from bastion.clearance import demo as clearance_demo
    from bastion.core.db import transaction

    console = _console()
    with console.status("clearance demo: terminals, port calls, synthetic history ..."), \
            transaction(sessions()) as session:
        made = clearance_demo.load(session)
        from bastion.cases import demo as cases_demo  # cases from the AIS day's alerts

        sea_cases = cases_demo.load_sea(session)
    states = ", ".join(f"{n} {state}" for state, n in made.states.items())
    console.print(f"clearance demo: {made.terminals} terminals, {made.calls} port calls ({states}), "
                  f"{made.history} SYNTHETIC departed calls since {made.since:%Y-%m-%d}; "
                  f"{sea_cases} SYNTHETIC cases from vessel alerts")


@tls_app.command("init")
def tls_init(
    name: Annotated[str, typer.Option(help="the unit's name, shown as the CA's name on phones")],
    host: Annotated[list[str] | None, typer.Option(
        "--host", help="a name or IP address phones use to reach the server (repeat); "
                       "localhost and 127.0.0.1 are always included")] = None,
    force: Annotated[bool, typer.Option("--force", help="replace an existing CA")] = False,
) -> None:
    """Create the unit's certificate authority (10 years) and a server certificate it signs,
    in the data folder's tls/. Phones install the CA from /help/certificate."""
    from bastion.core import tls
    from bastion.core.config import get_settings

    made = tls.init(get_settings().data_dir, name=name, hosts=list(host or []), force=force)
    ca = tls.load_ca(get_settings().data_dir)
    assert ca is not None
    typer.echo(f"certificate authority: {made.ca_cert} (key {made.ca_key}, mode 0600)")
    typer.echo(f"server certificate: {made.server_cert} (key {made.server_key}, mode 0600)")
    typer.echo(f"SHA-256 fingerprint of the CA: {tls.fingerprint(ca)}")
    typer.echo("serve with `bastion serve --https` (or BASTION_TLS=1)")


@tls_app.command("show")
def tls_show() -> None:
    """Print where the CA is and its SHA-256 fingerprint."""
    from bastion.core import tls
    from bastion.core.config import get_settings

    ca = tls.load_ca(get_settings().data_dir)
    if ca is None:
        fail("no certificate authority yet: run `bastion tls init`")
    typer.echo(f"{tls.files(get_settings().data_dir).ca_cert}: {ca.subject.rfc4514_string()}, "
               f"valid until {ca.not_valid_after_utc:%Y-%m-%d}")
    typer.echo(f"SHA-256 fingerprint: {tls.fingerprint(ca)}")


@app.command()
def serve(host: str | None = None, port: int | None = None,
          workers: Annotated[int, typer.Option(
              help="processes answering requests (default BASTION_WEB_WORKERS: one a core, "
                   "at most 4)", min=0, max=32)] = 0,
          https: Annotated[bool, typer.Option(
              "--https", help="serve HTTPS with the certificate of `bastion tls init` "
                              "(default BASTION_TLS)")] = False) -> None:
    """Serve the web UI and API."""
    import uvicorn

    from bastion.core.config import get_settings
    from bastion.core.migrate import describe
    from bastion.org.service import require_users
    from bastion.web.app import create_app

    settings = get_settings()
    with sessions(settings)() as session:
        require_users(session, where=describe(settings.database_url))
    typer.echo(f"database: {describe(settings.database_url)}", err=True)
    where: dict = {"host": host or settings.host, "port": port or settings.port,
                   "proxy_headers": False}
    if https or settings.tls:
        from bastion.core import tls

        where.update(tls.server_options(settings.data_dir))
        # Over HTTPS the cookies are marked Secure (and HSTS sent); the other processes
        # read the same from the environment.
        settings = settings.model_copy(update={"cookie_secure": True})
        os.environ["BASTION_COOKIE_SECURE"] = "true"
        typer.echo(f"HTTPS with {where['ssl_certfile']}", err=True)
    count = workers or settings.web_workers
    if count <= 1:
        uvicorn.run(create_app(settings), **where)
        return
    # Several processes: each builds its app from the environment, so they must share this
    # process's settings, the session key above all (else each would reject the others' cookies).
    from bastion.core import leader

    os.environ["BASTION_SECRET_KEY"] = settings.secret_key
    os.environ["BASTION_DATABASE_URL"] = settings.database_url
    os.environ[leader.LOCK_VARIABLE] = str(leader.lock_path(settings))
    typer.echo(f"serving with {count} processes", err=True)
    uvicorn.run("bastion.web.app:create_app", factory=True, workers=count, **where)


@app.command()
def worker(once: Annotated[bool, typer.Option("--once", help="run every job once and exit")]
           = False) -> None:
    """Run the domains' scheduled jobs (and the NATS relay) until Ctrl-C or SIGTERM."""
    from bastion.worker import main

    raise typer.Exit(main(once=once))


if __name__ == "__main__":
    app()
