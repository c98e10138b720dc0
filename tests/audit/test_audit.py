"""The audit log: append-only in the database itself, filters, CSV export, admin only."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bastion.audit import service
from bastion.audit.models import AuditAction
from tests.web_helpers import api_token, login


def test_the_database_refuses_to_change_or_delete_audit_rows(session, world):
    entry = service.record(session, action=AuditAction.EXPORT, actor=world.a_admin, summary="x")
    session.flush()
    for statement in (f"UPDATE audit_log SET summary = 'rewritten' WHERE id = {entry.id}",
                      f"DELETE FROM audit_log WHERE id = {entry.id}"):
        with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
            session.execute(text(statement))


def test_the_event_log_is_append_only_too(session, world):
    from bastion.core import events

    row = events.emit(session, kind="test.happened", actor_id=world.author.id)
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text(f"DELETE FROM event_log WHERE id = {row.id}"))


def test_admin_changes_are_audited(client, session, world):
    admin = api_token(client, "a.admin")
    created = client.post("/api/v1/agencies", headers=admin, json={
        "code": "NEW-POST", "name": "新哨所", "kind": "joint_defence_post",
        "parent_id": world.c.id}).json()
    assert created["root_id"] == world.c.id
    client.patch(f"/api/v1/agencies/{created['id']}", headers=admin, json={"name": "新哨所二"})
    rows, _ = service.search(session, flt=service.AuditFilter(record_kind="agency",
                                                              record_id=created["id"]))
    assert [r.action for r in rows] == [AuditAction.UPDATE, AuditAction.CREATE]
    assert all(r.actor_name == "a.admin" for r in rows)


def test_filters_and_csv_export(client, world):
    admin = api_token(client, "a.admin")
    client.post("/api/v1/auth/token", json={"username": "author", "password": "wrong-one!"})
    failed = client.get("/api/v1/audit?action=login_failed", headers=admin).json()
    assert failed["total"] >= 1 and {i["action"] for i in failed["items"]} == {"login_failed"}
    export = client.get("/api/v1/audit/export.csv?action=login_failed", headers=admin)
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert rows and {r["action"] for r in rows} == {"login_failed"}
    assert rows[0]["actor_name"] == "author"
    # The export itself is audited.
    exports = client.get("/api/v1/audit?action=export", headers=admin).json()
    assert exports["total"] >= 1


def test_audit_log_is_for_admins_only(client, world):
    assert client.get("/api/v1/audit", headers=api_token(client, "a.super")).status_code == 403
    login(client, "a.super")
    assert client.get("/admin/audit").status_code == 403


def test_audit_page_filters_by_action(client, world):
    login(client, "a.admin")
    page = client.get("/admin/audit?action=login")
    assert page.status_code == 200
    assert "a.admin" in page.text
    empty = client.get("/admin/audit?action=password_change")
    assert "没有符合条件的记录" in empty.text


def test_csv_export_neutralises_formulas(client, world):
    client.post("/api/v1/auth/token", json={"username": '=HYPERLINK("http://x")',
                                            "password": "whatever1"})
    admin = api_token(client, "a.admin")
    export = client.get("/api/v1/audit/export.csv?action=login_failed", headers=admin)
    cells = [row["actor_name"] for row in csv.DictReader(io.StringIO(export.text))]
    assert "'=HYPERLINK(\"http://x\")" in cells
    assert not any(c.startswith("=") for c in cells)
