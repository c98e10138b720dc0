"""The floor's reference vocabularies on real identifiers and on every spelling the clearance
and screening importers accepted before they shared one table."""

from __future__ import annotations

import csv
from importlib import resources

import pytest
from stdnum import imo as stdnum_imo

from bastion.core import context
from bastion.core.reference import countries, people, ships
from bastion.core.reference.vocab import Term, Vocabulary


@pytest.fixture
def english():
    token = context.set_current(context.RequestContext(language="en"))
    yield
    context.reset(token)


def _reefers() -> list[dict[str, str]]:
    # GFW treniformis REEFERS.csv (Apache-2.0): 685 real refrigerated cargo carriers
    text = resources.files("bastion.maritime.data").joinpath("reefers.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


# --- IMO ---------------------------------------------------------------------------------------

def test_imo_known_number():
    assert ships.imo_valid(9074729) and ships.imo_valid("9074729")
    assert ships.imo_check_digit(907472) == 9
    assert ships.imo_number(907472) == 9074729
    assert not ships.imo_valid(9074728)
    assert not ships.imo_valid(907472) and not ships.imo_valid("907472a")


def test_imo_agrees_with_python_stdnum_on_real_ships():
    numbers = [row["imo"] for row in _reefers() if row["imo"]]
    assert len(numbers) == 654
    for number in numbers:
        assert ships.imo_valid(number) == stdnum_imo.is_valid(number), number
    # two of GFW's entries are not IMO numbers: a six-digit one and a mistyped one
    assert [n for n in numbers if not ships.imo_valid(n)] == ["880236", "9240281"]


@pytest.mark.parametrize(("text", "digits"), [
    ("9074729", "9074729"), ("IMO 9074729", "9074729"), ("imo:9074729", "9074729"),
    (" IMO-907 4729 ", "9074729"), ("907472", None), ("IMO 90747290", None), ("9O74729", None),
])
def test_imo_digits(text, digits):
    assert ships.imo_digits(text) == digits


# --- MMSI and MID --------------------------------------------------------------------------------

@pytest.mark.parametrize(("mmsi", "flag"), [
    (412440101, "CN"), (477123400, "HK"), (636019200, "LR"), (574001200, "VN"),
    (538007215, "MH"), (351234500, "PA"), (212856000, "CY"), (273148810, "RU"),
    (992351001, "GB"),  # 99MID: an aid to navigation of the United Kingdom
    (111100000, None), (970012345, None), (100000000, None),
])
def test_mmsi_flag(mmsi, flag):
    assert ships.mmsi_flag(mmsi) == flag


def test_mmsi_problems_of_real_and_impossible_numbers():
    assert ships.mmsi_problem(412440101) is None
    assert ships.mmsi_problem(970012345) is None  # an AIS-SART
    assert "SAR aircraft" in ships.mmsi_problem(111100000)
    assert "coast station" in ships.mmsi_problem(2_440_000)
    assert ships.mmsi_problem(799_000_000) == "MID 799 is not allocated (ITU-R M.585)"
    assert ships.mmsi_problem(1_000_000_000) == "MMSI out of range"
    # 98MID...: a craft associated with a parent ship (a tender, a lifeboat) is a mobile
    # station of its own (ITU-R M.585, annex 2); 99MID... is an aid to navigation.
    assert ships.mmsi_problem(984_123_456) is None
    assert ships.mmsi_problem(987_991_234) == \
        "MID 799 is not allocated (ITU-R M.585)"
    assert "aid to navigation" in ships.mmsi_problem(992_351_001)
    assert ships.mmsi_problem(950_000_001) == "MMSI with leading 9 is not allocated to ships"


def test_the_ais_imo_field_as_itu_r_m1371_reads_it():
    """Table 50: 0 not available, 1-999,999 not used, seven digits an IMO number with its check
    digit, 10,000,000 and above an official flag state number (no check digit)."""
    assert ships.ais_imo_problem(0) is None
    assert ships.ais_imo_problem(9_074_729) is None
    assert ships.ais_imo_problem(9_074_728) == "IMO 9074728 fails its check digit"
    assert ships.ais_imo_problem(111) == "IMO field 111 is in a range not used (ITU-R M.1371)"
    assert ships.ais_imo_problem(120_831_400) is None  # a flag state's official number


def test_mid_table_is_the_itu_list():
    table = ships.mid_table()
    assert len(table) == 292
    assert table[412] == ("CN", "China (People's Republic of)")
    assert table[574] == ("VN", "Viet Nam (Socialist Republic of)")


# --- countries -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "any_form", "three_letter"), [
    ("CHN", "CHN", "CHN"), ("chn", "CHN", "CHN"), ("CN", "CHN", None), ("vn", "VNM", None),
    ("D", "DEU", "DEU"), ("XXA", "XXA", "XXA"), ("UNO", "UNO", "UNO"), ("GBN", "GBN", "GBN"),
    ("RKS", "RKS", "RKS"), ("XKX", "XKX", "XKX"), ("XK", "XKX", None),
    ("SUHH", "SUN", None), ("ZZZ", None, None), ("", None, None),
])
def test_country_codes(text, any_form, three_letter):
    assert countries.country(text) == any_form
    assert countries.country(text, alpha2=False) == three_letter


