"""Evaluations' pages through the browser's forms: the month, one person's assessment (errors
naming the field), the annual ratings with the override (a reason is needed), the person's
history (an audited read), the workbook's import refused whole with its problems listed."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from bastion.audit.models import AuditAction, AuditEntry
from tests.evaluations.world import SCORES, assess, build_eval
from tests.web_helpers import login


@pytest.fixture
def w(session):
    return build_eval(session)


def test_enter_an_assessment_through_the_form(client, session, w):
    token = login(client, w.users["a_officer"].username)
    month = client.get("/evaluations?month=2026-11")
    assert month.status_code == 200 and f'data-person="{w.a1.id}"' in month.text
    assert f'data-person="{w.b1.id}"' not in month.text  # post B's auxiliary
    form = client.get(f"/evaluations/assess?person_id={w.a1.id}&month=2026-11")
    assert form.status_code == 200 and 'name="score_patrol"' in form.text
    fields = {f"score_{k}": str(v) for k, v in SCORES.items()}
    bad = client.post("/evaluations/assess", data={
        "csrf_token": token, "person_id": w.a1.id, "month": "2026-11",
        **fields, "score_patrol": "12"})
    assert bad.status_code == 422 and 'id="error-score_patrol"' in bad.text
    done = client.post("/evaluations/assess", follow_redirects=False, data={
        "csrf_token": token, "person_id": w.a1.id, "month": "2026-11", **fields,
        "comments": "认真负责"})
    assert done.status_code == 303
    person = client.get(done.headers["location"])
    assert person.status_code == 200 and "94.2" in person.text and "认真负责" in person.text
    assert session.scalar(select(AuditEntry).where(
        AuditEntry.action == AuditAction.READ, AuditEntry.record_id == w.a1.id))
    assert client.get(f"/evaluations/people/{w.b1.id}").status_code == 404
    assert client.get(f"/evaluations/assess?person_id={w.b1.id}").status_code == 404


def test_the_override_needs_a_reason(client, w):
    for m in range(1, 13):
        assess(client, w, "cmd", w.a1, month=f"2026-{m:02d}")
    token = login(client, w.users["cmd"].username)
    page = client.get("/evaluations/annual?year=2026")
    assert page.status_code == 200 and 'data-rating="excellent"' in page.text
    bad = client.post("/evaluations/annual", data={"csrf_token": token, "person_id": w.a1.id,
                                                   "year": "2026", "rating": "competent"})
    assert bad.status_code == 422 and 'id="error-reason"' in bad.text
    ok = client.post("/evaluations/annual", follow_redirects=False, data={
        "csrf_token": token, "person_id": w.a1.id, "year": "2026", "rating": "competent",
        "reason": "年中调岗"})
    assert ok.status_code == 303
    page = client.get("/evaluations/annual?year=2026")
    assert f'data-person="{w.a1.id}" data-rating="competent"' in page.text and "年中调岗" in page.text
    assert client.get("/evaluations/annual?year=1900").status_code == 422
    login(client, w.users["cmd_officer"].username)
    assert 'method="post" action="/evaluations/annual"' not in client.get(
        "/evaluations/annual?year=2026").text


def test_a_bad_workbook_is_refused_with_its_problems(client, w):
    token = login(client, w.users["a_officer"].username)
    book = Workbook()
    book.active.append(["Person id", "Name", "Patrolling the border"])
    book.active.append([w.a1.id, "农振华", 99])
    out = io.BytesIO()
    book.save(out)
    got = client.post("/evaluations/import", data={"csrf_token": token, "month": "2026-11"},
                      files={"file": ("m.xlsx", out.getvalue(), "application/octet-stream")})
    assert got.status_code == 422 and 'id="import-problems"' in got.text
    assert "MISSING_COLUMN" not in got.text  # shown as words, with the place


def test_who_opens_the_pages(client, w):
    for who, status in (("village", 403), ("agent", 403), ("police", 403), ("a_aux", 403),
                        ("port_super", 200), ("cmd_viewer", 403)):
        login(client, w.users[who].username)
        assert client.get("/evaluations").status_code == status, who
