"""The pure comparisons: version against version, arrival against departure."""

from __future__ import annotations

from bastion.clearance.departure import changes
from bastion.clearance.workspace import diff

ZHANG = {"row": 2, "family_name": "ZHANG", "given_names": "SAN", "issuing_state": "CHN",
         "document_number": "E123 45678", "rank": "Master"}
LI = {"row": 3, "family_name": "LI", "given_names": "SI", "issuing_state": "CHN",
      "document_number": "E87654321", "rank": "Cook"}
TRAN = {"row": 4, "family_name": "TRAN", "given_names": "VAN", "issuing_state": "VNM",
        "document_number": "B1", "rank": "AB"}


def test_rows_match_by_document_not_position():
    resorted = [{**LI, "row": 2}, {**ZHANG, "row": 3}]
    result = diff.compare("crew", [ZHANG, LI], resorted)
    assert result == {"added": [], "removed": [], "changed": [], "unchanged": 2}
    # the same document written otherwise is the same person, with the spelling as a change
    respelt = diff.compare("crew", [ZHANG], [{**ZHANG, "document_number": "e12345678"}])
    assert not respelt["added"] and not respelt["removed"]
    assert respelt["changed"][0]["fields"] == {"document_number": ["E123 45678", "e12345678"]}


def test_added_removed_and_changed_fields():
    result = diff.compare("crew", [ZHANG, LI], [{**ZHANG, "rank": "Captain"}, TRAN])
    assert [r["family_name"] for r in result["added"]] == ["TRAN"]
    assert [r["family_name"] for r in result["removed"]] == ["LI"]
    assert [c["fields"] for c in result["changed"]] == [{"rank": ["Master", "Captain"]}]
    assert result["unchanged"] == 0


def test_the_same_key_twice_is_two_rows():
    twice = [ZHANG, {**ZHANG, "row": 3, "rank": "Cook"}]
    result = diff.compare("crew", twice, [ZHANG])
    assert len(result["removed"]) == 1 and result["removed"][0]["rank"] == "Cook"


def test_one_row_forms_compare_field_by_field():
    old = [{"row": 2, "deaths": False, "ill_now": False, "master_name": "LI SI"}]
    new = [{"row": 2, "deaths": False, "ill_now": True, "master_name": "LI SI"}]
    result = diff.compare("health", old, new)
    assert [c["fields"] for c in result["changed"]] == [{"ill_now": [False, True]}]


def test_departure_changes_carry_only_reasons_that_fit():
    arrival = [{**ZHANG, "list": "crew"}, {**LI, "list": "crew"}]
    # ZHANG moves to the passenger list: still aboard, no change
    departure = [{**ZHANG, "list": "passengers"}, {**TRAN, "list": "crew"}]
    found = changes.compare(arrival, departure, {
        changes.person_key(LI): ("stowaway", "wrong kind"),
        changes.person_key(TRAN): ("signed_on", "joined in Zhanjiang")})
    assert [(c.kind, c.person["family_name"], c.reason) for c in found] == [
        ("missing", "LI", None), ("added", "TRAN", "signed_on")]
    figures = changes.counts(arrival, departure, found)
    assert figures["persons_in"] == 2 and figures["persons_out"] == 2
    assert figures["signed_on"] == 1 and figures["unexplained"] == 1


def test_a_person_without_a_document_is_matched_by_name_and_birth():
    nameless = {"family_name": "Wang", "given_names": "Wei", "birth_date": "1990-01-01"}
    assert changes.person_key(nameless) == changes.person_key(
        {"family_name": "WANG ", "given_names": "WEI", "birth_date": "1990-01-01"})
