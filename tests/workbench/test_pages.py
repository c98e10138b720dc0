"""The workbench and vessel pages as each kind of user opens them in the web UI, and the
links between calls, hits, alerts and vessels."""

from __future__ import annotations

import re

import pytest

from bastion.maritime.tracks.models import Vessel
from tests.web_helpers import login
from tests.workbench.conftest import IMO, MMSI, WANG


@pytest.fixture
def ais(session, day):
    """The vessel as its AIS tells it: a draught 2.3 m deeper than declared."""
    session.add(Vessel(mmsi=MMSI, imo=IMO, name="MIN XING 8", callsign="BVAA2", flag="CN",
                       draught_m=7.9))
    session.commit()


def test_the_officer_gets_the_workbench_with_its_alarms(client, day):
    login(client, "a1.officer")
    page = client.get("/workbench")
    assert page.status_code == 200
    assert 'id="nav-workbench"' in page.text
    for part in ("wb-cases", "wb-arrivals", "wb-hits", "wb-alerts", "wb-slots", "wb-tides",
                 "wb-awaiting"):
        assert f'id="{part}"' in page.text, part
    keys = set(re.findall(r'data-alarm="([^"]+)"', page.text))
    assert keys == {f"emergency:{day['case']}", f"stop:{day['call']}:{WANG}",
                    f"alert:{day['alert']}"}
    assert 'data-stream="/events/stream?unnamed=1"' in page.text
    sections = client.get("/workbench/sections")
    assert sections.status_code == 200 and "<html" not in sections.text
    assert set(re.findall(r'data-alarm="([^"]+)"', sections.text)) == keys


def test_the_page_speaks_chinese(client, day):
    login(client, "a.super")
    page = client.get("/workbench")
    assert "值班台" in page.text and "未来24小时抵港" in page.text


def test_a_viewer_sees_no_hits_part(client, day):
    login(client, "a.viewer")
    page = client.get("/workbench")
    assert page.status_code == 200
    assert 'id="wb-hits"' not in page.text and WANG not in page.text


def test_customs_sees_its_call_but_not_the_station_list_result(client, day):
    login(client, "cus.officer")
    page = client.get("/workbench")
    assert page.status_code == 200
    assert "MIN XING 8" in page.text and WANG not in page.text


@pytest.mark.parametrize("username", ["agent.one", "village.viewer"])
def test_outsiders_get_no_workbench_and_no_menu_entry(client, day, username):
    login(client, username)
    assert client.get("/workbench").status_code == 403
    assert client.get("/workbench/sections").status_code == 403
    assert 'id="nav-workbench"' not in client.get("/dashboard").text


def test_the_vessel_page_shows_calls_identity_and_screening(client, day, ais):
    login(client, "a1.officer")
    page = client.get(f"/maritime/vessels/{MMSI}")
    assert page.status_code == 200
    text = page.text
    assert f'href="/clearance/{day["call"]}"' in text
    assert 'id="vessel-calls"' in text and 'id="vessel-track"' in text
    identity = text[text.index('id="vessel-identity"'):text.index('id="vessel-calls"')]
    assert re.search(r'data-field="draught" data-status="differs"', identity)
    for field in ("imo", "name", "callsign", "flag"):  # CHN and CN are one flag
        assert f'data-field="{field}" data-status="same"' in identity, field
    screening = text[text.index('id="vessel-screening"'):]
    assert 'class="outcome outcome-stop">1<' in screening


def test_customs_sees_the_crew_screening_without_the_station_list(client, day, ais):
    login(client, "cus.officer")
    page = client.get(f"/maritime/vessels/{MMSI}")
    assert page.status_code == 200
    screening = page.text[page.text.index('id="vessel-screening"'):]
    assert "outcome-stop" not in screening


def test_an_agent_has_no_vessel_page_and_no_link_to_it(client, day, ais):
    login(client, "agent.one")
    assert client.get(f"/maritime/vessels/{MMSI}").status_code == 403
    assert 'id="vessel-link"' not in client.get(f"/clearance/{day['call']}").text
    assert client.get(f"/clearance/{day['call']}/vessel",
                      follow_redirects=False).status_code == 303  # its own call, its MMSI
    # ...where the maritime picture refuses it


def test_calls_hits_and_alerts_link_to_each_other(client, day, ais):
    login(client, "a1.officer")
    call = client.get(f"/clearance/{day['call']}").text
    assert f'href="/maritime/vessels/{MMSI}" id="vessel-link"' in call
    hits = client.get("/screening/hits").text
    assert f'href="/clearance/{day["call"]}"' in hits
    assert f'href="/clearance/{day["call"]}/vessel"' in hits
    jump = client.get(f"/clearance/{day['call']}/vessel", follow_redirects=False)
    assert jump.status_code == 303 and jump.headers["location"] == f"/maritime/vessels/{MMSI}"
    alert = client.get(f"/maritime/alerts/{day['alert']}").text
    assert f'href="/maritime/vessels/{MMSI}"' in alert
    assert 'id="vessel-calls"' in alert and f'href="/clearance/{day["call"]}"' in alert
    for queue in ("/clearance", "/clearance/agenda", "/maritime/alerts", "/screening/hits"):
        text = client.get(queue).text
        assert 'id="queues"' in text and 'href="/workbench"' in text, queue


def test_a_vessel_known_only_from_a_call_has_a_page(client, day):
    login(client, "a1.officer")
    page = client.get(f"/maritime/vessels/{MMSI}")
    assert page.status_code == 200 and 'id="no-ais"' in page.text
    assert 'id="vessel-calls"' in page.text
    assert client.get("/maritime/vessels/412999999").status_code == 404


def test_a_call_of_another_station_is_not_on_the_vessel_page(client, day, ais):
    login(client, "c.officer")  # an army company: reads the picture, not the port calls
    page = client.get(f"/maritime/vessels/{MMSI}")
    assert page.status_code == 200
    assert 'id="vessel-calls"' not in page.text and 'id="vessel-identity"' not in page.text
    assert client.get(f"/clearance/{day['call']}/vessel").status_code in (403, 404)


def test_the_vessel_on_a_watchlist_shows_on_its_page(client, day, ais):
    from tests.web_helpers import api_token

    supervisor = api_token(client, "a.super")
    made = client.post("/api/v1/watchlists", headers=supervisor, json={
        "name": "vessels of interest", "tlp": "amber", "distribution": "own"}).json()
    entry = client.post(f"/api/v1/watchlists/{made['id']}/entries", headers=supervisor, json={
        "source_id": "V-1", "type": "vessel", "name": "MIN XING 8", "imo": str(IMO),
        "reason": "SYNTHETIC: smuggling lead"})
    assert entry.status_code == 201, entry.text
    login(client, "a1.officer")
    page = client.get(f"/maritime/vessels/{MMSI}").text
    entries = page[page.index('id="vessel-entries"'):]
    assert "vessels of interest" in entries and "SYNTHETIC: smuggling lead" in entries
    login(client, "cus.officer")  # the list is the station's own
    assert 'id="vessel-entries"' not in client.get(f"/maritime/vessels/{MMSI}").text
