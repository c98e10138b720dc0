"""Notice pages: the form shows errors beside the field; nothing is stored on error."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bastion.notices.models import Notice
from tests.web_helpers import login


def test_form_error_is_shown_next_to_the_field(client, session, world):
    token = login(client, "author")
    before = session.scalar(select(func.count(Notice.id)))
    response = client.post("/notices/new", data={"csrf_token": token, "title": "Red alert",
                                                 "tlp": "red", "distribution": "named"})
    assert response.status_code == 422
    assert re.search(r'<span class="field-error" id="error-recipient_ids">TLP:RED 必须指定接收人。',
                     response.text)
    assert 'value="Red alert"' in response.text  # what was typed is kept
    assert session.scalar(select(func.count(Notice.id))) == before


def test_missing_title_is_reported_on_the_title(client, world):
    token = login(client, "author")
    response = client.post("/notices/new", data={"csrf_token": token, "tlp": "green",
                                                 "distribution": "own"})
    assert response.status_code == 422
    assert 'id="error-title">此项为必填项。' in response.text


def test_create_with_attachment_then_view(client, world):
    token = login(client, "author")
    response = client.post("/notices/new", data={
        "csrf_token": token, "title": "Patrol route", "body": "Night route via post 3",
        "tlp": "green", "distribution": "named", "agency_ids": [str(world.b.id)]},
        files={"file": ("route.txt", b"waypoints", "text/plain")}, follow_redirects=False)
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    assert "Patrol route" in page.text and "route.txt" in page.text


def test_a_failed_attachment_leaves_no_notice(client, session, world, app):
    token = login(client, "author")
    app.state.settings.max_attachment_mb = 0
    before = session.scalar(select(func.count(Notice.id)))
    response = client.post("/notices/new", data={
        "csrf_token": token, "title": "Too big", "tlp": "green", "distribution": "own"},
        files={"file": ("big.bin", b"xx", "application/octet-stream")})
    assert response.status_code == 413  # too large; the form comes back saying so
    assert 'id="error-file"' in response.text
    assert session.scalar(select(func.count(Notice.id))) == before


def test_live_list_fragment_is_filtered_by_need_to_know(client, session, world):
    from bastion.core.marking import TLP, Distribution
    from bastion.notices import service
    from bastion.notices.schemas import NoticeCreate

    service.create(session, user=world.author, data=NoticeCreate(
        title="only A officers", tlp=TLP.AMBER_STRICT, distribution=Distribution.OWN))
    session.commit()
    login(client, "b.officer")
    assert "only A officers" not in client.get("/notices?fragment=1").text
    login(client, "a.super")
    assert "only A officers" in client.get("/notices?fragment=1").text


def test_viewers_get_no_writing_form_and_readers_no_edit_form(client, session, world):
    from bastion.core.marking import TLP, Distribution
    from bastion.notices import service
    from bastion.notices.schemas import NoticeCreate

    notice = service.create(session, user=world.author, data=NoticeCreate(
        title="shared", tlp=TLP.GREEN, distribution=Distribution.ALL))
    session.commit()
    login(client, "a.viewer")
    assert client.get("/notices/new").status_code == 403
    login(client, "c.officer")  # may read it, may not edit it
    assert client.get(f"/notices/{notice.id}").status_code == 200
    assert client.get(f"/notices/{notice.id}/edit").status_code == 403
