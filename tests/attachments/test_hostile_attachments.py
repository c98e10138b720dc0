"""Hostile attachments: a package that is a bomb is a 422 naming the limit it broke, a file
over the size limit a 413, and nothing is stored. Attachments are stored, not parsed, so a CSV
of a million tiny rows is an ordinary text file here."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bastion.attachments.models import Attachment
from bastion.core.tabular import reader
from tests import bombs
from tests.web_helpers import api_token

# What the refusal says, in English (the test world's users read Chinese unless told).
NAMED = {
    "far_cell": "1048576",
    "far_cell_undeclared": None,  # no declared range: stored as a workbook, never parsed
    "deflate_bomb": f"{reader.MAX_RATIO}",
    "many_sheets": f"{reader.MAX_SHEETS}",
    "huge_shared_strings": f"{reader.MAX_SHARED_STRINGS // 2**20}",
}


def _notice(client, headers) -> int:
    made = client.post("/api/v1/notices", headers=headers,
                       json={"title": "crew list", "tlp": "green", "distribution": "all"})
    assert made.status_code == 201, made.text
    return made.json()["id"]


@pytest.mark.parametrize("name", sorted(bombs.XLSX_BOMBS))
@pytest.mark.parametrize("route", ["attachments", "notice"])
def test_a_bomb_attachment_is_refused_naming_the_limit(client, session, world, name, route):
    author = api_token(client, "author")
    notice = _notice(client, author)
    files = {"file": ("crew.xlsx", bombs.build(name), "application/octet-stream")}
    if route == "attachments":
        answer = client.post("/api/v1/attachments", headers=author, files=files,
                             data={"record_kind": "notice", "record_id": str(notice)})
    else:
        answer = client.post(f"/api/v1/notices/{notice}/attachments", headers=author,
                             files=files)
    stored = session.scalar(select(func.count(Attachment.id)))
    if NAMED[name] is None:
        assert answer.status_code == 201, answer.text
        assert stored == 1
        return
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"][0]
    assert detail["loc"] == ["body", "file"] and NAMED[name] in detail["msg"], detail
    assert stored == 0


def test_an_attachment_over_the_size_limit_is_413_naming_it(client, session, world, app):
    author = api_token(client, "author")
    notice = _notice(client, author)
    app.state.settings.max_attachment_mb = 1
    for url, data in (("/api/v1/attachments", {"record_kind": "notice", "record_id": str(notice)}),
                      (f"/api/v1/notices/{notice}/attachments", None)):
        answer = client.post(url, headers=author, data=data,
                             files={"file": ("big.csv", bombs.build("million_rows"))})
        assert answer.status_code == 413, answer.text
        assert answer.json()["code"] == "too_large" and "1 MB" in answer.json()["detail"]
    assert session.scalar(select(func.count(Attachment.id))) == 0


def test_a_bomb_attached_on_the_notice_form_is_422_and_stores_nothing(client, session, world):
    from bastion.notices.models import Notice
    from tests.web_helpers import login

    token = login(client, "author")
    page = client.post("/notices/new", data={"csrf_token": token, "title": "crew list",
                                             "body": "", "tlp": "green", "distribution": "all"},
                       files={"file": ("crew.xlsx", bombs.build("deflate_bomb"))})
    assert page.status_code == 422, page.text[:500]
    assert f"{reader.MAX_RATIO}" in page.text
    assert session.scalar(select(func.count(Attachment.id))) == 0
    assert session.scalar(select(func.count(Notice.id))) == 0
