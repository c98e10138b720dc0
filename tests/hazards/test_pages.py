"""The hazards pages as each kind of user: the list and its map layer, a report drawn on the
map (a refused form names the field and keeps what was typed), one hazard worked through its
workflow by form posts, the totals page and its workbook, surveys, the field page; who gets a
page and who a 403/404; the menu."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from tests.attachments import samples
from tests.hazards.world import build, report, through
from tests.web_helpers import login


@pytest.fixture
def w(session):
    return build(session)


def as_(client, w, who: str) -> str:
    return login(client, w.users[who].username)


def test_report_through_the_form(client, session, w):
    token = as_(client, w, "post_a")
    page = client.get("/hazards/new")
    assert page.status_code == 200 and 'id="hazard-draw-map"' in page.text
    assert 'name="post_agency_id"' not in page.text  # a post reports for itself
    form = {"csrf_token": token, "category": "road", "note": "冲毁", "marker": "1047"}
    refused = client.post("/hazards/new", data=form)
    assert refused.status_code == 422 and 'id="error-geometry"' in refused.text
    assert "1047" in refused.text
    line = json.dumps({"type": "LineString", "coordinates": [[105.95, 22.97], [105.96, 22.97]]})
    made = client.post("/hazards/new", data={**form, "geometry": line},
                       files={"photo": ("p.png", samples.png(4, 3), "image/png")},
                       follow_redirects=False)
    assert made.status_code == 303, made.text
    detail = client.get(made.headers["location"])
    assert detail.status_code == 200 and "/api/v1/attachments/" in detail.text
    bad_photo = client.post("/hazards/new", data={**form, "geometry": line},
                            files={"photo": ("p.png", b"words", "image/png")})
    assert bad_photo.status_code == 422 and 'id="error-photo"' in bad_photo.text
    junk = client.post("/hazards/new", data={**form, "geometry": "{not json"})
    assert junk.status_code == 422 and 'id="error-geometry"' in junk.text


def test_work_a_hazard_through_the_pages(client, w):
    h = report(client, w)
    url = f"/hazards/{h['id']}"
    token = as_(client, w, "cmd")
    page = client.get(url)
    assert 'id="do-triage"' in page.text and 'id="do-reject"' in page.text
    assert client.post(f"{url}/actions", data={"csrf_token": token, "action": "triage"},
                       follow_redirects=False).status_code == 303
    due = (datetime.now(UTC).date() + timedelta(days=5)).isoformat()
    no_due = client.post(f"{url}/actions", data={"csrf_token": token, "action": "order",
                                                 "assignee_agency_id": w.post_a.id})
    assert no_due.status_code == 422 and 'id="error-due_on"' in no_due.text
    ordered = client.post(f"{url}/actions", data={
        "csrf_token": token, "action": "order", "assignee_agency_id": w.post_a.id, "due_on": due,
        "item_code": ["MAT-GRAVEL", ""], "item_name": ["碎石", ""], "item_quantity": ["12", ""],
        "item_unit": ["m³", ""]}, follow_redirects=False)
    assert ordered.status_code == 303
    page = client.get(url)
    assert 'id="order-materials"' in page.text and "MAT-GRAVEL" in page.text
    assert 'id="do-complete"' in page.text  # the command may record the repair too
    token = as_(client, w, "post_a")
    page = client.get(url)
    assert 'id="do-complete"' in page.text and 'id="do-verify"' not in page.text
    no_qty = client.post(f"{url}/actions", data={"csrf_token": token, "action": "complete"})
    assert no_qty.status_code == 422 and 'id="error-quantity"' in no_qty.text
    assert client.post(f"{url}/actions", data={"csrf_token": token, "action": "complete",
                                               "quantity": "1.2"},
                       follow_redirects=False).status_code == 303
    assert 'id="order-quantity"' in client.get(url).text
    wrong = client.post(f"{url}/actions", data={"csrf_token": token, "action": "verify"})
    assert wrong.status_code == 403
    token = as_(client, w, "cmd")
    assert client.post(f"{url}/actions", data={"csrf_token": token, "action": "verify"},
                       follow_redirects=False).status_code == 303
    page = client.get(url)
    assert 'data-status="verified"' in page.text and 'id="hazard-actions"' not in page.text


def test_pages_by_kind(client, w):
    h = report(client, w)
    through(client, w, h["id"], to="verified", quantity=1.2)
    for who, pages in {
        "cmd": {"/hazards": 200, "/hazards/new": 200, "/hazards/totals": 200,
                "/hazards/surveys": 200, "/hazards/field": 200, f"/hazards/{h['id']}": 200},
        "aux": {"/hazards": 200, "/hazards/new": 200, "/hazards/totals": 200,
                "/hazards/field": 200, f"/hazards/{h['id']}": 200},
        "post_b": {"/hazards": 200, f"/hazards/{h['id']}": 404},
        "police": {"/hazards": 200, "/hazards/new": 403, "/hazards/totals": 200,
                   "/hazards/surveys": 200, f"/hazards/{h['id']}": 200},
        "village": {"/hazards": 200, "/hazards/new": 200, "/hazards/totals": 403,
                    "/hazards/surveys": 403, f"/hazards/{h['id']}": 404},
        "station": {"/hazards": 403, "/hazards/new": 403, f"/hazards/{h['id']}": 403},
        "agent": {"/hazards": 403, "/hazards/totals": 403, f"/hazards/{h['id']}": 403},
    }.items():
        as_(client, w, who)
        home = client.get("/dashboard").text
        assert ('id="nav-hazards"' in home) == (who not in ("station", "agent")), who
        for path, status in pages.items():
            assert client.get(path).status_code == status, (who, path)
    as_(client, w, "cmd")
    layer = client.get("/hazards/map.geojson").json()
    assert layer["features"][0]["properties"]["link"] == f"/hazards/{h['id']}"
    assert "/hazards/map.geojson" in client.get("/border/map").text  # an overlay of the map


def test_totals_page_and_workbook(client, w):
    h = report(client, w)
    through(client, w, h["id"], to="done", quantity=1.2)
    as_(client, w, "cmd")
    page = client.get("/hazards/totals")
    assert page.status_code == 200 and 'id="totals-chart"' in page.text
    assert "1.2" in page.text
    bad = client.get("/hazards/totals?from=2026-13-01")
    assert bad.status_code == 422 and 'id="error-from"' in bad.text
    book = client.get("/hazards/totals.xlsx")
    assert book.status_code == 200
    wb = load_workbook(io.BytesIO(book.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[1][3] == 1 and rows[1][4] == 1.2  # road: one repair, 1.2 km
    assert len(list(wb.worksheets[1].iter_rows(values_only=True))) == 2


def test_survey_pages(client, w):
    token = as_(client, w, "post_a")
    today = datetime.now(UTC).date().isoformat()
    made = client.post("/hazards/surveys", data={"csrf_token": token, "title": "踏勘",
                                                 "surveyed_on": today, "walked_km": "3"},
                       follow_redirects=False)
    assert made.status_code == 303
    url = made.headers["location"]
    refused = client.post(f"{url}/points", data={"csrf_token": token, "kind": "camera",
                                                  "lon": "500", "lat": "22.9"})
    assert refused.status_code == 422 and 'id="error-lon"' in refused.text
    assert client.post(f"{url}/points", data={"csrf_token": token, "kind": "camera",
                                               "lon": "105.9", "lat": "22.9", "note": "补点"},
                       follow_redirects=False).status_code == 303
    page = client.get(url)
    assert 'data-kind="camera"' in page.text and "/status" not in page.text
    token = as_(client, w, "cmd")
    page = client.get(url)
    assert "/status" in page.text
    empty = client.post("/hazards/surveys", data={"csrf_token": token, "surveyed_on": today})
    assert empty.status_code == 422 and 'id="error-title"' in empty.text
