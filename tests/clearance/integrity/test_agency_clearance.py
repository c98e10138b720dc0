"""Multi-agency clearance (issue #11 part 5): who has cleared and who is awaited, history lines
that name the person and agency, and a repeated click refused rather than recorded."""

from __future__ import annotations

from tests.web_helpers import api_token, login


def _inspecting(port) -> int:
    call_id = port.approved_call()
    for action in ("arrive", "start_inspection"):
        assert port.act(call_id, action, port.officer).status_code == 200
    return call_id


def test_each_agency_clears_once_and_the_history_names_who(port, world):
    call_id = _inspecting(port)
    first = port.act(call_id, "clear_in", port.officer)
    assert first.status_code == 200 and first.json()["state"] == "inspecting"
    again = port.act(call_id, "clear_in", api_token(port.client, "a.super"))  # same agency
    assert again.status_code == 409, again.text
    cleared = {p["agency_id"]: p["cleared_in_at"] for p in port.get(call_id)["participants"]}
    assert cleared[world.a.id] and cleared[port.customs_agency.id] is None  # customs awaited
    done = port.act(call_id, "clear_in", port.customs)
    assert done.status_code == 200 and done.json()["state"] == "cleared_in"
    assert port.act(call_id, "clear_in", port.customs).status_code == 409
    history = port.client.get(port.url(call_id, "/history"), headers=port.officer).json()["items"]
    clear_ins = [h for h in history if h["action"] == "clear_in"]
    assert len(clear_ins) == 2  # one line per agency, the refused clicks left none
    assert [(h["agency_id"], h["waiting"]) for h in clear_ins] == [
        (world.a.id, [str(port.customs_agency.id)]), (port.customs_agency.id, [])]
    assert clear_ins[0]["by"] == world.a_unit_officer.display_name
    assert clear_ins[1]["agency"] == port.customs_agency.name


def test_a_participant_takes_no_station_action_and_a_viewer_none(port, world):
    call_id = _inspecting(port)
    assert port.act(call_id, "depart", port.customs).status_code == 403
    viewer = api_token(port.client, "a.viewer")
    assert port.act(call_id, "clear_in", viewer).status_code == 403
    assert port.act(call_id, "clear_in", port.agent).status_code == 403
    outsider = api_token(port.client, "c.officer")
    assert port.act(call_id, "clear_in", outsider).status_code == 404


def test_the_call_page_shows_cleared_and_awaited_agencies(port, world):
    call_id = _inspecting(port)
    port.act(call_id, "clear_in", port.officer)
    login(port.client, "customs.one")
    page = port.client.get(f"/clearance/{call_id}")
    assert page.status_code == 200
    section = page.text.split('id="agency-clearance"')[1].split("</section>")[0]
    station_row = section.split(f'data-agency="{world.a.code}"')[1].split("</tr>")[0]
    customs_row = section.split(f'data-agency="{port.customs_agency.code}"')[1].split("</tr>")[0]
    assert 'class="cleared"' in station_row and 'class="awaited"' in customs_row
    assert 'data-action="clear_in"' in page.text  # customs has not cleared yet
    assert 'data-action="start_inspection"' not in page.text  # not a customs action
    login(port.client, "a1.officer")
    page = port.client.get(f"/clearance/{call_id}")
    assert 'data-action="clear_in"' not in page.text  # the station has cleared already
    assert world.a_unit_officer.display_name in page.text.split("History")[-1]


def test_the_page_names_unresolved_persons_to_the_station_only(port, session):
    from bastion.maritime.tracks.models import Vessel
    from tests.clearance.integrity.conftest import CALL, COOK, SEAMAN, WANTED_BY_NAME

    session.add(Vessel(mmsi=CALL["mmsi"], imo=9074729, name="EXAMPLE STAR"))
    session.commit()
    call_id = port.approved_call(rows=[SEAMAN, COOK, WANTED_BY_NAME])
    for action in ("arrive", "start_inspection"):
        port.act(call_id, action, port.officer)
    login(port.client, "a1.officer")
    page = port.client.get(f"/clearance/{call_id}").text
    assert "LI ZHENYU" in page.split('id="blocked-persons"')[1].split("</p>")[0]
    assert 'id="identity-mismatches"' in page and "EXAMPLE STAR" in page
    assert 'name="override"' not in page  # an officer cannot override
    login(port.client, "a.super")
    assert 'name="override"' in port.client.get(f"/clearance/{call_id}").text
    login(port.client, "agent.one")
    page = port.client.get(f"/clearance/{call_id}").text
    assert 'id="blocked-persons"' not in page and "LI ZHENYU" not in page
    assert 'id="identity-mismatches"' not in page and "EXAMPLE STAR" not in page
    login(port.client, "customs.one")
    page = port.client.get(f"/clearance/{call_id}").text
    assert 'id="blocked-persons"' not in page and 'name="override"' not in page
