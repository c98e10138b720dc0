"""An audited read on SQLite writes its entry in a short transaction of its own (issue #10):
the request's read session never holds the write lock while it goes on reading."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bastion.audit import service as audit
from bastion.audit.models import AuditAction, AuditEntry
from bastion.core import migrate
from bastion.core.db import make_engine, make_sessionmakers, read_sessions, transaction


@pytest.fixture(scope="module")
def sessions(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('audited') / 'a.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    yield make_sessionmakers(engine)
    engine.dispose()


def _entries(factory, summary: str) -> int:
    with factory() as session:
        return session.scalar(select(func.count(AuditEntry.id))
                              .where(AuditEntry.summary == summary))


def test_the_entry_commits_at_once_and_the_read_goes_on_without_the_lock(sessions):
    with read_sessions(sessions)() as reads:
        reads.scalar(select(func.count(AuditEntry.id)))
        entry = audit.record(reads, action=AuditAction.READ, actor=None, actor_name="reader",
                             record_kind="port_call", summary="read while others write")
        assert entry.id is not None
        # Another writer gets the lock at once, although the read is still open ...
        with transaction(sessions) as writer:
            audit.record(writer, action=AuditAction.READ, actor=None, actor_name="writer",
                         summary="written beside the read")
        # ... and the entry is already there for everyone.
        assert _entries(sessions, "read while others write") == 1
        reads.rollback()  # a read that fails afterwards is still logged as read
    assert _entries(sessions, "read while others write") == 1
    assert _entries(sessions, "written beside the read") == 1


def test_a_write_session_keeps_the_entry_in_its_transaction(sessions):
    with sessions() as session:
        audit.record(session, action=AuditAction.UPDATE, actor=None, actor_name="w",
                     summary="rolled back with its change")
        session.rollback()
    assert _entries(sessions, "rolled back with its change") == 0
