"""FAL 5 crew and FAL 6 passenger list rules: one good and one bad value per rule, with the
row, column and code the bad one must produce."""

from datetime import date

import pytest

from bastion.clearance import CrewMember, Passenger

from .build import changed, check, codes, table, to_csv

TD3_L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
TD3_L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_valid_crew_list_gives_rows():
    result = check("crew", to_csv(table("crew")))
    assert result.ok and result.problems == []
    assert [type(r) for r in result.rows] == [CrewMember] * 3
    first = result.rows[0]
    assert (first.family_name, first.rank, first.birth_date, first.sheet, first.row) == (
        "ZHANG", "Master", date(1975, 3, 2), None, 2)


def test_valid_passenger_list_gives_rows():
    result = check("passengers", to_csv(table("passengers")))
    assert result.ok
    assert [type(r) for r in result.rows] == [Passenger] * 2
    assert [r.transit for r in result.rows] == [False, True]


# (form, column, good value, bad value, expected code)
RULES = [
    ("crew", "Family name", "LI", "", "MISSING_FAMILY_NAME"),
    ("crew", "Document number", "E7654321", "", "MISSING_DOCUMENT_NUMBER"),
    ("crew", "Rank or rating", "Cook", " ", "MISSING_RANK"),
    ("crew", "Date of birth", "1975-03-02", "02/03/1975", "BAD_DATE"),
    ("crew", "Expiry date", "2033-06-30", "2033-02-30", "BAD_DATE"),
    ("crew", "Nationality", "chn", "CN", "BAD_COUNTRY"),
    ("crew", "Nationality", "XXA", "ABC", "BAD_COUNTRY"),  # ICAO stateless code is accepted
    ("crew", "Issuing state", "D", "CHINA", "BAD_COUNTRY"),  # ICAO 'D' for Germany
    ("crew", "Port of embarkation", "CN SHG", "CNXXQ", "BAD_LOCODE"),
    ("crew", "Gender", "女", "male?", "BAD_GENDER"),
    ("crew", "Document type", "护照", "driving licence", "BAD_DOCUMENT_TYPE"),
    ("crew", "No", "7", "first", "BAD_NUMBER"),
    ("passengers", "Port of disembarkation", "SGSIN", "SINGAPORE", "BAD_LOCODE"),
    ("passengers", "Port of disembarkation", "SGSIN", "", "MISSING_DISEMBARKATION_PORT"),
    ("passengers", "Transit", "是", "maybe", "BAD_BOOLEAN"),
]


@pytest.mark.parametrize(("form", "column", "good", "bad", "code"), RULES)
def test_cell_rule(form, column, good, bad, code):
    key = column.replace(" ", "_")
    assert check(form, changed(form, **{key: good})).problems == []
    result = check(form, changed(form, **{key: bad}))
    assert codes(result) == [(2, column, code)]
    assert result.rows == []  # all rows or none


def test_birth_in_the_future_is_out_of_order():
    result = check("crew", changed("crew", Date_of_birth="2027-01-01"))
    assert codes(result) == [(2, "Date of birth", "DATES_OUT_OF_ORDER")]


def test_expiry_before_birth_is_out_of_order():
    result = check("crew", changed("crew", Date_of_birth="1975-03-02", Expiry_date="1970-01-01"))
    assert (2, "Expiry date", "DATES_OUT_OF_ORDER") in codes(result)


def test_document_must_outlast_the_stay():
    data = changed("crew", Expiry_date="2026-03-02")
    assert check("crew", data, arrival=date(2026, 3, 1), departure=date(2026, 3, 2)).ok
    result = check("crew", data, arrival=date(2026, 3, 1), departure=date(2026, 3, 5))
    assert codes(result) == [(2, "Expiry date", "EXPIRED_DOCUMENT")]


def test_without_a_stay_expiry_is_checked_against_today():
    result = check("crew", changed("crew", Expiry_date="2026-01-14"))
    assert codes(result) == [(2, "Expiry date", "EXPIRED_DOCUMENT")]
    assert check("crew", changed("crew", Expiry_date="2026-01-15")).ok


def test_departure_before_arrival_is_out_of_order():
    result = check("crew", to_csv(table("crew")), arrival=date(2026, 3, 5),
                   departure=date(2026, 3, 1))
    assert codes(result) == [(None, None, "DATES_OUT_OF_ORDER")]


def test_same_document_twice_in_a_list():
    data = changed("crew", row=4, Document_number="e1234 5678", Issuing_state="CHN")
    result = check("crew", data)
    assert codes(result) == [(4, "Document number", "DUPLICATE_DOCUMENT")]
    assert "row 2" in result.errors[0].message
    # the same number from another state is another document
    assert check("crew", changed("crew", row=4, Document_number="E12345678")).ok


def _mrz_row(**cells):
    rows = table("crew")
    rows[0].append("MRZ")
    for row in rows[1:]:
        row.append("")
    values = {"Family name": "ERIKSSON", "Nationality": "UTO", "Issuing state": "UTO",
              "Document number": "L898902C3", "Date of birth": "1974-08-12",
              "Expiry date": "2012-04-15", "MRZ": f"{TD3_L1}\n{TD3_L2}"}
    values.update(cells)
    for key, value in values.items():
        rows[1][rows[0].index(key)] = value
    return to_csv(rows)


def test_mrz_specimen_passes():
    # UTO is the ICAO specimen state, not an ISO country: only the MRZ codes are asserted
    result = check("crew", _mrz_row(), today=date(2011, 1, 1))
    assert [c for c in codes(result) if "MRZ" in c[2]] == []


def test_mrz_check_digit_and_mismatch():
    bad = f"{TD3_L1}\n{TD3_L2.replace('7408122', '7408132')}"
    result = check("crew", _mrz_row(MRZ=bad), today=date(2011, 1, 1))
    found = [c for c in codes(result) if "MRZ" in c[2]]
    assert (2, "MRZ", "BAD_MRZ_CHECK_DIGIT") in found
    assert (2, "Date of birth", "MRZ_MISMATCH") in found
    result = check("crew", _mrz_row(**{"Document number": "L898902C4"}), today=date(2011, 1, 1))
    assert [c for c in codes(result) if "MRZ" in c[2]] == [(2, "Document number", "MRZ_MISMATCH")]


def test_mrz_of_the_wrong_shape():
    result = check("crew", _mrz_row(MRZ="P<UTOERIKSSON"), today=date(2011, 1, 1))
    assert (2, "MRZ", "BAD_MRZ") in codes(result)
