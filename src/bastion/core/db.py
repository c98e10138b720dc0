"""Database engine, sessions and the declarative base shared by every domain.

The request (or CLI command) owns the transaction: services add and flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, Engine, MetaData, Table, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

# Predictable constraint names, so that migrations written on SQLite also apply on PostgreSQL
# and a later migration can drop a constraint by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, returns timezone-aware UTC, refuses naive datetimes.

    SQLite keeps no zone and PostgreSQL's ``timestamptz`` converts to the session zone; storing
    naive UTC on both and attaching UTC on the way out gives identical behaviour everywhere.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict] = {datetime: UTCDateTime}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the web server read while the CLI or a worker writes; foreign keys are off by
    # default in SQLite and we rely on them. Autocommit mode plus an explicit BEGIN (below) is
    # SQLAlchemy's recipe for correct SQLite transactions and SAVEPOINTs with pysqlite.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# The execution option that makes a SQLite transaction begin DEFERRED (see ``make_engine``).
DEFERRED = "bastion_deferred"
# Marks the sessions of ``make_read_sessionmaker`` on SQLite (see ``own_write_engine``).
READ_SESSION = "bastion_read_session"
# SQLAlchemy's own default (5 + 10 overflow) is smaller than the server's thread pool (40):
# under load requests then waited for a connection and failed with "QueuePool limit reached".
DEFAULT_POOL_SIZE = 40


def _begin(conn) -> None:
    deferred = conn.get_execution_options().get(DEFERRED)
    conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def make_engine(url: str, *, pool_size: int | None = None) -> Engine:
    """The engine of a process; ``pool_size`` connections stay open (``DEFAULT_POOL_SIZE``,
    sized for the web server's thread pool), more may be opened for a burst.

    On SQLite a transaction begins IMMEDIATE: it takes the write lock at the start, so a second
    writer waits (busy_timeout) instead of failing with SQLITE_BUSY_SNAPSHOT when it upgrades a
    stale read snapshot. SQLite has one writer at a time anyway. Reads need not queue behind
    it: a connection with the ``DEFERRED`` option begins a plain (deferred) transaction, a
    snapshot that WAL lets run beside the writer; ``make_read_sessionmaker`` uses it.
    """
    size = pool_size or DEFAULT_POOL_SIZE
    if url.startswith("sqlite"):
        # A read request may hold two connections (its snapshot and its audit row's own short
        # transaction, ``own_write_engine``): as many overflow as kept, SQLite's are cheap.
        pool = {} if ":memory:" in url or url in ("sqlite://", "sqlite:///") else {
            "pool_size": size, "max_overflow": size}
        engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=size, max_overflow=10)


def make_reader_engine(url: str) -> Engine:
    """An engine for frequent small reads outside transactions (tailing the event log).

    Each statement runs on its own: on SQLite no ``BEGIN IMMEDIATE`` (which would take the write
    lock several times a second), on PostgreSQL autocommit (no transaction left open).
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, isolation_level="AUTOCOMMIT")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def _take_write_lock(session: Session) -> None:
    """Before a read session's first write on SQLite: end its read snapshot and begin again
    IMMEDIATE, waiting for the write lock like any writer.

    Writing from the deferred snapshot itself would upgrade it in place, which fails at once
    with SQLITE_BUSY_SNAPSHOT ("database is locked") whenever another writer committed since
    the snapshot began. Ending it first means the write sees the latest data, as on
    PostgreSQL's READ COMMITTED: right for what a read writes (an audit row that someone read,
    a mark as seen); a read-modify-write belongs in a POST, whose session is IMMEDIATE.
    Objects already loaded stay in the session; pysqlite commits the new transaction with the
    request's commit, as it would have the first.
    """
    connection = session.connection()
    transaction = session.get_transaction()
    if session.info.get("write_locked") is transaction:
        return
    session.info["write_locked"] = transaction
    if connection.dialect.name != "sqlite" or connection.in_nested_transaction():
        return
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _before_flush(session: Session, _context, _instances) -> None:
    if session.new or session.dirty or session.deleted:
        _take_write_lock(session)


def _before_execute(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _take_write_lock(state.session)


def make_read_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions for requests that only read (GET, HEAD): on SQLite a deferred transaction,
    which never holds the write lock, so readers proceed while a writer works and a slow
    writer no longer makes every page wait. The first write such a session makes (an audited
    read's audit row) takes the lock then (``_take_write_lock``), for the rest of the request
    only. On PostgreSQL the option means nothing: the same sessions as ``make_sessionmaker``.
    """
    factory = sessionmaker(bind=engine.execution_options(**{DEFERRED: True}),
                           expire_on_commit=False,
                           info={READ_SESSION: engine.dialect.name == "sqlite"})
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "do_orm_execute", _before_execute)
    return factory


def own_write_engine(session: Session) -> Engine | None:
    """Where a read session on SQLite writes a row of its own in a short transaction (an
    audited read's audit row), so that the write lock is held for that insert only, not while
    the rest of the page is read and rendered; None for any other session, which writes in
    its own transaction as usual (also a read session that already holds the lock)."""
    if not session.info.get(READ_SESSION):
        return None
    transaction = session.get_transaction()
    if transaction is not None and session.info.get("write_locked") is transaction:
        return None
    bind = session.get_bind()
    return bind.execution_options(**{DEFERRED: False})  # type: ignore[union-attr]


def make_sessionmakers(engine: Engine) -> sessionmaker[Session]:
    """The sessions of a server: ``make_sessionmaker``'s, carrying the read sessions that
    ``read_sessions`` finds on them."""
    factory = make_sessionmaker(engine)
    factory.bastion_reads = make_read_sessionmaker(engine)  # type: ignore[attr-defined]
    return factory


def read_sessions(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """The read sessions paired with ``factory`` by ``make_sessionmakers``; ``factory`` itself
    when it has none (a test's sessions bound to its one connection)."""
    return getattr(factory, "bastion_reads", factory)


def insert_many(connection: Any, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` into ``table`` (an integer ``id`` key) in few round trips; their new
    ids, in order. SQLite: one INSERT ... RETURNING a thousand rows at a time. PostgreSQL:
    the ids drawn from the table's sequence first, then a pipelined executemany of one small
    statement: psycopg converts a statement with more than 50 parameters afresh each time,
    which for thousands of rows as one multi-row INSERT cost more than the insert itself."""
    if not rows:
        return []
    if connection.dialect.name == "postgresql":
        ids = list(connection.execute(text(
            "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": len(rows)}).scalars())
        connection.execute(table.insert(), [{**r, "id": i} for r, i in zip(rows, ids,
                                                                             strict=True)])
        return ids
    return list(connection.execute(
        table.insert().returning(table.c.id, sort_by_parameter_order=True), rows).scalars())


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work for a CLI command or a worker: commit on success, roll back on error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
