"""Nobody wanted leaves on the departure lists either: a person the outbound screening judges
"stop" blocks clear-out as an arrival "stop" blocks clear-in, until a supervisor overrides."""

from __future__ import annotations

from tests.clearance.integrity.conftest import COOK, SEAMAN, WANTED_BY_DOCUMENT


def test_a_wanted_person_joining_for_departure_blocks_clear_out(port):
    call_id = port.approved_call()
    for who, action in ((port.officer, "arrive"), (port.officer, "start_inspection"),
                        (port.officer, "clear_in"), (port.customs, "clear_in"),
                        (port.agent, "declare_departure")):
        step = port.act(call_id, action, who)
        assert step.status_code == 200, (action, step.text)
    leaving = port.client.post(port.url(call_id, "/departure/crew/rows"), headers=port.agent,
                               json={"rows": [SEAMAN, COOK, WANTED_BY_DOCUMENT]})
    assert leaving.status_code == 201, leaving.text
    departure = port.client.get(port.url(call_id, "/departure"), headers=port.officer).json()
    joined = [c for c in departure["changes"] if c["name"].startswith("NGUYEN")]
    assert len(joined) == 1
    explained = port.client.put(port.url(call_id, "/departure/reasons"), headers=port.agent,
                                json={"person_key": joined[0]["key"], "reason": "signed_on"})
    assert explained.status_code == 200, explained.text

    refused = port.act(call_id, "clear_out", port.officer)
    assert refused.status_code == 409 and "NGUYEN VAN HUNG" in refused.json()["detail"]
    held = port.act(call_id, "clear_out", port.customs)
    assert held.status_code == 409 and "NGUYEN" not in held.json()["detail"]
    assert port.override(call_id, "clear_out", port.officer, "known to us").status_code == 403
    done = port.override(call_id, "clear_out", port.supervisor, "handed to the police at the gangway")
    assert done.status_code == 200, done.text
    history = port.client.get(port.url(call_id, "/history"), headers=port.officer).json()["items"]
    last = [h for h in history if h["action"] == "clear_out"][-1]
    assert last.get("override") is True
