"""Readers never wait for the SQLite write lock; writers still queue safely (issue #10).

Real threads on a real SQLite file in WAL mode, through ``core.db``'s engine and sessions.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bastion.core.db import (
    make_engine,
    make_read_sessionmaker,
    make_sessionmaker,
    make_sessionmakers,
    read_sessions,
    transaction,
)


class _Base(DeclarativeBase):  # not bastion's metadata: migrations know nothing of it
    pass


class Row(_Base):
    __tablename__ = "row"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    _Base.metadata.create_all(engine)
    with transaction(make_sessionmaker(engine)) as session:
        session.add(Row(name="first"))
    yield engine
    engine.dispose()


class HeldWriteLock:
    """A writer that holds the write lock (BEGIN IMMEDIATE, a row written, not committed)."""

    def __init__(self, engine) -> None:
        self.session = make_sessionmaker(engine)()
        self.session.add(Row(name="held"))
        self.session.flush()

    def commit(self) -> None:
        self.session.commit()
        self.session.close()


def _count(factory) -> int:
    with factory() as session:
        return session.scalar(select(func.count(Row.id)))


def test_readers_proceed_while_a_writer_holds_the_lock(engine):
    writer = HeldWriteLock(engine)
    try:
        reads = make_read_sessionmaker(engine)
        began = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            counts = list(pool.map(lambda _: _count(reads), range(32)))
        assert time.monotonic() - began < 5  # not the 30 s busy timeout
        assert counts == [1] * 32  # the writer's row is not committed yet
    finally:
        writer.commit()
    assert _count(make_read_sessionmaker(engine)) == 2


def test_a_write_session_waits_for_the_lock_where_a_read_session_does_not(engine):
    """The peer: an ordinary (IMMEDIATE) session queues behind the writer, even to read."""
    writer = HeldWriteLock(engine)
    done = threading.Event()

    def immediate_read() -> None:
        _count(make_sessionmaker(engine))
        done.set()

    thread = threading.Thread(target=immediate_read)
    thread.start()
    try:
        assert _count(make_read_sessionmaker(engine)) == 1
        assert not done.wait(0.5)  # still waiting for the lock
    finally:
        writer.commit()
    thread.join(10)
    assert done.is_set()


def test_an_open_read_session_does_not_block_a_writer(engine):
    reads = make_read_sessionmaker(engine)()
    assert reads.scalar(select(func.count(Row.id))) == 1  # its snapshot is open
    try:
        with transaction(make_sessionmaker(engine)) as session:  # would wait 30 s otherwise
            session.add(Row(name="beside a reader"))
        assert reads.scalar(select(func.count(Row.id))) == 1  # still its own snapshot
    finally:
        reads.close()


def test_a_read_session_that_writes_after_another_commit_succeeds(engine):
    """Upgrading a stale deferred snapshot in place fails with SQLITE_BUSY_SNAPSHOT; the read
    session begins again IMMEDIATE before its first write instead (an audited read)."""
    with make_read_sessionmaker(engine)() as reads:
        first = reads.scalar(select(Row).where(Row.name == "first"))
        with transaction(make_sessionmaker(engine)) as session:
            session.add(Row(name="committed meanwhile"))
        reads.add(Row(name=f"audit of reading {first.id}"))
        reads.commit()
        assert first.name == "first"  # loaded objects stay usable
    assert _count(make_sessionmaker(engine)) == 3


def test_a_read_session_that_writes_waits_for_the_writer(engine):
    writer = HeldWriteLock(engine)
    outcome: list[object] = []

    def audited_read() -> None:
        try:
            with make_read_sessionmaker(engine)() as reads:
                reads.scalar(select(func.count(Row.id)))
                reads.add(Row(name="audit"))
                reads.commit()
            outcome.append("committed")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcome.append(exc)

    thread = threading.Thread(target=audited_read)
    thread.start()
    time.sleep(0.3)
    assert outcome == []  # waiting for the lock, not failed
    writer.commit()
    thread.join(10)
    assert outcome == ["committed"]
    assert _count(make_sessionmaker(engine)) == 3


def test_many_readers_that_write_and_writers_all_commit(engine):
    """Audited reads and writes at once, as under load: every one commits."""
    factory = make_sessionmakers(engine)

    def work(i: int) -> None:
        with transaction(read_sessions(factory) if i % 2 else factory) as session:
            session.scalar(select(func.count(Row.id)))
            time.sleep(0.005)
            session.add(Row(name=f"row {i}"))

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(work, range(80)))
    assert _count(factory) == 81


def test_the_pool_is_sized_for_the_server_threads(engine):
    assert engine.pool.size() >= 40
    assert make_engine("sqlite:///x.db", pool_size=7).pool.size() == 7


def test_a_test_sessionmaker_is_its_own_read_sessions(engine):
    factory = make_sessionmaker(engine)
    assert read_sessions(factory) is factory
    assert read_sessions(make_sessionmakers(engine)) is not factory
