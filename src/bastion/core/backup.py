"""Backing up and restoring the configured database, SQLite or PostgreSQL, while it is in use.

SQLite is copied through its online backup API (``sqlite3.Connection.backup``): one read
transaction copies every page, so the copy is a consistent snapshot even while the server
writes (WAL readers never block writers). The copy is written beside its final name, checked
with ``PRAGMA integrity_check``, switched to a single file (no ``-wal`` beside it) and renamed
into place. PostgreSQL is dumped with ``pg_dump -Fc`` and read back with ``pg_restore --list``.
The password of a PostgreSQL URL goes to the tools in ``PGPASSWORD``, never on a command line
(``ps`` shows those) and never in a message.

Restoring writes a backup back into the configured database: SQLite through the same backup
API into the database file (so its write-ahead log stays consistent), PostgreSQL with
``pg_restore --clean --if-exists`` run through ``psql --single-transaction`` after dropping
the tables the backup does not have (all or nothing). Before anything is
touched the backup's migration revision is read and refused when this version does not know it.

The floor: no domain is named here.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, make_url, text
from sqlalchemy.engine import URL

from bastion.core import migrate
from bastion.core.db import make_engine
from bastion.core.errors import Invalid

BACKUPS = "backups"
SQLITE_HEADER = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    revisions: frozenset[str]


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError  # pragma: no cover


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def default_path(data_dir: Path, url: str, *, label: str = "",
                 now: datetime | None = None) -> Path:
    """``<data folder>/backups/bastion-20261206T212243Z[-label].db`` (``.dump`` for PostgreSQL)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = ".dump" if is_postgres(url) else ".db"
    return data_dir / BACKUPS / f"bastion-{stamp}{'-' + label if label else ''}{suffix}"


def has_data(url: str) -> bool:
    """Whether the database exists and any of its tables (but Alembic's) holds a row."""
    path = migrate.sqlite_file(url)
    if path is not None and (not path.exists() or path.stat().st_size == 0):
        return False
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            inspector = inspect(conn)
            for table in inspector.get_table_names():
                if table == "alembic_version":
                    continue
                name = conn.dialect.identifier_preparer.quote(table)
                if conn.execute(text(f"SELECT 1 FROM {name} LIMIT 1")).first() is not None:
                    return True
        return False
    finally:
        engine.dispose()


def backup(url: str, out: Path) -> Backup:
    """Copy the database at ``url`` into ``out`` (replaced if it exists), checked."""
    out = out.expanduser().absolute()
    out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with _scratch(out) as scratch:
        if is_postgres(url):
            _pg_dump(url, scratch)
            revisions = pg_dump_revisions(scratch)
        else:
            _sqlite_backup(url, scratch)
            revisions = sqlite_revisions(scratch)
        os.replace(scratch, out)
    return Backup(out, out.stat().st_size, frozenset(revisions))


