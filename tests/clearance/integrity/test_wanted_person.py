"""MUST SHOW (issue #11): a wanted person added to the crew list after arrival approval —
by a direct upload or by amending — cannot be cleared in unscreened or with an open hit."""

from __future__ import annotations

from tests.clearance.integrity.conftest import COOK, SEAMAN, WANTED_BY_DOCUMENT, WANTED_BY_NAME


def _hits(port, name: str) -> list[dict]:
    hits = port.client.get("/api/v1/screening/hits", headers=port.officer).json()["items"]
    return [h for h in hits if h["subject"]["name"].startswith(name)]


def _to_inspection(port, call_id: int) -> None:
    for action in ("arrive", "start_inspection"):
        step = port.act(call_id, action, port.officer)
        assert step.status_code == 200, (action, step.text)


def test_a_direct_upload_after_approval_is_screened_and_blocks_clear_in(port):
    call_id = port.approved_call()
    before = port.get(call_id)["precheck"]
    # the agent uploads a new crew list without amending: accepted, and screened at once
    upload = port.crew(call_id, [SEAMAN, COOK, WANTED_BY_NAME])
    assert upload.status_code == 201, upload.text
    after = port.get(call_id)
    assert after["state"] == "arrival_approved"  # the booking stands
    assert after["precheck"]["at"] != before["at"]
    assert after["precheck"]["persons"]["LI ZHENYU · C4"] == "check"
    assert after["inspection_level"] in ("boarding", "enhanced")
    _to_inspection(port, call_id)
    refused = port.act(call_id, "clear_in", port.officer)
    assert refused.status_code == 409, refused.text
    assert "LI ZHENYU" in refused.json()["detail"]
    assert port.get(call_id)["state"] == "inspecting"
    assert port.get(call_id)["participants"][0]["cleared_in_at"] is None  # nothing recorded
    # customs cannot clear in around it either, and learns nothing of whom the station holds
    held = port.act(call_id, "clear_in", port.customs)
    assert held.status_code == 409 and "LI" not in held.json()["detail"]
    assert "边检站" in held.json()["detail"]  # the user's language: 边检站 ... 待其完成
    # the officer decides the open hit: not the person; the pre-check re-runs, clear-in works
    hits = _hits(port, "LI ZHENYU")
    assert hits and all(h["status"] == "pending" for h in hits)
    for hit in hits:
        decided = port.client.post(f"/api/v1/screening/hits/{hit['id']}/decision",
                                   headers=port.officer,
                                   json={"confirm": False, "reason": "other date of birth"})
        assert decided.status_code == 200, decided.text
    assert port.get(call_id)["precheck"]["persons"]["LI ZHENYU · C4"] == "clear"
    cleared = port.act(call_id, "clear_in", port.officer)
    assert cleared.status_code == 200, cleared.text


def test_amending_to_add_a_wanted_person_blocks_clear_in_until_a_supervisor_overrides(port):
    call_id = port.approved_call()
    assert port.act(call_id, "amend", port.agent, reason="crew change at Haiphong") \
        .json()["state"] == "prechecked"
    assert port.crew(call_id, [SEAMAN, COOK, WANTED_BY_DOCUMENT]).status_code == 201
    seen = port.get(call_id)
    assert seen["precheck"]["persons"]["NGUYEN VAN HUNG · C4"] == "stop"
    assert seen["inspection_level"] == "enhanced"
    assert port.act(call_id, "approve_arrival", port.officer).status_code == 200
    _to_inspection(port, call_id)
    refused = port.act(call_id, "clear_in", port.officer)
    assert refused.status_code == 409 and "NGUYEN VAN HUNG" in refused.json()["detail"]
    # an officer cannot override; a supervisor must give a reason
    assert port.override(call_id, "clear_in", port.officer,
                         reason="handed to police").status_code == 403
    assert port.override(call_id, "clear_in", port.supervisor, reason="").status_code == 422
    overridden = port.override(call_id, "clear_in", port.supervisor,
                               reason="NGUYEN VAN HUNG taken off the ship by border police")
    assert overridden.status_code == 200, overridden.text
    history = port.client.get(port.url(call_id, "/history"), headers=port.officer).json()
    last = history["items"][-1]
    assert last["action"] == "clear_in" and last["override"] is True
    assert last["reason"] == "NGUYEN VAN HUNG taken off the ship by border police"
    assert last["blocked_persons"] == ["NGUYEN VAN HUNG · C4"]


def test_the_agent_never_learns_who_matched(port):
    call_id = port.approved_call()
    port.crew(call_id, [SEAMAN, COOK, WANTED_BY_NAME])
    mine = port.get(call_id, who=port.agent)
    assert set(mine["precheck"]) == {"level", "version"}
    assert port.client.get("/api/v1/screening/hits", headers=port.agent).status_code == 403
    assert port.client.get(port.url(call_id, "/history"), headers=port.agent).status_code == 200
    history = port.client.get(port.url(call_id, "/history"), headers=port.agent).json()["items"]
    assert "LI ZHENYU" not in str(history)


def test_an_override_covers_one_clearance_and_the_persons_it_named(port):
    call_id = port.approved_call(rows=[SEAMAN, COOK, WANTED_BY_DOCUMENT])
    _to_inspection(port, call_id)
    assert port.override(call_id, "clear_in", port.supervisor,
                         reason="taken off by border police").status_code == 200
    # customs records its own clearance: the station's override covers the call's clear-in
    assert port.act(call_id, "clear_in", port.customs).json()["state"] == "cleared_in"
    assert port.act(call_id, "declare_departure", port.agent).status_code == 200
    # clearing out is another decision: refused again until a supervisor overrides it too
    refused = port.act(call_id, "clear_out", port.officer)
    assert refused.status_code == 409 and "NGUYEN VAN HUNG" in refused.json()["detail"]
    assert port.override(call_id, "clear_out", port.customs,
                         reason="not ours to decide").status_code == 403
    assert port.override(call_id, "clear_out", port.supervisor,
                         reason="left ashore in custody").status_code == 200
    assert port.act(call_id, "clear_out", port.customs).json()["state"] == "cleared_out"


def test_an_unjudged_list_cannot_be_cleared_even_if_nothing_rechecked_it(port, session):
    """The safety net under the re-check: the pre-check records the list versions it judged,
    and a newer list (stored by any path) is unscreened until judged."""
    from bastion.clearance.calls.models import Declaration

    call_id = port.approved_call()
    _to_inspection(port, call_id)
    session.add(Declaration(call_id=call_id, form="crew", version=2, filename="crew.csv",
                            rows=[WANTED_BY_NAME], uploaded_by_id=port.world.author.id))
    session.commit()
    refused = port.act(call_id, "clear_in", port.officer)
    assert refused.status_code == 409, refused.text


def test_another_agency_reads_clear_as_no_match_on_its_own_lists(port):
    """Customs sees per person only what the lists it may read say: its "clear" is worded as
    that, never as the station's verdict (which may be "check" on the station's own list)."""
    call_id = port.approved_call()
    assert port.crew(call_id, [SEAMAN, COOK, WANTED_BY_NAME]).status_code == 201
    assert port.get(call_id)["precheck"]["persons"]["LI ZHENYU · C4"] == "check"
    page = port.client.get(f"/clearance/{call_id}", headers=port.customs)
    assert page.status_code == 200
    assert "本单位可查阅的名单中未命中" in page.text  # the demo users read Chinese
    station = port.client.get(f"/clearance/{call_id}", headers=port.officer)
    assert "本单位可查阅的名单中未命中" not in station.text
