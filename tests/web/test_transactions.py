"""The request owns the transaction, and commits before the client hears of success."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from bastion.notices.models import Notice
from tests.web_helpers import api_token


class CommitRefused(Exception):
    pass


def test_a_failed_commit_is_a_failed_request(app, session, world):
    client = TestClient(app, raise_server_exceptions=False)
    headers = api_token(client, "author")
    before = session.scalar(select(func.count(Notice.id)))

    def note_notice(sess: Session, _context, _instances) -> None:
        if any(isinstance(o, Notice) for o in sess.new):
            sess.info["wrote_notice"] = True

    def refuse(sess: Session) -> None:
        if sess.info.get("wrote_notice"):
            raise CommitRefused("disk full")

    event.listen(Session, "before_flush", note_notice)
    event.listen(Session, "before_commit", refuse)
    try:
        response = client.post("/api/v1/notices", headers=headers,
                               json={"title": "never stored", "tlp": "clear",
                                     "distribution": "all"})
    finally:
        event.remove(Session, "before_commit", refuse)
        event.remove(Session, "before_flush", note_notice)
    assert response.status_code == 500
    assert session.scalar(select(func.count(Notice.id))) == before


@pytest.mark.parametrize("attempt", range(3))
def test_redirect_target_is_readable_at_once(live_server, attempt):
    """After a form post redirects, the next request already sees the record."""
    import re

    import httpx

    with httpx.Client(base_url=live_server.url, follow_redirects=False) as browser:
        page = browser.get("/login")
        token = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page.text).group(1)
        browser.post("/login", data={"username": "wei.police", "password": "bastion-demo",
                                     "csrf_token": token})
        page = browser.get("/account")  # login rotated the CSRF nonce
        token = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page.text).group(1)
        created = browser.post("/notices/new", data={
            "csrf_token": token, "title": f"read-after-write {attempt}", "tlp": "green",
            "distribution": "own"})
        assert created.status_code == 303
        assert browser.get(created.headers["location"]).status_code == 200


def test_concurrent_writers_on_sqlite_all_succeed(live_server):
    """Two users writing at once on the embedded database: every write commits (no 500)."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    def token(username: str) -> dict[str, str]:
        reply = httpx.post(f"{live_server.url}/api/v1/auth/token",
                           json={"username": username, "password": "bastion-demo"})
        return {"Authorization": f"Bearer {reply.json()['access_token']}"}

    headers = [token("wei.police"), token("huang.command")]

    def write(i: int) -> int:
        return httpx.post(f"{live_server.url}/api/v1/notices", headers=headers[i % 2], timeout=60,
                          json={"title": f"parallel {i}", "tlp": "green",
                                "distribution": "own"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(write, range(24)))
    assert statuses == [201] * 24


def test_pages_and_lists_are_served_while_a_writer_holds_the_lock(live_server):
    """On the embedded database a GET reads a snapshot beside the writer (WAL) instead of
    queueing for the write lock (issue #10): held by another process here. An audited read
    (the port-call list) waits for the lock for its audit row, and is served once it is free."""
    import sqlite3
    import time

    import httpx

    reply = httpx.post(f"{live_server.url}/api/v1/auth/token",
                       json={"username": "li.officer", "password": "bastion-demo"})
    headers = {"Authorization": f"Bearer {reply.json()['access_token']}"}
    path = live_server.env["BASTION_DATABASE_URL"].removeprefix("sqlite:///")
    writer = sqlite3.connect(path, isolation_level=None, timeout=30)
    writer.execute("BEGIN IMMEDIATE")
    try:
        began = time.monotonic()
        with httpx.Client(base_url=live_server.url, headers=headers, timeout=20) as client:
            statuses = [client.get(p).status_code for p in
                        ("/dashboard", "/maritime", "/api/v1/alerts")]
        took = time.monotonic() - began
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert statuses == [200] * 3
    assert took < 10  # the busy timeout is 30 s: none of them waited for the lock
    assert httpx.get(f"{live_server.url}/api/v1/port-calls", headers=headers,
                     timeout=20).status_code == 200
