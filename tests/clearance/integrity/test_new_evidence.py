"""New evidence re-judges every open call until departure and tells the station: an alert on
the vessel, a watchlist entry matching a declared person, a hit decision, a landed person."""

from __future__ import annotations

from sqlalchemy import select

from bastion.clearance.calls.models import PortCall
from bastion.core.marking import TLP, Distribution
from bastion.maritime.alerts import service as alerts
from bastion.screening.models import Watchlist
from tests.clearance.integrity.conftest import CALL, COOK, SEAMAN

ENCOUNTER = {"id": "encounter:412440102:1", "kind": "encounter", "mmsi": CALL["mmsi"],
             "other_mmsi": 412999001, "start": "2030-11-28T02:00:00Z", "end": None,
             "lat": 21.5, "lon": 111.9, "severity": "high", "score": 80.0,
             "thresholds": {"distance_m": 500}, "evidence": [], "context": {}}


def _notes(port, who) -> list[dict]:
    return port.client.get("/api/v1/notifications", headers=who).json()["items"]


def test_an_alert_on_the_vessel_raises_an_open_call_and_tells_the_station(port, session, world):
    call_id = port.approved_call()
    assert port.get(call_id)["inspection_level"] == "boarding"  # first call here
    other = port.approved_call(mmsi=412440999, vessel_name="OTHER SHIP")
    owner = alerts.AlertOwner(org_id=world.a.id, author_id=world.author.id, tlp=TLP.AMBER,
                              distribution=Distribution.ALL)
    alerts.apply_engine_event(session, owner=owner, action="opened", alert=ENCOUNTER)
    session.commit()
    seen = port.get(call_id)
    assert seen["inspection_level"] == "enhanced"
    assert any(rule == "met_at_sea" for rule, _text in seen["precheck"]["reasons"])
    assert port.get(other)["inspection_level"] == "boarding"  # another vessel: untouched
    notes = [n for n in _notes(port, port.officer) if n["record_id"] == call_id]
    assert notes and "MIN XING 8" in notes[0]["title"] and notes[0]["link"] == \
        f"/clearance/{call_id}"
    assert "新的预警" in notes[0]["title"]  # "a new alert on the vessel", in zh-CN
    assert _notes(port, port.agent) == []  # the agent is never told
    assert _notes(port, port.customs) == []  # nor another agency


def test_a_departed_call_is_not_judged_again(port, session, world):
    call_id = port.approved_call()
    call = session.get(PortCall, call_id)
    call.state = call.state.__class__.DEPARTED
    session.commit()
    before = port.get(call_id)["precheck"]["at"]
    owner = alerts.AlertOwner(org_id=world.a.id, author_id=world.author.id, tlp=TLP.AMBER,
                              distribution=Distribution.ALL)
    alerts.apply_engine_event(session, owner=owner, action="opened", alert=ENCOUNTER)
    session.commit()
    assert port.get(call_id)["precheck"]["at"] == before


def test_a_new_watchlist_entry_matching_a_declared_person_rejudges_open_calls(port, session,
                                                                              world):
    call_id = port.approved_call()
    for action in ("arrive", "start_inspection"):
        assert port.act(call_id, action, port.officer).status_code == 200
    watchlist = session.scalar(select(Watchlist))
    added = port.client.post(f"/api/v1/watchlists/{watchlist.id}/entries",
                             headers=port.supervisor, json={
                                 "source_id": "DEMO-009", "type": "person", "name": "ZHAO GANG",
                                 "birth_date": "1990-06-01", "nationality": "CHN",
                                 "reason": "SYNTHETIC: wanted"})
    assert added.status_code == 201, added.text
    seen = port.get(call_id)
    assert seen["precheck"]["persons"]["ZHAO Gang · C3"] in ("check", "stop")
    assert seen["state"] == "inspecting"
    refused = port.act(call_id, "clear_in", port.officer)
    assert refused.status_code == 409 and "ZHAO Gang" in refused.json()["detail"]
    notes = [n for n in _notes(port, port.officer) if n["record_id"] == call_id]
    assert notes and "名单有变更" in notes[0]["title"]  # "a watchlist changed"


def test_confirming_a_hit_turns_check_into_stop(port):
    call_id = port.approved_call(rows=[SEAMAN, COOK, {
        **SEAMAN, "family_name": "LI", "given_names": "ZHENYU", "rank": "Oiler",
        "birth_date": "1983-02-11", "document_number": "E99887766"}])
    assert port.get(call_id)["precheck"]["persons"]["LI ZHENYU · C4"] == "check"
    hits = port.client.get("/api/v1/screening/hits", headers=port.officer).json()["items"]
    hit = next(h for h in hits if h["subject"]["name"] == "LI ZHENYU")
    decided = port.client.post(f"/api/v1/screening/hits/{hit['id']}/decision",
                               headers=port.officer, json={"confirm": True, "reason": "same man"})
    assert decided.status_code == 200
    seen = port.get(call_id)
    assert seen["precheck"]["persons"]["LI ZHENYU · C4"] == "stop"
    assert seen["inspection_level"] == "enhanced"
    notes = [n for n in _notes(port, port.officer) if n["record_id"] == call_id]
    assert notes and notes[0]["severity"] == "urgent"


def test_the_person_landed_on_the_green_channel_is_screened(port):
    call_id = port.approved_call()
    declared = port.client.post(port.url(call_id, "/green-channel"), headers=port.agent, json={
        "kind": "medical", "reason": "crushed hand",
        "persons": [{"name": "LI ZHENYU", "condition": "crushed hand"}]})
    assert declared.status_code == 201, declared.text
    persons = port.get(call_id)["precheck"]["persons"]
    landed = [ref for ref in persons if ref.startswith("LI ZHENYU · G")]
    assert landed and persons[landed[0]] == "check"
    assert set(port.get(call_id, who=port.agent)["precheck"]) == {"level", "version"}
