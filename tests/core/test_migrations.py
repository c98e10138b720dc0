"""Migrations: up, down and up again, on SQLite and PostgreSQL; the schema matches the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import make_url

import bastion.models  # noqa: F401
from bastion.core import migrate
from bastion.core.db import Base, make_engine
from tests.conftest import pg_url


def _scratch_databases(tmp_path) -> list[str]:
    urls = [f"sqlite:///{tmp_path / 'migrations.db'}"]
    base = pg_url()
    if base:
        # Named after the test database, so runs against different databases never meet.
        scratch = f"{make_url(base).database}_migrations"
        admin = make_engine(str(make_url(base).set(database="postgres")))
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
            conn.execute(text(f'CREATE DATABASE "{scratch}"'))
        admin.dispose()
        urls.append(make_url(base).set(database=scratch).render_as_string(hide_password=False))
    return urls


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return _scratch_databases(tmp_path_factory.mktemp("migrations"))


def test_up_down_up(scratch):
    tables = set(Base.metadata.tables)
    for url in scratch:
        migrate.upgrade(url)
        assert tables <= migrate.current_tables(url), url
        migrate.downgrade(url, "base")
        assert migrate.current_tables(url) <= {"alembic_version"}, url
        migrate.upgrade(url)
        assert tables <= migrate.current_tables(url), url


def test_models_and_migrations_agree(scratch):
    for url in scratch:
        migrate.upgrade(url)
        engine = make_engine(url)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        engine.dispose()
        assert diff == [], (url, diff)
