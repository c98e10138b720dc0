"""FAL cross-checks on submission (counts, one passport on two lists) and ISO 8601 times."""

from __future__ import annotations

import pytest

from tests.clearance.integrity.conftest import COOK, SEAMAN

GENERAL = {"vessel_name": "MIN XING 8", "imo": "9300013", "call_sign": "BQAB", "flag": "CHN",
           "voyage_number": "V2611", "arrival_port": "CNNSA", "eta": "2030-12-01 06:00",
           "etd": "2030-12-02 18:00", "last_port": "VNHPH", "crew_count": "2",
           "passenger_count": "1", "master_name": "WANG WEI"}
PASSENGER = {k: v for k, v in SEAMAN.items() if k != "rank"} | {
    "family_name": "CHEN", "given_names": "Li", "document_number": "E55667788",
    "embarkation_port": "VNHPH", "disembarkation_port": "CNNSA"}


def _rows(port, call_id, form, rows):
    return port.client.post(port.url(call_id, f"/declarations/{form}/rows"), headers=port.agent,
                            json={"rows": rows})


def _declare(port, general=None, crew=None, passengers=None) -> int:
    call_id = port.new_call()
    for form, rows in (("general", [general or GENERAL]), ("crew", crew or [SEAMAN, COOK]),
                       ("passengers", passengers or [PASSENGER])):
        stored = _rows(port, call_id, form, rows)
        assert stored.status_code == 201, (form, stored.text)
    return call_id


def test_consistent_declarations_are_submitted(port):
    call_id = _declare(port)
    submitted = port.act(call_id, "submit", port.agent)
    assert submitted.status_code == 200 and submitted.json()["state"] == "prechecked"
    assert port.get(call_id)["precheck"]["crosscheck"] == []


def test_fal1_crew_count_against_the_crew_list_refuses_submission(port):
    call_id = _declare(port, general={**GENERAL, "crew_count": "3"})
    refused = port.act(call_id, "submit", port.agent)
    assert refused.status_code == 422, refused.text
    errors = refused.json()["errors"]
    assert [(e["sheet"], e["row"], e["column"], e["code"]) for e in errors] == [
        ("general", 2, "Number of crew", "CREW_COUNT_MISMATCH")]
    assert "3" in errors[0]["message"] and "2" in errors[0]["message"]
    assert port.get(call_id, who=port.agent)["state"] == "draft"  # nothing moved


def test_one_passport_on_both_lists_refuses_submission(port):
    call_id = _declare(port, passengers=[{**PASSENGER, "document_number": COOK["document_number"]}])
    refused = port.act(call_id, "submit", port.agent)
    assert refused.status_code == 422
    assert [(e["sheet"], e["row"], e["code"]) for e in refused.json()["errors"]] == [
        ("passengers", 2, "DOCUMENT_IN_CREW_AND_PASSENGERS")]
    assert "3" in refused.json()["errors"][0]["message"]  # the cook's crew-list row (zh-CN)


def test_a_change_after_submission_is_shown_to_officers_not_the_agent(port):
    call_id = _declare(port)
    assert port.act(call_id, "submit", port.agent).status_code == 200
    assert _rows(port, call_id, "crew", [SEAMAN]).status_code == 201  # one signed off
    found = port.get(call_id)["precheck"]["crosscheck"]
    assert [(p["sheet"], p["code"]) for p in found] == [("general", "CREW_COUNT_MISMATCH")]
    assert "crosscheck" not in port.get(call_id, who=port.agent)["precheck"]
    assert "crosscheck" in port.get(call_id, who=port.customs)["precheck"]


@pytest.mark.parametrize("eta, etd", [("2030-12-01T06:00:00Z", "2030-12-02T18:00:00Z"),
                                      ("2030-12-01T06:00:00+08:00", "2030-12-02T10:00+0800"),
                                      ("2030-12-01T06:00", "2030-12-02 18:00:30")])
def test_iso_8601_times_are_accepted(port, eta, etd):
    call_id = port.new_call()
    stored = _rows(port, call_id, "general", [{**GENERAL, "eta": eta, "etd": etd}])
    assert stored.status_code == 201, stored.text


def test_times_in_the_wrong_order_or_mixed_zones_are_named(port):
    call_id = port.new_call()
    mixed = _rows(port, call_id, "general", [{**GENERAL, "eta": "2030-12-01T06:00:00Z",
                                              "etd": "2030-12-02 18:00"}])
    assert mixed.status_code == 422
    assert [(e["column"], e["code"]) for e in mixed.json()["errors"]] == [
        ("etd", "MIXED_TIME_ZONES")]
    backwards = _rows(port, call_id, "general", [{**GENERAL, "eta": "2030-12-02T06:00:00Z",
                                                  "etd": "2030-12-01T18:00:00Z"}])
    assert [e["code"] for e in backwards.json()["errors"]] == ["DATES_OUT_OF_ORDER"]
    bad = _rows(port, call_id, "general", [{**GENERAL, "eta": "2030-12-01T25:00:00Z"}])
    assert bad.status_code == 422 and bad.json()["errors"][0]["column"] == "eta"
    assert "ISO 8601" in bad.json()["errors"][0]["message"]
