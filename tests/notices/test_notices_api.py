"""Notices over the REST API: create, read, update, withdraw, attachments, bad input."""

from __future__ import annotations

from sqlalchemy import func, select

from bastion.audit.models import AuditAction, AuditEntry
from bastion.notices.models import Notice
from tests.web_helpers import api_token


def _count(session) -> int:
    return session.scalar(select(func.count(Notice.id)))


def test_create_read_update_withdraw(client, session, world):
    author = api_token(client, "author")
    created = client.post("/api/v1/notices", headers=author, json={
        "title": "Boat seen at the river bend", "body": "Two men, no lights.",
        "tlp": "amber", "distribution": "named", "agency_ids": [world.b.id]})
    assert created.status_code == 201, created.text
    notice = created.json()
    assert notice["marking"] == {"tlp": "amber", "distribution": "named",
                                 "agency_ids": [world.b.id], "recipient_ids": [],
                                 "personal": False, "area_kind": None, "area_id": None}
    reader = api_token(client, "b.officer")
    assert client.get(f"/api/v1/notices/{notice['id']}", headers=reader).status_code == 200

    changed = client.put(f"/api/v1/notices/{notice['id']}", headers=author, json={
        "title": "Boat seen at the river bend (corrected)", "tlp": "amber",
        "distribution": "own", "personal": False})
    assert changed.status_code == 200
    # Narrowed to the author's own organisation: B loses sight of it.
    assert client.get(f"/api/v1/notices/{notice['id']}", headers=reader).status_code == 404

    withdrawn = client.request("DELETE", f"/api/v1/notices/{notice['id']}", headers=author,
                               json={"reason": "duplicate"})
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    listing = client.get("/api/v1/notices", headers=author).json()
    assert notice["id"] not in [n["id"] for n in listing["items"]]
    kept = client.get("/api/v1/notices?include_withdrawn=true", headers=author).json()
    assert notice["id"] in [n["id"] for n in kept["items"]]  # withdrawn, never deleted
    actions = list(session.scalars(select(AuditEntry.action).where(
        AuditEntry.record_kind == "notice", AuditEntry.record_id == notice["id"])
        .order_by(AuditEntry.id)))
    assert actions == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]


def test_invalid_input_names_the_field_and_stores_nothing(client, session, world):
    author = api_token(client, "author")
    before = _count(session)
    cases = [
        ({"title": "", "tlp": "green", "distribution": "own"}, ["body", "title"]),
        ({"title": "x", "tlp": "purple", "distribution": "own"}, ["body", "tlp"]),
        ({"title": "x", "tlp": "red", "distribution": "named"}, ["body", "recipient_ids"]),
        ({"title": "x", "tlp": "green", "distribution": "named"}, ["body", "agency_ids"]),
        ({"title": "x", "tlp": "green", "distribution": "named", "agency_ids": [987654]},
         ["body", "agency_ids"]),
        ({"title": "x", "tlp": "amber+strict", "distribution": "all"}, ["body", "distribution"]),
    ]
    for payload, loc in cases:
        response = client.post("/api/v1/notices", headers=author, json=payload)
        assert response.status_code == 422, payload
        assert response.json()["detail"][0]["loc"] == loc, payload
    assert _count(session) == before


def test_viewers_cannot_write(client, world):
    viewer = api_token(client, "a.viewer")
    response = client.post("/api/v1/notices", headers=viewer,
                           json={"title": "x", "tlp": "clear", "distribution": "all"})
    assert response.status_code == 403


def test_only_author_or_supervisor_may_change(client, world):
    author = api_token(client, "author")
    notice = client.post("/api/v1/notices", headers=author, json={
        "title": "team note", "tlp": "green", "distribution": "all"}).json()
    body = {"title": "hijacked", "tlp": "green", "distribution": "all", "personal": False}
    other_org = client.put(f"/api/v1/notices/{notice['id']}", headers=api_token(client, "c.officer"),
                           json=body)
    supervisor = client.put(f"/api/v1/notices/{notice['id']}", headers=api_token(client, "a.super"),
                            json={**body, "title": "edited by supervisor"})
    assert other_org.status_code == 403
    assert supervisor.status_code == 200


