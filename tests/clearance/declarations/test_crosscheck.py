"""Checks across FAL 1, the crew list and the passenger list of one port call."""

from bastion.clearance import cross_check

from .build import changed, check, table, to_csv


def _lists(general=None, crew=None, passengers=None):
    g = check("general", general or to_csv(table("general"))).rows[0]
    c = check("crew", crew or to_csv(table("crew"))).rows
    p = check("passengers", passengers or to_csv(table("passengers"))).rows
    return g, c, p


def test_consistent_declarations():
    assert cross_check(*_lists()) == []


def test_same_document_on_crew_and_passenger_lists():
    general, crew, passengers = _lists(
        passengers=changed("passengers", row=3, Document_number="B7654321", Issuing_state="VNM"))
    problems = cross_check(general, crew, passengers)
    assert [(p.row, p.column, p.code) for p in problems] == [
        (3, "Document number", "DOCUMENT_IN_CREW_AND_PASSENGERS")]
    assert "row 3" in problems[0].message  # the crew row


def test_counts_must_match_fal1():
    general, crew, passengers = _lists(
        general=changed("general", Number_of_crew="21", Number_of_passengers="2"))
    problems = cross_check(general, crew, passengers)
    assert [(p.row, p.column, p.code) for p in problems] == [
        (2, "Number of crew", "CREW_COUNT_MISMATCH")]
    assert [p.code for p in cross_check(general, crew, passengers[:1])] == [
        "CREW_COUNT_MISMATCH", "PASSENGER_COUNT_MISMATCH"]


def test_documents_must_outlast_fal1_departure():
    general, crew, passengers = _lists(
        general=changed("general", Departure_date_and_time="2030-06-01 12:00"))
    problems = cross_check(general, crew, passengers)
    # crew row 4 expires 2029-12-31, crew row 3 on 2030-01-31
    assert [(p.row, p.code) for p in problems] == [(3, "EXPIRED_DOCUMENT"), (4, "EXPIRED_DOCUMENT")]


def test_lists_without_a_general_declaration():
    _, crew, passengers = _lists()
    assert cross_check(None, crew, passengers) == []
