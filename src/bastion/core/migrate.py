"""Running the Alembic migrations from code (CLI, `make run`, tests) on any database URL, and
telling an operator, in one line, when a database is missing or behind this version.

One main history lives in ``bastion/migrations/versions`` (the platform and the domains that
grew with it). A domain may bring its own folder (``migrations`` in its manifest): its first
revision has no ``down_revision``, a ``branch_labels`` of the domain's name and ``depends_on``
the main revision whose tables it needs. A branch rather than a link in the main chain,
because an installed domain cannot know which main revision will be the head on the day it
is installed, and the main history must not name the domains that plug into it. So there may
be several heads, and "head" means all of them.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, make_url, text
from sqlalchemy.exc import DBAPIError

from bastion.core import domains
from bastion.core.db import make_engine
from bastion.core.errors import DatabaseNotReady

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
NEXT_STEPS = "run `bastion db upgrade`, then `bastion setup` (or `bastion demo load`)"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    locations = [MIGRATIONS / "versions", *domains.migration_dirs()]
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations",
                           os.pathsep.join(str(p) for p in locations).replace("%", "%%"))
    return config


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None for other databases and in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def describe(url: str) -> str:
    """How to name the database to a person: the file for SQLite, the URL without password."""
    path = sqlite_file(url)
    return str(path) if path else make_url(url).render_as_string(hide_password=True)


def heads() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def current_revisions(url: str) -> set[str] | None:
    """The database's migration revisions, one per branch (the main history and each domain
    that brought its own); None when it has none (new or foreign database)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            found = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
            return found or None
    finally:
        engine.dispose()


def current_revision(url: str) -> str | None:
    """The revisions as one line for people (``0007`` or ``0007, lighthouses_0001``)."""
    found = current_revisions(url)
    return ", ".join(sorted(found)) if found else None


def require_current(url: str) -> None:
    """Raise ``DatabaseNotReady`` unless the database exists and is at this version's head.

    A missing SQLite file is refused before connecting, because connecting would create an
    empty one where the operator did not mean to keep data.
    """
    path = sqlite_file(url)
    if path is not None and (not path.exists() or path.stat().st_size == 0):
        raise DatabaseNotReady(f"no database at {path}: {NEXT_STEPS}")
    try:
        found = current_revisions(url)
    except DBAPIError as exc:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise DatabaseNotReady(f"cannot open the database {describe(url)}: {first}") from None
    if found is None:
        raise DatabaseNotReady(f"the database {describe(url)} is not migrated: {NEXT_STEPS}")
    if found != heads():
        raise DatabaseNotReady(f"the database {describe(url)} is at revision "
                               f"{', '.join(sorted(found))}, this "
                               f"version of Bastion needs {', '.join(sorted(heads()))}: "
                               "run `bastion db upgrade`")


def upgrade(url: str, revision: str = "heads") -> None:
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "heads" if revision == "head" else revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def current_tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