def test_personal_reads_are_audited_with_their_purpose(client, session, world):
    author = api_token(client, "author")
    notice = client.post("/api/v1/notices", headers=author, json={
        "title": "Wanted person sighted", "tlp": "amber", "distribution": "own",
        "personal": True}).json()
    reader = api_token(client, "a.super")
    client.get(f"/api/v1/notices/{notice['id']}", headers={**reader, "X-Purpose": "case 2026-17"})
    reads = session.scalars(select(AuditEntry).where(
        AuditEntry.action == AuditAction.READ, AuditEntry.record_id == notice["id"])).all()
    assert [(r.actor_name, r.reason) for r in reads] == [("a.super", "case 2026-17")]


def test_attachment_upload_download_and_limit(client, world, app):
    author = api_token(client, "author")
    notice = client.post("/api/v1/notices", headers=author, json={
        "title": "with map", "tlp": "green", "distribution": "all"}).json()
    content = "界碑 1047 — 东侧便道".encode()
    uploaded = client.post(f"/api/v1/notices/{notice['id']}/attachments", headers=author,
                           files={"file": ("便道.txt", content, "text/plain")})
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()
    reader = api_token(client, "c.officer")
    download = client.get(f"/api/v1/notices/{notice['id']}/attachments/{attachment['id']}",
                          headers=reader)
    assert download.status_code == 200 and download.content == content
    app.state.settings.max_attachment_mb = 0
    too_big = client.post(f"/api/v1/notices/{notice['id']}/attachments", headers=author,
                          files={"file": ("big.bin", b"x" * 10, "application/octet-stream")})
    assert too_big.status_code == 413
    assert too_big.json()["code"] == "too_large" and "0 MB" in too_big.json()["detail"]


def test_pagination_and_total(client, world):
    author = api_token(client, "author")
    for i in range(3):
        client.post("/api/v1/notices", headers=author,
                    json={"title": f"n{i}", "tlp": "green", "distribution": "own"})
    page = client.get("/api/v1/notices?limit=2", headers=author).json()
    assert page["total"] == 3 and len(page["items"]) == 2
    assert client.get("/api/v1/notices?limit=0", headers=author).status_code == 422


def test_an_update_must_restate_the_marking(client, world):
    """A PUT without marking fields once re-marked a RED notice AMBER/own (review finding)."""
    author = api_token(client, "author")
    red = client.post("/api/v1/notices", headers=author, json={
        "title": "red", "tlp": "red", "distribution": "named",
        "recipient_ids": [world.b_officer.id], "personal": True}).json()
    response = client.put(f"/api/v1/notices/{red['id']}", headers=author,
                          json={"title": "red (typo fixed)", "body": "x"})
    assert response.status_code == 422
    assert {tuple(e["loc"]) for e in response.json()["detail"]} >= {
        ("body", "tlp"), ("body", "distribution"), ("body", "personal")}
    kept = client.get(f"/api/v1/notices/{red['id']}", headers=author).json()["marking"]
    assert kept["tlp"] == "red" and kept["recipient_ids"] == [world.b_officer.id]


def test_the_audit_log_holds_no_record_content(client, session, world):
    author = api_token(client, "author")
    notice = client.post("/api/v1/notices", headers=author, json={
        "title": "Suspect 陈大文 seen at pier 4", "tlp": "red", "distribution": "named",
        "recipient_ids": [world.b_officer.id]}).json()
    summaries = session.scalars(select(AuditEntry.summary).where(
        AuditEntry.record_kind == "notice", AuditEntry.record_id == notice["id"])).all()
    assert summaries and not any("陈大文" in s for s in summaries)


def test_lists_do_not_bypass_the_personal_read_audit(client, session, world):
    author = api_token(client, "author")
    notice = client.post("/api/v1/notices", headers=author, json={
        "title": "person", "body": "name, date of birth, passport", "tlp": "amber",
        "distribution": "own", "personal": True}).json()
    reader = api_token(client, "a.super")
    listed = client.get("/api/v1/notices", headers=reader).json()["items"]
    row = next(n for n in listed if n["id"] == notice["id"])
    assert row["body"] == "" and row["attachments"] == []
    reads = session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == AuditAction.READ, AuditEntry.record_id == notice["id"]))
    assert reads == 0
    detail = client.get(f"/api/v1/notices/{notice['id']}", headers=reader).json()
    assert detail["body"] == "name, date of birth, passport"
    assert session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == AuditAction.READ, AuditEntry.record_id == notice["id"])) == 1
