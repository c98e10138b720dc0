"""Fixtures for the event-log readers and relays: a database of committed rows that other
connections can see (the usual rolled-back test transaction would hide them)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from bastion.core import migrate
from bastion.core.db import make_engine, make_reader_engine
from bastion.core.events import EventRecord
from tests.conftest import pg_url
from tests.core.live_processes import fresh_postgres

TABLE = EventRecord.__table__
_bases = itertools.count(1)


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if pg_url() else ["sqlite"]


@pytest.fixture(scope="module", params=backends())
def log_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('eventlog') / 'log.db'}"
    else:
        url = fresh_postgres(pg_url(), "eventlog")
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="module")
def writer(log_url):
    engine = make_engine(log_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def reader_engine(log_url):
    engine = make_reader_engine(log_url)
    yield engine
    engine.dispose()


@pytest.fixture
def base() -> int:
    """Ids of this test's rows start above it (rows are given their ids, as a sequence would,
    so a test can commit them in any order); each test gets a range of its own."""
    return 1_000_000 * next(_bases)


def insert(engine: Engine, event_id: int, kind: str = "test.happened", conn=None) -> None:
    values = {"id": event_id, "at": datetime.now(UTC), "kind": kind, "record_kind": "notice",
              "record_id": event_id, "payload": {"n": event_id}}
    if conn is not None:
        conn.execute(TABLE.insert().values(**values))
        return
    with engine.begin() as c:
        c.execute(TABLE.insert().values(**values))
