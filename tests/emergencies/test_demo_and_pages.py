"""The demo's past typhoon (modelled on Yagi, 2024: more than 10 vessels and over 100 crew moved
to safe waters within a dozen hours) in the figures; the pages as each kind of demo user sees
them; the register imported from a spreadsheet."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from bastion import demo as base_demo
from bastion.core.figures import by_key, collect
from bastion.emergencies.models import Emergency, EmergencyVessel, LocalVessel
from bastion.org.models import User
from tests.web_helpers import api_token, login

PASSWORD = base_demo.DEMO_PASSWORD


@pytest.fixture
def yagi(session):
    base_demo.load(session, border=False, duty=False, residents=False)
    session.commit()
    return session.scalar(select(Emergency).where(Emergency.synthetic.is_(True)))


def test_the_demo_typhoon_counts_in_its_year(session, yagi):
    chen = session.scalar(select(User).where(User.username == "chen.supervisor"))
    figures = by_key(collect(session=session, user=chen, start=date(2024, 1, 1),
                             end=date(2025, 1, 1)))
    assert figures["emergencies.count"] == 1
    assert figures["emergencies.vessels_moved"] > 10
    assert figures["emergencies.crew_moved"] > 100
    rows = session.scalars(select(EmergencyVessel).where(
        EmergencyVessel.emergency_id == yagi.id)).all()
    span = max(r.status_at for r in rows) - min(r.status_at for r in rows)
    assert span.total_seconds() <= 12 * 3600  # within a dozen hours
    assert yagi.closed_at is not None and not yagi.exercise
    # what a shipping agent or a village may see of the annual figures: nothing
    agent = session.scalar(select(User).where(User.username == "agent.yj"))
    assert by_key(collect(session=session, user=agent, start=date(2024, 1, 1),
                          end=date(2025, 1, 1))).get("emergencies.count") is None


@pytest.mark.parametrize(("username", "list_", "detail"), [
    ("chen.supervisor", 200, 200), ("li.officer", 200, 200), ("xu.msa", 200, 200),
    ("huang.command", 200, 200), ("nong.post", 403, 404), ("ma.village", 403, 404),
    ("wei.police", 403, 404), ("zhou.customs", 403, 404),
    # the agent has no vessel in the demo typhoon: its list is empty, the typhoon a 404
    ("agent.yj", 200, 404),
])
def test_pages_by_kind(client, yagi, username, list_, detail):
    login(client, username, PASSWORD)
    assert client.get("/emergencies").status_code == list_
    for path in ("", "/board", "/board/live", "/map.json"):
        assert client.get(f"/emergencies/{yagi.id}{path}").status_code == detail, path
    headers = api_token(client, username, PASSWORD)
    assert client.get(f"/api/v1/emergencies/{yagi.id}/vessels",
                      headers=headers).status_code == detail
    if detail == 200:
        page = client.get(f"/emergencies/{yagi.id}").text
        assert "SYNTHETIC" in page or "模拟数据" in page or "模拟" in page
        board = client.get(f"/emergencies/{yagi.id}/board").text
        assert 'id="board-counts"' in board and "bigboard" in board
        sheet = client.get(f"/emergencies/{yagi.id}/vessels.xlsx")
        assert sheet.status_code == 200
        book = load_workbook(io.BytesIO(sheet.content))
        assert book.active.max_row == 12  # the heading and the 11 vessels
        fc = client.get(f"/emergencies/{yagi.id}/map.json").json()
        assert {f["properties"]["layer"] for f in fc["features"]} >= {"area", "zone"}


def test_the_register_is_imported_from_a_spreadsheet(client, session, yagi):
    headers = api_token(client, "li.officer", PASSWORD)
    template = client.get("/api/v1/emergencies/register/template.xlsx", headers=headers)
    assert template.status_code == 200
    book = Workbook()
    sheet = book.active
    sheet.append(["船号", "船名", "类别", "船主", "联系电话", "船员人数", "纬度", "经度"])
    sheet.append(["粤阳西渔99001", "粤阳西渔99001", "渔船", "王某", "13900000001", "7", "21.58",
                  "111.82"])
    sheet.append(["粤阳西小艇9902", "小艇", "小型船艇", "李某", "13900000002", "2", "", ""])
    data = io.BytesIO()
    book.save(data)
    done = client.post("/api/v1/emergencies/register/import", headers=headers,
                       files={"file": ("register.xlsx", data.getvalue())})
    assert done.status_code == 200, done.text
    assert done.json() == {"added": 2, "updated": 0}
    boat = session.scalar(select(LocalVessel).where(LocalVessel.registration == "粤阳西渔99001"))
    assert boat.crew == 7 and boat.vessel_class.value == "fishing"
    # a bad crew count and a repeated row: refused whole, each problem at its row and column
    sheet.append(["粤阳西渔99003", "X", "渔船", "", "", "many", "", ""])
    sheet.append(["粤阳西渔99001", "again", "渔船", "", "", "1", "", ""])
    data = io.BytesIO()
    book.save(data)
    refused = client.post("/api/v1/emergencies/register/import", headers=headers,
                          files={"file": ("register.xlsx", data.getvalue())})
    assert refused.status_code == 422
    places = {(e["row"], e["column"], e["code"]) for e in refused.json()["errors"]}
    assert (4, "船员人数", "INVALID_VALUE") in places
    assert (5, "船号", "DUPLICATE_ROW") in places
    # a village committee may not import
    village = api_token(client, "ma.village", PASSWORD)
    assert client.post("/api/v1/emergencies/register/import", headers=village,
                       files={"file": ("register.xlsx", data.getvalue())}).status_code == 403


def test_opening_an_emergency_through_the_page(client, session, yagi):
    token = login(client, "chen.supervisor", PASSWORD)
    form = {"csrf_token": token, "name": "页面演练", "kind": "typhoon", "level": "III",
            "landfall_at": "2030-09-06T16:20", "exercise": "on"}
    made = client.post("/emergencies", data={**form, "area_preset": str(yagi.id)},
                       follow_redirects=False)
    assert made.status_code == 303, made.text
    drill = session.scalar(select(Emergency).where(Emergency.name == "页面演练"))
    assert drill.exercise and drill.area == yagi.area and drill.level.value == "III"
    port = client.post("/emergencies", data={**form, "name": "港区", "area_preset": "port"},
                       follow_redirects=False)
    assert port.status_code == 303
    bad = client.post("/emergencies", data={**form, "name": "坏", "area": "{not json"})
    assert bad.status_code == 422 and 'id="error-area"' in bad.text
    page = client.get(f"/emergencies/{drill.id}").text
    assert "【演练】页面演练" in page
