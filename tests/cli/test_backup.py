"""``bastion backup`` / ``bastion restore`` / ``bastion db upgrade``'s backup, by round trip: a
scratch database migrated and filled through the real services, backed up, changed, restored,
then every table compared row by row with the state at backup time. On SQLite, and on
PostgreSQL when ``BASTION_TEST_PG`` is set (scratch databases ``<db>_backup_src``/``_dst``,
never the shared test database)."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect, make_url, select, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

import bastion.models  # noqa: F401  (every domain's tables in Base.metadata)
from bastion import demo
from bastion.cli import app
from bastion.core import migrate
from bastion.core.backup import is_postgres as backup_is_postgres
from bastion.core.config import get_settings
from bastion.core.db import Base, make_engine, make_sessionmaker, transaction
from bastion.org import service as org
from bastion.org.models import AgencyKind
from bastion.org.schemas import AgencyCreate
from tests.conftest import pg_url

runner = CliRunner()
APPEND_ONLY = {"audit_log", "event_log"}


def _pg_scratch(suffix: str, *, create: bool = True) -> str:
    """A scratch database beside the test database, made empty (or dropped)."""
    url = pg_url()
    assert url
    name = f"{make_url(url).database}_backup_{suffix}"
    admin = make_engine(make_url(url).set(database="postgres").render_as_string(
        hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if pg_url() else ["sqlite"]


@pytest.fixture(params=_backends())
def scratch(request, tmp_path, monkeypatch):
    """(source URL, an empty destination URL, data folder) of the backend."""
    if request.param == "postgresql":
        if shutil.which("pg_dump") is None:
            pytest.skip("pg_dump not installed")
        src, dst = _pg_scratch("src"), _pg_scratch("dst")
    else:
        src, dst = f"sqlite:///{tmp_path / 'src.db'}", f"sqlite:///{tmp_path / 'dst.db'}"
    data = tmp_path / "data"
    monkeypatch.setenv("BASTION_DATA_DIR", str(data))
    monkeypatch.setenv("BASTION_DATABASE_URL", src)
    get_settings.cache_clear()
    yield src, dst, data
    get_settings.cache_clear()
    if request.param == "postgresql":
        _pg_scratch("src", create=False)
        _pg_scratch("dst", create=False)


def _use(monkeypatch, url: str) -> None:
    monkeypatch.setenv("BASTION_DATABASE_URL", url)
    get_settings.cache_clear()


def fingerprint(url: str, *, head: bool = True) -> dict[str, tuple[int, str]]:
    """Each table's row count and a hash of all its rows in primary-key order, plus the
    migration revision: every table of every domain (at an older revision, those it has, and
    the names of the others, and of their columns those it has)."""
    engine = make_engine(url)
    found: dict[str, tuple[int, str]] = {}
    try:
        with engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
            if head:
                assert present == {*Base.metadata.tables, "alembic_version"}
            found["tables"] = (len(present), ",".join(sorted(present)))
            for table in Base.metadata.sorted_tables:
                if table.name not in present:
                    continue
                # at an older revision, the columns that revision has
                have = {c["name"] for c in inspect(conn).get_columns(table.name)}
                columns = [c for c in table.columns if c.name in have]
                rows = conn.execute(select(*columns).order_by(*table.primary_key.columns)).all()
                digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
                found[table.name] = (len(rows), digest)
            found["alembic_version"] = (0, ",".join(sorted(
                conn.execute(text("SELECT version_num FROM alembic_version")).scalars())))
    finally:
        engine.dispose()
    return found


def _load(url: str) -> None:
    migrate.upgrade(url)
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        demo.load(session)
    engine.dispose()


def _change(url: str) -> None:
    """After the backup: a new agency through the service (with its audit and event rows),
    every user renamed, and the rows of some table deleted."""
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        org.create_agency(session, actor=None, data=AgencyCreate(
            code="AFTER", name="备份之后", name_en="After the backup", kind=AgencyKind.OTHER))
        session.execute(text("UPDATE user_account SET display_name = 'changed'"))
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in APPEND_ONLY:
                continue
            if session.execute(select(table).limit(1)).first() is None:
                continue
            try:
                with session.begin_nested():
                    session.execute(table.delete())
                break
            except DBAPIError:
                continue
    engine.dispose()


def _path(output: str) -> Path:
    match = re.search(r" to (\S+) \(\d", output)
    assert match, output
    return Path(match.group(1))


def test_backup_change_restore_gives_back_every_table(scratch, monkeypatch):
    src, dst, data = scratch
    _load(src)
    before = fingerprint(src)
    # the demo's people, and the system accounts its rooms keep (the tips' intake)
    assert before["user_account"][0] >= len(demo.USERS) and before["audit_log"][0] > 0

    made = runner.invoke(app, ["backup"])
    assert made.exit_code == 0, made.output
    path = _path(made.output)
    assert path.parent == data / "backups" and path.stat().st_size > 0
    assert re.fullmatch(r"bastion-\d{8}T\d{6}Z\.(db|dump)", path.name)
    assert (path.stat().st_mode & 0o077) == 0  # password hashes inside: the owner's only

    _change(src)
    changed = fingerprint(src)
    assert changed != before
    assert sum(changed[t] != before[t] for t in before) >= 3

    refused = runner.invoke(app, ["restore", str(path)])
    assert refused.exit_code == 2 and "--yes" in refused.output
    assert fingerprint(src) == changed

    restored = runner.invoke(app, ["restore", str(path), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "restart the server" in restored.output
    assert fingerprint(src) == before

    # into another, empty database (a new server): no --yes needed, the same rows
    _use(monkeypatch, dst)
    if dst.startswith("sqlite"):
        assert not migrate.sqlite_file(dst).exists()
    into_new = runner.invoke(app, ["restore", str(path)])
    assert into_new.exit_code == 0, into_new.output
    assert fingerprint(dst) == before
    migrate.require_current(dst)


def test_upgrade_backs_up_first_and_restore_says_to_upgrade(scratch, monkeypatch):
    src, _dst, data = scratch
    _load(src)
    head = migrate.current_revision(src)
    migrate.downgrade(src, "-1")
    older = migrate.current_revision(src)
    assert older and older != head
    at_older = fingerprint(src, head=False)

    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "backed up the database" in upgraded.output and f"to {head}" in upgraded.output
    match = re.search(r"before migrating: (\S+) \(\d", upgraded.output)
    assert match, upgraded.output
    path = Path(match.group(1))
    assert path.parent == data / "backups" and f"-before-{older}." in path.name

    again = runner.invoke(app, ["db", "upgrade"])  # nothing pending: no backup
    assert "backed up" not in again.output
    assert len(list((data / "backups").iterdir())) == 1

    restored = runner.invoke(app, ["restore", str(path), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "run `bastion db upgrade`" in restored.output
    assert fingerprint(src, head=False) == at_older

    skipped = runner.invoke(app, ["db", "upgrade", "--no-backup"])
    assert skipped.exit_code == 0 and "backed up" not in skipped.output
    assert len(list((data / "backups").iterdir())) == 1
    migrate.require_current(src)


def test_a_file_that_is_not_a_backup_is_one_line(scratch, tmp_path):
    src, _dst, _data = scratch
    _load(src)
    junk = tmp_path / "junk.db"
    junk.write_text("not a backup")
    for args in (["restore", str(junk), "--yes"], ["restore", str(tmp_path / "none.db")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "error: " in result.output and "Traceback" not in result.output


def test_sqlite_backup_while_another_process_writes_is_a_consistent_snapshot(tmp_path):
    """A writer commits agencies (each with its audit row) without pause while backups are
    taken: every copy passes integrity_check and holds whole transactions, in order."""
    import sqlite3
    import threading

    from bastion.core import backup

    url = f"sqlite:///{tmp_path / 'live.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    stop, written = threading.Event(), []

    def write() -> None:
        while not stop.is_set():
            with transaction(factory) as session:
                org.create_agency(session, actor=None, data=AgencyCreate(
                    code=f"W{len(written)}", name="写入中", kind=AgencyKind.OTHER))
            written.append(1)

    writer = threading.Thread(target=write)
    writer.start()
    copies = []
    try:
        while len(copies) < 3:
            if len(written) > 5 * (len(copies) + 1):
                copies.append(backup.backup(url, tmp_path / f"copy{len(copies)}.db"))
    finally:
        stop.set()
        writer.join()
        engine.dispose()
    counts = []
    for made in copies:
        assert made.revisions == migrate.heads()
        with sqlite3.connect(made.path) as db:
            codes = {row[0] for row in db.execute("SELECT code FROM agency")}
            audited = {row[0] for row in db.execute(
                "SELECT summary FROM audit_log WHERE record_kind = 'agency'")}
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert codes == {f"W{i}" for i in range(len(codes))}  # no gap: commits in order
        assert audited == {f"agency {code}" for code in codes}  # each with its audit row
        counts.append(len(codes))
    assert counts == sorted(counts) and counts[-1] <= len(written)
    assert not list(tmp_path.glob(".*.partial"))


@pytest.mark.skipif(not pg_url(), reason="BASTION_TEST_PG not set")
def test_a_postgresql_password_is_never_printed(scratch, monkeypatch, tmp_path):
    src, _dst, _data = scratch
    if not backup_is_postgres(src):
        pytest.skip("a PostgreSQL URL")
    _load(src)
    with_password = make_url(src).set(password="s3cret-not-shown").render_as_string(
        hide_password=False)
    _use(monkeypatch, with_password)
    made = runner.invoke(app, ["backup", "--out", str(tmp_path / "pw.dump")])
    assert made.exit_code == 0, made.output
    assert "s3cret" not in made.output and "***" in made.output
    restored = runner.invoke(app, ["restore", str(tmp_path / "pw.dump"), "--yes"])
    assert restored.exit_code == 0 and "s3cret" not in restored.output


def test_a_postgresql_restore_that_fails_changes_nothing(scratch, tmp_path):
    src, _dst, _data = scratch
    if not backup_is_postgres(src):
        pytest.skip("a PostgreSQL URL")
    _load(src)
    made = runner.invoke(app, ["backup", "--out", str(tmp_path / "b.dump")])
    assert made.exit_code == 0, made.output
    _change(src)
    engine = make_engine(src)  # something of the operator's own holding on to a table
    with engine.begin() as conn:
        conn.execute(text("CREATE VIEW operators_view AS SELECT code FROM agency"))
    engine.dispose()
    changed = fingerprint(src, head=False)
    failed = runner.invoke(app, ["restore", str(tmp_path / "b.dump"), "--yes"])
    assert failed.exit_code == 2, failed.output
    assert "nothing changed" in failed.output and "Traceback" not in failed.output
    assert fingerprint(src, head=False) == changed


def test_the_real_command_refuses_in_one_line(tmp_path):
    from tests.cli.helpers import bastion, clean_env, one_line_error

    env = clean_env(BASTION_DATA_DIR=str(tmp_path / "data"))
    line = one_line_error(bastion("backup", env=env, cwd=tmp_path))
    assert "nothing to back up" in line and not (tmp_path / "data" / "bastion.db").exists()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\0" * 100)
    line = one_line_error(bastion("restore", str(junk), env=env, cwd=tmp_path))
    assert "is not a SQLite database" in line