@contextmanager
def _scratch(out: Path) -> Iterator[Path]:
    """A private file (mode 0600: a backup holds password hashes) beside ``out``, removed
    unless it was renamed into place."""
    scratch = out.with_name(f".{out.name}.partial")
    scratch.unlink(missing_ok=True)
    os.close(os.open(scratch, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        yield scratch
    finally:
        scratch.unlink(missing_ok=True)


# --- SQLite -------------------------------------------------------------------------------------

def _sqlite_source(url: str) -> Path:
    path = migrate.sqlite_file(url)
    if path is None:
        raise Invalid(f"cannot back up the database {migrate.describe(url)}: only a SQLite file "
                      "or PostgreSQL can be backed up")
    if not path.exists() or path.stat().st_size == 0:
        raise Invalid(f"no database at {path}: nothing to back up")
    return path


def _sqlite_backup(url: str, scratch: Path) -> None:
    source = _sqlite_source(url)
    with closing(sqlite3.connect(source, timeout=30)) as src, \
            closing(sqlite3.connect(scratch)) as dst:
        src.backup(dst)  # all pages in one step: one consistent read snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        _integrity_check(dst, scratch)


def _integrity_check(conn: sqlite3.Connection, path: Path) -> None:
    found = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if found != ["ok"]:
        raise Invalid(f"{path} failed SQLite's integrity check: {'; '.join(found[:3])}")


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.expanduser().absolute().as_uri()}?mode=ro", uri=True)


def sqlite_revisions(path: Path) -> set[str]:
    """The migration revisions in a SQLite backup file, after checking that it is one."""
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_HEADER:
            raise Invalid(f"{path} is not a SQLite database (a Bastion backup of SQLite is)")
    with closing(_read_only(path)) as conn:
        _integrity_check(conn, path)
        try:
            return {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
        except sqlite3.DatabaseError:
            raise Invalid(f"{path} is not a Bastion database (no migration revision)") from None


def _sqlite_restore(source: Path, url: str) -> None:
    target = migrate.sqlite_file(url)
    if target is None:
        raise Invalid(f"cannot restore into {migrate.describe(url)}: a SQLite backup goes into "
                      "a SQLite file")
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(_read_only(source)) as src, \
            closing(sqlite3.connect(target, timeout=30)) as dst:
        # Through the target's own pager: its write-ahead log stays consistent, and a process
        # still holding the file open sees the restored pages, not a stale unlinked inode.
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
        _integrity_check(dst, target)


# --- PostgreSQL ---------------------------------------------------------------------------------

def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise Invalid(f"{name} not found: install the PostgreSQL client tools of the server's "
                      "major version (Debian: postgresql-client)")
    return found


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL as libpq takes it (no driver, no password) and the environment carrying the
    password."""
    parsed: URL = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    bare = parsed.set(drivername="postgresql", password=None)
    return bare.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run(args, env=env, capture_output=True, check=False)
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        first = next((line for line in lines if "error" in line.lower()), lines[0] if lines
                     else f"exit {done.returncode}")
        raise Invalid(f"{what} failed: {first.strip()}")
    return done


def _pg_dump(url: str, scratch: Path) -> None:
    dsn, env = _libpq(url)
    _run([_tool("pg_dump"), "--format=custom", f"--file={scratch}", f"--dbname={dsn}"], env,
         f"pg_dump of {migrate.describe(url)}")


def pg_dump_revisions(path: Path) -> set[str]:
    """The migration revisions in a ``pg_dump -Fc`` file, read with ``pg_restore`` (which also
    checks that the archive is whole)."""
    with path.open("rb") as handle:
        if handle.read(5) != PG_MAGIC:
            raise Invalid(f"{path} is not a pg_dump custom-format archive "
                          "(a Bastion backup of PostgreSQL is)")
    tool = _tool("pg_restore")
    env = dict(os.environ)
    _run([tool, "--list", str(path)], env, f"reading {path}")
    done = _run([tool, "--data-only", "--table=alembic_version", "--file=-", str(path)], env,
                f"reading {path}")
    revisions: set[str] = set()
    copying = False
    for line in done.stdout.decode().splitlines():
        if line.startswith("COPY ") and "alembic_version" in line:
            copying = True
        elif copying and line == "\\.":
            copying = False
        elif copying and line:
            revisions.add(line.split("\t")[0])
    if not revisions:
        raise Invalid(f"{path} is not a Bastion database (no migration revision)")
    return revisions


def _pg_tables_in(path: Path) -> set[tuple[str, str]]:
    done = _run([_tool("pg_restore"), "--list", str(path)], dict(os.environ), f"reading {path}")
    found = set()
    for line in done.stdout.decode().splitlines():
        match = re.match(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ", line)
        if match:
            found.add((match.group(1), match.group(2)))
    return found


def _pg_tables_of(url: str) -> set[tuple[str, str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {(schema, name) for schema, name in conn.execute(text(
                "SELECT schemaname, tablename FROM pg_tables "
                "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"))}
    finally:
        engine.dispose()


def _pg_restore(source: Path, url: str) -> None:
    """``pg_restore --clean --if-exists`` as one transaction through ``psql``, preceded by
    dropping the tables the backup does not have (a newer revision's, which would otherwise
    hold on to the restored tables by their foreign keys and be left behind): all or nothing."""
    dsn, env = _libpq(url)
    quote = '"{}"'.format
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c client_min_messages=warning".strip()
    extra = sorted(_pg_tables_of(url) - _pg_tables_in(source))
    prelude = "".join(f"DROP TABLE IF EXISTS {quote(s)}.{quote(t)} CASCADE;\n"
                      for s, t in extra)
    psql = subprocess.Popen(
        [_tool("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
         f"--dbname={dsn}", "--file=-"],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert psql.stdin is not None
    try:
        psql.stdin.write(prelude.encode())
        psql.stdin.flush()
        script = subprocess.run(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl", "--file=-",
             str(source)], env=env, stdout=psql.stdin, stderr=subprocess.PIPE, check=False)
    finally:
        psql.stdin.close()
    errors = psql.stderr.read().decode(errors="replace") if psql.stderr else ""
    if psql.wait() != 0 or script.returncode != 0:
        lines = (script.stderr.decode(errors="replace") + errors).strip().splitlines()
        first = next((line for line in lines if "error" in line.lower()),
                     lines[0] if lines else "exit status")
        raise Invalid(f"pg_restore into {migrate.describe(url)} failed (nothing changed): "
                      f"{first.strip()}")


# --- restore ------------------------------------------------------------------------------------

def backup_revisions(path: Path, url: str) -> set[str]:
    """The revisions a backup file holds, checked against the kind of database it goes into."""
    if not path.is_file():
        raise Invalid(f"no backup file at {path}")
    return pg_dump_revisions(path) if is_postgres(url) else sqlite_revisions(path)


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


def restore(path: Path, url: str) -> set[str]:
    """Write the backup at ``path`` into the database at ``url``; the revisions restored.

    Refused, before anything is written, when the backup is of the other kind of database or
    at a migration revision this version of Bastion does not know.
    """
    path = path.expanduser().absolute()
    revisions = backup_revisions(path, url)
    unknown = revisions - known_revisions()
    if unknown:
        raise Invalid(f"{path} is at revision {', '.join(sorted(unknown))}, which this version "
                      "of Bastion does not know: restore it with the version that made it")
    if is_postgres(url):
        _pg_restore(path, url)
    else:
        _sqlite_restore(path, url)
    return revisions
