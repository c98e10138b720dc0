"""The cases' pages with the SYNTHETIC demo: the list (sea and land, filters, the map's
source), one case and its forms (link, task, note, evidence, close, share), a new case from a
record, the statistics page and its xlsx, the tip page; each as the users who may and may
not."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bastion import demo
from bastion.cases.models import Case, CaseStatus
from tests.attachments.samples import png
from tests.web_helpers import login


@pytest.fixture
def cases(session):
    demo.load(session, duty=False)
    session.commit()
    return {c.title: c for c in session.scalars(select(Case))}


def test_the_list_and_a_case_as_the_command(client, cases):
    token = login(client, "huang.command", demo.DEMO_PASSWORD)
    page = client.get("/cases")
    assert page.status_code == 200
    assert "平孟口岸东侧便道走私冻品" in page.text and "模拟数据" in page.text
    assert 'data-source="/api/v1/cases/map.geojson?' in page.text
    assert "演练" in page.text  # the drill is listed, marked
    land = client.get("/cases?realm=sea")
    assert "平孟口岸" not in land.text
    case = cases["1047号界碑东侧新踩便道（模拟）"]
    detail = client.get(f"/cases/{case.id}")
    assert detail.status_code == 200 and "会同边境管理大队实地核查并布控" in detail.text
    assert 'class="overdue-row"' in detail.text
    # the forms
    assert client.post(f"/cases/{case.id}/note", data={"csrf_token": token, "note": "已布控"},
                       follow_redirects=False).status_code == 303
    assert client.post(f"/cases/{case.id}/link", data={
        "csrf_token": token, "kind": "resident", "title": "黄氏梅"},
        follow_redirects=False).status_code == 303
    bad = client.post(f"/cases/{case.id}/close", data={"csrf_token": token,
                                                       "outcome": "smuggling_case"})
    assert bad.status_code == 422 and 'id="error-persons"' in bad.text
    upload = client.post(f"/cases/{case.id}/evidence", data={"csrf_token": token},
                         files={"file": ("path.png", png(), "image/png")},
                         follow_redirects=False)
    assert upload.status_code == 303
    closed = client.post(f"/cases/{case.id}/close", data={
        "csrf_token": token, "outcome": "illegal_crossing_case", "persons": "1"},
        follow_redirects=False)
    assert closed.status_code == 303
    page = client.get(f"/cases/{case.id}").text
    assert "path.png" in page and "黄氏梅" in page and "非法越境案件" in page


def test_who_sees_the_land_cases(client, cases):
    case = cases["平孟口岸东侧便道走私冻品（模拟）"]
    for username, status in (("chen.supervisor", 200), ("wei.police", 200),
                             ("zhou.customs", 404), ("liang.army", 404), ("agent.yj", 403),
                             ("ma.village", 403), ("he.auxiliary", 403)):
        login(client, username, demo.DEMO_PASSWORD)
        assert client.get(f"/cases/{case.id}").status_code == status, username


def test_a_new_case_by_hand_shared_with_a_named_agency(client, session, cases):
    token = login(client, "nong.post", demo.DEMO_PASSWORD)
    form = client.get("/cases/new")
    assert form.status_code == 200
    police = re.search(r'value="(\d+)"\s*>\s*那坡边境管理大队', form.text).group(1)
    missing = client.post("/cases/new", data={"csrf_token": token, "kind": "manual"})
    assert missing.status_code == 422 and 'id="error-title"' in missing.text
    from_nothing = client.post("/cases/new", data={"csrf_token": token, "kind": "alert",
                                                   "record_id": "999999"})
    assert from_nothing.status_code == 422 and 'id="error-record_id"' in from_nothing.text
    made = client.post("/cases/new", data={"csrf_token": token, "kind": "manual",
                                           "title": "界河夜间可疑船只", "agency_ids": police},
                       follow_redirects=False)
    assert made.status_code == 303
    case_id = int(made.headers["location"].rsplit("/", 1)[1])
    assert session.get(Case, case_id).status == CaseStatus.OPEN
    login(client, "wei.police", demo.DEMO_PASSWORD)
    assert client.get(f"/cases/{case_id}").status_code == 200
    login(client, "liang.army", demo.DEMO_PASSWORD)
    assert client.get(f"/cases/{case_id}").status_code == 404


def test_statistics_and_their_xlsx(client, cases):
    login(client, "huang.command", demo.DEMO_PASSWORD)
    page = client.get("/cases/stats")
    assert page.status_code == 200
    assert 'id="cross-border">' in page.text and "3" in page.text and "5" in page.text
    assert "echarts.min.js" in page.text and "data-stats=" in page.text
    xlsx = client.get("/cases/stats.xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert summary["涉边违法犯罪案件"] == 3 and summary["涉边违法犯罪案件涉及人数"] == 5
    assert client.get("/cases/stats?from=2026-13-01").status_code == 422
    login(client, "nong.post", demo.DEMO_PASSWORD)
    assert client.get("/cases/stats").status_code == 200
    login(client, "li.officer", demo.DEMO_PASSWORD)
    assert client.get("/cases/stats").status_code == 403


def test_the_tip_page(client, cases):
    login(client, "ma.village", demo.DEMO_PASSWORD)
    page = client.get("/tips/field")
    assert page.status_code == 200 and 'id="tip-form"' in page.text
    assert "/static/js/cases-tip.js" in page.text
    nav = re.search(r'<nav class="mainnav".*?</nav>', page.text, re.DOTALL).group(0)
    assert 'href="/tips/field"' in nav and 'href="/cases"' not in nav
    login(client, "nong.post", demo.DEMO_PASSWORD)
    assert client.get("/tips/field").status_code == 403


def test_the_alert_page_lists_its_cases_and_opens_one(client, session):
    from tests.cases.world import build

    w = build(session)
    made = client.post("/api/v1/cases", headers=w.headers(client, "station_off"),
                       json={"kind": "alert", "record_id": w.alert_id})
    assert made.status_code == 201
    login(client, w.users["station_sup"].username)
    page = client.get(f"/maritime/alerts/{w.alert_id}")
    assert page.status_code == 200
    assert f'data-case="{made.json()["id"]}"' in page.text
    assert f"/cases/new?kind=alert&amp;record_id={w.alert_id}" in page.text
