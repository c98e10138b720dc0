"""New evidence re-judges the departure lists too: a watchlist entry added after they were
screened "clear", or a hit decided on a departing person, screens them again, tells the
station, and holds the ship (clear-out and departure) and sounds the workbench's alarm."""

from __future__ import annotations

from sqlalchemy import select

from bastion.screening.models import Watchlist
from tests.clearance.integrity.conftest import COOK, SEAMAN, WANTED_BY_NAME

COOK_REF = "ZHAO Gang · C3"
LI_REF = "LI ZHENYU · C4"


def _departure_declared(port, rows: list[dict]) -> int:
    call_id = port.approved_call(rows=rows)
    for who, action in ((port.officer, "arrive"), (port.officer, "start_inspection"),
                        (port.officer, "clear_in"), (port.customs, "clear_in"),
                        (port.agent, "declare_departure")):
        if action == "clear_in" and who is port.officer:
            step = port.override(call_id, action, port.supervisor, "SYNTHETIC: known") \
                if rows != [SEAMAN, COOK] else port.act(call_id, action, who)
        else:
            step = port.act(call_id, action, who)
        assert step.status_code == 200, (action, step.text)
    leaving = port.client.post(port.url(call_id, "/departure/crew/rows"), headers=port.agent,
                               json={"rows": rows})
    assert leaving.status_code == 201, leaving.text
    return call_id


def _screening(port, call_id: int) -> dict:
    return port.client.get(port.url(call_id, "/departure"), headers=port.officer).json()[
        "screening"]


def _notes(port, who) -> list[dict]:
    return port.client.get("/api/v1/notifications", headers=who).json()["items"]


def _wanted_cook(port, session) -> None:
    watchlist = session.scalar(select(Watchlist))
    added = port.client.post(f"/api/v1/watchlists/{watchlist.id}/entries",
                             headers=port.supervisor, json={
                                 "source_id": "DEMO-019", "type": "person", "name": "ZHAO GANG",
                                 "birth_date": "1990-06-01", "nationality": "CHN",
                                 "document_type": "P", "document_number": "E22334455",
                                 "issuing_state": "CHN", "reason": "SYNTHETIC: wanted"})
    assert added.status_code == 201, added.text


def test_a_watchlist_entry_after_clear_out_screening_holds_the_departing_person(port, session):
    call_id = _departure_declared(port, [SEAMAN, COOK])
    assert _screening(port, call_id)[COOK_REF] == "clear"
    _wanted_cook(port, session)

    assert _screening(port, call_id)[COOK_REF] == "stop"
    notes = [n for n in _notes(port, port.officer) if n["record_id"] == call_id]
    assert notes and notes[0]["severity"] == "urgent" and "MIN XING 8" in notes[0]["title"]
    assert "出境名单比对结果变化" in notes[0]["title"]  # in the officer's zh-CN
    assert _notes(port, port.agent) == []  # the agent never learns its people matched
    refused = port.act(call_id, "clear_out", port.officer)
    assert refused.status_code == 409 and "ZHAO Gang" in refused.json()["detail"]

    board = port.client.get("/api/v1/workbench", headers=port.officer).json()
    assert f"stop:{call_id}:{COOK_REF}" in {a["key"] for a in board["alarms"]}
    customs_board = port.client.get("/api/v1/workbench", headers=port.customs)
    assert customs_board.status_code == 200  # customs may not read the station's lists
    assert not [a for a in customs_board.json()["alarms"] if a["kind"] == "stop"]


def test_depart_is_refused_when_a_departing_person_turned_stop_after_clear_out(port, session):
    call_id = _departure_declared(port, [SEAMAN, COOK])
    for who in (port.officer, port.customs):
        assert port.act(call_id, "clear_out", who).status_code == 200
    assert port.get(call_id)["state"] == "cleared_out"
    _wanted_cook(port, session)

    refused = port.act(call_id, "depart", port.officer)
    assert refused.status_code == 409 and "ZHAO Gang" in refused.json()["detail"]
    assert port.get(call_id)["state"] == "cleared_out"
    assert port.override(call_id, "depart", port.officer, "known").status_code == 403
    gone = port.override(call_id, "depart", port.supervisor, "SYNTHETIC: police took him off")
    assert gone.status_code == 200, gone.text
    assert port.get(call_id)["state"] == "departed"


def test_a_clear_out_override_lets_the_ship_depart(port, session):
    call_id = _departure_declared(port, [SEAMAN, COOK])
    _wanted_cook(port, session)
    escorted = port.override(call_id, "clear_out", port.supervisor, "SYNTHETIC: escorted")
    assert escorted.status_code == 200, escorted.text
    assert port.act(call_id, "clear_out", port.customs).status_code == 200
    departed = port.act(call_id, "depart", port.officer)
    assert departed.status_code == 200, departed.text


def test_deciding_a_departure_hit_rescreens_the_departure_lists(port, session):
    call_id = _departure_declared(port, [SEAMAN, COOK, WANTED_BY_NAME])
    assert _screening(port, call_id)[LI_REF] == "check"
    assert port.act(call_id, "clear_out", port.officer).status_code == 409
    hits = port.client.get("/api/v1/screening/hits", headers=port.officer).json()["items"]
    open_hits = [h for h in hits if h["subject"]["name"] == "LI ZHENYU"]
    assert open_hits
    for hit in open_hits:
        decided = port.client.post(f"/api/v1/screening/hits/{hit['id']}/decision",
                                   headers=port.officer,
                                   json={"confirm": False, "reason": "SYNTHETIC: another man"})
        assert decided.status_code == 200, decided.text
    assert _screening(port, call_id)[LI_REF] == "clear"
    cleared = port.act(call_id, "clear_out", port.officer)
    assert cleared.status_code == 200, cleared.text
