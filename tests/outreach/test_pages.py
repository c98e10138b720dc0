"""Outreach's pages through the browser's forms: the year with its charts and visits, a visit
entered at the desk (errors naming the field) and the board updating, the year's workbook,
the field page for the phone; who may open them."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.outreach.test_api import build_outreach
from tests.web_helpers import login


@pytest.fixture
def w(session):
    return build_outreach(session)


def test_a_visit_at_the_desk_and_the_board(client, w):
    token = login(client, w.users["a_officer"].username)
    board = client.get("/outreach/board")
    assert board.status_code == 200 and 'data-behind="1"' in board.text
    new = client.get("/outreach/new")
    assert new.status_code == 200
    link = re.search(r'<option value="(\d+:\d+)"', new.text).group(1)
    assert link == f"{w.post_a.id}:{w.village_a.id}"
    form = {"csrf_token": token, "link": link, "visited_on": date.today().isoformat(),
            "topic": "anti_smuggling", "attendees": "35", "officers": "农文光, 何海龙",
            "materials": "宣传册", "materials_count": "30"}
    bad = client.post("/outreach/new", data={**form, "attendees": "-3"})
    assert bad.status_code == 422 and 'id="error-attendees"' in bad.text
    bad = client.post("/outreach/new", data={**form, "link": f"{w.post_a.id}:{w.village_b.id}"})
    assert bad.status_code == 422 and 'id="error-link"' in bad.text
    for _n in range(2):
        done = client.post("/outreach/new", data=form, follow_redirects=False)
        assert done.status_code == 303
    board = client.get(done.headers["location"])
    assert 'data-behind="0"' in board.text and 'data-count="2"' in board.text
    year = client.get("/outreach")
    assert year.status_code == 200 and "农文光, 何海龙" in year.text and "反走私" in year.text
    book = client.get(f"/outreach/visits.xlsx?year={date.today().year}")
    rows = list(load_workbook(io.BytesIO(book.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][4] == 35
    field = client.get("/outreach/field")
    assert field.status_code == 200 and "/static/js/outreach-field.js" in field.text


def test_who_opens_the_pages(client, w):
    expect = {"village": (200, 403, 403), "agent": (403, 403, 403), "police": (403, 403, 403),
              "a_aux": (200, 200, 200), "cmd_viewer": (200, 200, 403), "cmd": (200, 200, 200)}
    for who, statuses in expect.items():
        login(client, w.users[who].username)
        got = tuple(client.get(p).status_code for p in ("/outreach", "/outreach/board",
                                                        "/outreach/new"))
        assert got == statuses, who
