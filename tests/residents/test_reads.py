"""The audit of reads (/residents/reads): only for residents.audit (the command's supervisor);
who read whom, when and why, newest first, filtered, paginated."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bastion.residents.models import RecordRead
from tests.residents.registry.world import build_registry, register


@pytest.fixture
def w(session):
    return build_registry(session)


def test_reads_page(client, session, w):
    a = register(client, w, "a_officer", w.village_a)
    b = register(client, w, "b_officer", w.village_b, name="Lê Thị Hoa", name_latin="LE THI HOA",
                 name_han="黎氏花", sex="female", birth_date="1990-01-02")
    session.query(RecordRead).delete()
    session.add_all([
        RecordRead(resident_id=a, user_id=w.users["a_aux"].id, purpose="home_visit",
                   at=datetime(2026, 12, 1, 2, 0, tzinfo=UTC)),
        RecordRead(resident_id=b, user_id=w.users["b_officer"].id, purpose="case",
                   at=datetime(2026, 12, 3, 2, 0, tzinfo=UTC)),
        RecordRead(resident_id=a, user_id=w.users["village"].id, purpose="looking around",
                   at=datetime(2026, 12, 5, 17, 0, tzinfo=UTC)),  # 6 Dec in Asia/Shanghai
    ])
    session.commit()
    for who in ("cmd_officer", "cmd_viewer", "a_officer", "a_aux", "village", "police",
                "army", "port", "agent"):
        assert client.get("/residents/reads", headers=w.headers(client, who)).status_code == 403
    h = w.headers(client, "cmd")
    page = client.get("/residents/reads", headers=h)
    assert page.status_code == 200
    text = page.text
    assert text.count("data-read=") == 3
    assert "走访" in text or "Home visit" in text  # a known purpose in the reader's language
    one = client.get("/residents/reads", params={"reader": w.users["a_aux"].username}, headers=h)
    assert one.text.count("data-read=") == 1
    assert client.get("/residents/reads", params={"resident_id": a}, headers=h).text.count(
        "data-read=") == 2
    assert client.get("/residents/reads", params={"purpose": "case"}, headers=h).text.count(
        "data-read=") == 1
    days = client.get("/residents/reads", params={"since": "2026-12-06", "until": "2026-12-06"},
                      headers=h)
    assert days.text.count("data-read=") == 1 and "looking around" in days.text
    bad = client.get("/residents/reads", params={"since": "6 Dec"}, headers=h)
    assert bad.status_code == 422 and "since" in bad.text
