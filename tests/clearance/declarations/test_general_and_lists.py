"""FAL 1 general declaration and FAL 3 / 4 / 7 list rules."""

from datetime import datetime

import pytest

from bastion.clearance import DangerousGoodsItem, GeneralDeclaration

from .build import changed, check, codes, table, to_csv


def test_valid_general_declaration():
    result = check("general", to_csv(table("general")))
    assert result.problems == []
    (general,) = result.rows
    assert isinstance(general, GeneralDeclaration)
    assert (general.imo, general.crew_count, general.eta) == ("9074729", 3, datetime(2026, 3, 1, 8))


RULES = [
    ("general", "IMO number", "IMO 9074729", "907472", "BAD_IMO", "error"),
    ("general", "IMO number", "9074729", "9074728", "BAD_IMO_CHECK_DIGIT", "warning"),
    ("general", "MMSI", "412345678", "41234567", "BAD_MMSI", "error"),
    ("general", "MMSI", "412345678", "112345678", "BAD_MMSI", "error"),  # SAR aircraft, not a ship
    ("general", "MMSI", "412345678", "200123456", "UNALLOCATED_MID", "error"),
    ("general", "MMSI", "412345678", "538001234", "MMSI_FLAG_MISMATCH", "warning"),  # Marshall Is.
    ("general", "Call sign", "bqab", "BQ-AB!", "BAD_CALLSIGN", "error"),
    ("general", "Call sign", "BQAB", "12345", "BAD_CALLSIGN", "error"),
    ("general", "Flag State", "CHN", "PRC", "BAD_COUNTRY", "error"),
    ("general", "Last port of call", "HKHKG", "HK HKX", "BAD_LOCODE", "error"),
    ("general", "Arrival date and time", "2026-03-01T08:00", "2026-03-01 8am", "BAD_DATE", "error"),
    ("general", "Departure date and time", "2026-03-01 08:00", "2026-02-28 18:00",
     "DATES_OUT_OF_ORDER", "error"),
    ("general", "Number of crew", "21", "twenty", "BAD_NUMBER", "error"),
    ("general", "Name of master", "LI SI", "", "MISSING_MASTER_NAME", "error"),
    ("stores", "Quantity", "0.5", "0", "BAD_QUANTITY", "error"),
    ("stores", "Name of article", "Water", "", "MISSING_ARTICLE", "error"),
    ("effects", "Description of effects", "Camera", "", "MISSING_DESCRIPTION", "error"),
    ("dg", "UN number", "UN 1203", "UN3999", "BAD_UN_NUMBER", "error"),
    ("dg", "UN number", "1203", "12034", "BAD_UN_NUMBER", "error"),
    ("dg", "Class", "3", "10", "BAD_DG_CLASS", "error"),
    ("dg", "Class", "3", "1.4Z", "BAD_DG_CLASS", "error"),
    ("dg", "Packing group", "III", "IV", "BAD_PACKING_GROUP", "error"),
    ("dg", "Packing group", "II", "", "MISSING_PACKING_GROUP", "warning"),
]


@pytest.mark.parametrize(("form", "column", "good", "bad", "code", "severity"), RULES)
def test_rule(form, column, good, bad, code, severity):
    key = column.replace(" ", "_")
    assert check(form, changed(form, **{key: good})).problems == []
    result = check(form, changed(form, **{key: bad}))
    assert codes(result) == [(2, column, code)]
    assert result.problems[0].severity == severity
    assert bool(result.rows) == (severity == "warning")  # warnings never block the upload


def test_packing_group_on_a_gas_is_a_warning():
    result = check("dg", changed("dg", row=3, Packing_group="II"))
    assert codes(result) == [(3, "Packing group", "PACKING_GROUP_NOT_APPLICABLE")]
    assert isinstance(result.rows[1], DangerousGoodsItem)


def test_general_declaration_is_one_row():
    rows = table("general")
    result = check("general", to_csv(rows + [rows[1]]))
    assert codes(result) == [(3, None, "EXTRA_ROW")]
    assert codes(check("general", to_csv(rows[:1]))) == [(None, None, "NO_ROWS")]
