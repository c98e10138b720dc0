"""Test fixtures: real databases built by the migrations, one rolled-back transaction a test.

Every database test runs on SQLite, and on PostgreSQL too when ``BASTION_TEST_PG`` is set
(a URL, or ``1`` for the local default). CI sets it; a laptop without PostgreSQL skips it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bastion.core import migrate, security
from bastion.core.config import Settings
from bastion.core.db import make_engine
from bastion.web.app import create_app

security.use_fast_hashing_for_tests()

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TEST_SECRET = "test-secret-key-not-for-production"


def pg_url() -> str | None:
    """The PostgreSQL database of this test process: under pytest-xdist each worker gets its
    own (``test_gw0``, ...), created on first use, since tests reset the schema."""
    value = os.environ.get("BASTION_TEST_PG")
    if not value:
        return None
    url = PG_DEFAULT if value == "1" else value
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return _worker_database(url, worker) if worker else url


@functools.cache
def _worker_database(url: str, worker: str) -> str:
    from sqlalchemy.engine import make_url

    name = f"{make_url(url).database}_{worker}"
    admin = make_engine(make_url(url).set(database="postgres").render_as_string(
        hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                        {"n": name}).first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if pg_url() else ["sqlite"]


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", params=_backends())
def db_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'bastion-test.db'}"
    else:
        url = pg_url()
        assert url
        reset_postgres(url)
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine):
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        if outer.is_active:
            outer.rollback()


@pytest.fixture
def session_factory(connection) -> sessionmaker[Session]:
    # Commits inside the code under test release SAVEPOINTs; the outer transaction is rolled
    # back after the test, so tests never see each other's data.
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                        expire_on_commit=False)


@pytest.fixture
def session(session_factory) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture
def settings(db_url: str) -> Settings:
    # Scheduled jobs would write from another thread into the test's transaction, and the
    # event-log reader would poll a database the test's connection holds.
    return Settings(database_url=db_url, secret_key=TEST_SECRET, language="zh-CN",
                    green_channel_check_seconds=0, jobs_in_server=False, event_poll_seconds=0,
                    _env_file=None)


@pytest.fixture
def app(settings: Settings, session_factory):
    app = create_app(settings)
    app.state.engine.dispose()
    app.state.sessionmaker = session_factory
    return app


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def world(session: Session):
    """Agencies and people for most tests (see tests/factories.py)."""
    from tests.factories import build_world

    return build_world(session)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if "browser" in str(Path(item.fspath).relative_to(here)):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """A real server (uvicorn, SQLite, demo data) for tests that need real HTTP."""
    from tests import live_server as live

    server = live.start(tmp_path_factory.mktemp("live"))
    yield server
    live.stop(server)
