"""Attachments over the API: a file is seen by exactly who sees its record, checked on the way
in, and every download is audited and served as a download."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from bastion.audit.models import AuditAction, AuditEntry
from bastion.org.models import AgencyKind, Role
from tests.attachments import samples
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token


def _notice(client, headers, **marking) -> dict:
    body = {"title": "route map", "tlp": "green", "distribution": "all", **marking}
    response = client.post("/api/v1/notices", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _upload(client, headers, record_id, name, data, kind="notice"):
    return client.post("/api/v1/attachments", headers=headers,
                       data={"record_kind": kind, "record_id": str(record_id)},
                       files={"file": (name, data, "application/octet-stream")})


@pytest.fixture
def agent(session, world):
    agency = make_agency(session, code="SHIP-AG", kind=AgencyKind.SHIPPING_AGENCY)
    return make_user(session, agency=agency, role=Role.OFFICER, username="ship.agent")


def test_upload_describe_list_and_download(client, session, world):
    author = api_token(client, "author")
    notice = _notice(client, author)
    image = samples.png(4, 3)
    created = _upload(client, author, notice["id"], "../map.png", image)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["content_type"] == "image/png" and (body["width"], body["height"]) == (4, 3)
    assert body["filename"] == "map.png" and body["sha256"] == hashlib.sha256(image).hexdigest()

    reader = api_token(client, "c.officer")  # another organisation, in the distribution
    listed = client.get("/api/v1/attachments", headers=reader,
                        params={"record_kind": "notice", "record_id": notice["id"]}).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]
    assert client.get(f"/api/v1/attachments/{body['id']}", headers=reader).status_code == 200
    download = client.get(f"/api/v1/attachments/{body['id']}/content",
                          headers={**reader, "X-Purpose": "patrol briefing"})
    assert download.status_code == 200 and download.content == image
    assert download.headers["content-type"] == "image/png"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    audited = session.scalars(select(AuditEntry).where(
        AuditEntry.record_kind == "attachment", AuditEntry.record_id == body["id"],
        AuditEntry.action == AuditAction.READ)).all()
    assert [a.reason for a in audited] == ["patrol briefing"]
    # The notice shows it, and the notice's own route serves it the same way.
    shown = client.get(f"/api/v1/notices/{notice['id']}", headers=reader).json()
    assert [a["filename"] for a in shown["attachments"]] == ["map.png"]
    old_route = client.get(f"/api/v1/notices/{notice['id']}/attachments/{body['id']}",
                           headers=reader)
    assert old_route.status_code == 200 and old_route.headers["x-content-type-options"] == "nosniff"


def test_who_may_not_see_the_record_gets_404(client, session, world, agent):
    author = api_token(client, "author")
    own = _notice(client, author, tlp="amber", distribution="own")
    shared = _notice(client, author)
    files = {n["id"]: _upload(client, author, n["id"], "a.pdf", samples.PDF).json()["id"]
             for n in (own, shared)}
    outsider = api_token(client, "b.officer")  # another organisation: AMBER own is not theirs
    ship = api_token(client, agent.username)  # private parties are outside "all agencies"
    for headers, notice in ((outsider, own), (ship, own), (ship, shared)):
        attachment_id = files[notice["id"]]
        assert client.get(f"/api/v1/attachments/{attachment_id}", headers=headers).status_code == 404
        assert client.get(f"/api/v1/attachments/{attachment_id}/content",
                          headers=headers).status_code == 404
        assert client.get("/api/v1/attachments", headers=headers, params={
            "record_kind": "notice", "record_id": notice["id"]}).status_code == 404
        assert client.get(f"/api/v1/notices/{notice['id']}/attachments/{attachment_id}",
                          headers=headers).status_code == 404
        assert _upload(client, headers, notice["id"], "b.pdf", samples.PDF).status_code == 404
    # An attachment asked for under another notice than its own is missing too.
    assert client.get(f"/api/v1/notices/{shared['id']}/attachments/{files[own['id']]}",
                      headers=author).status_code == 404
    assert client.get("/api/v1/attachments", headers=author, params={
        "record_kind": "no_such_kind", "record_id": 1}).status_code == 404


def test_seeing_is_not_attaching(client, world):
    author = api_token(client, "author")
    notice = _notice(client, author)
    reader = api_token(client, "c.officer")
    assert _upload(client, reader, notice["id"], "a.pdf", samples.PDF).status_code == 403
    supervisor = api_token(client, "a.super")  # a supervisor of the owning agency may
    assert _upload(client, supervisor, notice["id"], "a.pdf", samples.PDF).status_code == 201
    client.delete(f"/api/v1/notices/{notice['id']}", headers=author)
    assert _upload(client, author, notice["id"], "late.pdf", samples.PDF).status_code == 422


@pytest.mark.parametrize(("name", "data"), [
    ("setup.exe", samples.EXE), ("page.html", samples.HTML), ("logo.svg", samples.SVG),
    ("report.pdf", samples.ELF), ("sheet.xlsm", samples.office("xlsx", macros=True)),
    ("empty.txt", b""),
])
def test_refused_files_are_422_on_the_file(client, world, name, data):
    author = api_token(client, "author")
    notice = _notice(client, author)
    refused = _upload(client, author, notice["id"], name, data)
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["loc"] == ["body", "file"]


def test_size_limit(client, world, app):
    author = api_token(client, "author")
    notice = _notice(client, author)
    app.state.settings.max_attachment_mb = 0
    too_big = _upload(client, author, notice["id"], "a.pdf", samples.PDF)
    assert too_big.status_code == 413 and "MB" in too_big.json()["detail"]