def test_alpha2():
    assert countries.alpha2("VNM") == "VN" and countries.alpha2("XXA") is None


def test_country_names_in_both_languages(english):
    assert countries.country_name("VNM") == "Vietnam"
    assert countries.country_name("XXA") == "Stateless person"
    token = context.set_current(context.RequestContext(language="zh-CN"))
    try:
        assert countries.country_name("VNM") == "越南"
        assert countries.country_name("HKG") == "中国香港"
        assert countries.country_name("XXA") == "无国籍人"
    finally:
        context.reset(token)


# --- gender -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "code", "mrz"), [
    ("M", "male", "M"), ("male", "male", "M"), ("MALE", "male", "M"), ("男", "male", "M"),
    ("男性", "male", "M"), ("f", "female", "F"), ("Female", "female", "F"), ("女", "female", "F"),
    ("女性", "female", "F"), ("X", "unspecified", "X"), ("<", "unspecified", "X"),
    ("?", None, None), ("", None, None),
])
def test_gender_spellings(text, code, mrz):
    found = people.GENDERS.parse(text)
    assert (found.code if found else None) == code
    assert people.gender_mrz(text) == mrz


def test_gender_labels(english):
    assert people.GENDERS.label("female") == "Female"
    assert people.GENDERS.label("nonsense") == "nonsense"


# --- document types ----------------------------------------------------------------------------------

# Every spelling clearance (FAL 5/6) accepted before the shared table, with what it stored.
CLEARANCE_BEFORE = {
    "passport": ("P", "PASSPORT", "护照"),
    "seafarer_id": ("S", "SID", "SEAFARER'S IDENTITY DOCUMENT", "SEAFARERS IDENTITY DOCUMENT",
                    "SEAFARER ID", "海员证", "海员身份证件"),
    "seamans_book": ("B", "SEAMAN'S BOOK", "SEAMANS BOOK", "SEAMAN BOOK", "海员手册"),
    "identity_card": ("I", "ID", "ID CARD", "IDENTITY CARD", "身份证"),
    "travel_permit": ("C", "TRAVEL PERMIT", "通行证", "往来港澳通行证", "台湾居民来往大陆通行证"),
    "other": ("O", "OTHER", "其他"),
}
# ...and every spelling screening accepted, with the code it stored then and stores now.
SCREENING_BEFORE = {
    "passport": ("passport", "passport"), "护照": ("passport", "passport"),
    "id": ("id", "identity_card"), "id card": ("id", "identity_card"),
    "identity card": ("id", "identity_card"), "身份证": ("id", "identity_card"),
    "visa": ("visa", "visa"), "签证": ("visa", "visa"),
    "residence permit": ("residence_permit", "residence_permit"),
    "居留许可": ("residence_permit", "residence_permit"),
    "seafarer": ("seafarer", "seafarer_id"), "海员证": ("seafarer", "seafarer_id"),
    "seaman's book": ("seafarer", "seamans_book"),
    "border pass": ("border_pass", "border_area_pass"),
    "边境通行证": ("border_pass", "border_area_pass"),
    "other": ("other", "other"), "其他": ("other", "other"),
}


@pytest.mark.parametrize(("code", "spelling"),
                         [(c, s) for c, spellings in CLEARANCE_BEFORE.items() for s in spellings])
def test_every_clearance_spelling_still_accepted(code, spelling):
    assert people.document_type(spelling, people.CLEARANCE_DOCUMENTS) == code
    assert people.document_type(spelling.lower()) == code


@pytest.mark.parametrize(("spelling", "codes"), SCREENING_BEFORE.items())
def test_every_screening_spelling_still_accepted(spelling, codes):
    before, now = codes
    assert people.document_type(spelling) == now
    # rows stored before read as a known code (a stored "seafarer" cannot say it was a book)
    assert people.DOCUMENT_TYPES.canonical(before) == ("seafarer_id" if before == "seafarer"
                                                       else now)


def test_china_vietnam_border_documents():
    for text in ("中越边境地区出入境通行证", "743", "744", "740"):
        assert people.document_type(text) == "cn_vn_border_pass"
    for text in ("边境管理区通行证", "711", "border_pass"):
        assert people.document_type(text) == "border_area_pass"
    # not documents a FAL crew or passenger list names
    assert people.document_type("743", people.CLEARANCE_DOCUMENTS) is None
    assert people.document_type("visa", people.CLEARANCE_DOCUMENTS) is None


def test_codes_and_curly_apostrophes_are_spellings():
    assert people.document_type("seafarer_id") == "seafarer_id"
    assert people.document_type("Seaman’s  Book") == "seamans_book"


def test_document_labels(english):
    assert people.DOCUMENT_TYPES.label("seafarer") == "Seafarer's identity document"
    assert set(people.DOCUMENT_TYPES.labels()) == set(people.DOCUMENT_TYPES.codes())


def test_a_spelling_claimed_twice_is_refused():
    with pytest.raises(ValueError, match="'ID' spells both"):
        Vocabulary("broken", [Term("a", "A", ("id",)), Term("b", "B", ("ID",))])
