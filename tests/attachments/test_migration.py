"""Migration 0008 moves notice attachments into the attachments table with their ids, and back."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bastion.core import migrate
from bastion.core.db import make_engine
from tests.conftest import pg_url


def _urls(tmp_path) -> list[str]:
    urls = [f"sqlite:///{tmp_path / 'm8.db'}"]
    base = pg_url()
    if base:
        # A database of its own, named after the test database (no clash with other runs).
        name = f"{make_url(base).database}_m8"
        admin = make_engine(str(make_url(base).set(database="postgres")))
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        urls.append(make_url(base).set(database=name).render_as_string(hide_password=False))
    return urls


@pytest.mark.parametrize("index", [0, 1])
def test_notice_attachments_move_with_their_ids(tmp_path, index):
    urls = _urls(tmp_path)
    if index >= len(urls):
        pytest.skip("PostgreSQL not configured")
    url = urls[index]
    migrate.upgrade(url, "0007")
    engine = make_engine(url)
    now = datetime(2026, 12, 1, 8, 0)  # naive UTC, as the UTC column stores it
    pdf = b"%PDF-1.4 minutes of the joint meeting"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO agency (id, code, name, kind, active, created_at) "
                          "VALUES (1, 'A', 'A', 'border_inspection', TRUE, :t)"), {"t": now})
        conn.execute(text("INSERT INTO user_account (id, username, display_name, password_hash, "
                          "agency_id, role, active, system, failed_logins, created_at) VALUES "
                          "(7, 'u', 'U', 'x', 1, 'officer', TRUE, FALSE, 0, :t)"), {"t": now})
        conn.execute(text("INSERT INTO notice (id, title, body, tlp, distribution, personal, "
                          "owner_org_id, created_by_id, created_at, updated_at) VALUES "
                          "(3, 'n', '', 'green', 'all', FALSE, 1, 7, :t, :t)"), {"t": now})
        conn.execute(text("INSERT INTO notice_attachment (id, notice_id, filename, content_type, "
                          "size, data, created_at) VALUES (41, 3, 'm.pdf', 'text/html', :n, :d, "
                          ":t)"), {"n": len(pdf), "d": pdf, "t": now})
    migrate.upgrade(url, "0008")
    with engine.begin() as conn:
        row = conn.execute(text("SELECT id, record_kind, record_id, filename, content_type, "
                                "sha256, created_by_id FROM attachment")).one()
        assert tuple(row) == (41, "notice", 3, "m.pdf", "application/pdf",
                              hashlib.sha256(pdf).hexdigest(), 7)
        # New rows take ids after the moved ones.
        conn.execute(text("INSERT INTO attachment (record_kind, record_id, filename, "
                          "content_type, size, sha256, data, created_at) VALUES ('notice', 3, "
                          "'b.txt', 'text/plain', 1, 'x', :d, :t)"),
                     {"d": b"b", "t": datetime.now(UTC).replace(tzinfo=None)})
        assert conn.execute(text("SELECT max(id) FROM attachment")).scalar() > 41
    migrate.downgrade(url, "0007")
    with engine.begin() as conn:
        ids = conn.execute(text("SELECT id FROM notice_attachment ORDER BY id")).scalars().all()
        assert ids[0] == 41 and len(ids) == 2
    engine.dispose()
