"""Running the Alembic migrations from code (CLI, `make run`, tests) on any database URL.

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
from sqlalchemy import inspect

from bastion.core import domains
from bastion.core.db import make_engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    locations = [MIGRATIONS / "versions", *domains.migration_dirs()]
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations",
                           os.pathsep.join(str(p) for p in locations).replace("%", "%%"))
    return config


def _ensure_sqlite_folder(url: str) -> None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and ":memory:" not in url:
        Path(url[len(prefix):]).parent.mkdir(parents=True, exist_ok=True)


def upgrade(url: str, revision: str = "heads") -> None:
    _ensure_sqlite_folder(url)
    command.upgrade(alembic_config(url), "heads" if revision == "head" else revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def current_tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
