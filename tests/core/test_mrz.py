"""ICAO 9303 check digits against the specimens printed in Doc 9303 parts 4 and 5."""

from bastion.core.reference import mrz

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<\n"
       "7408122F1204159UTO<<<<<<<<<<<6\n"
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")


def test_check_digit_of_specimen_fields():
    assert mrz.check_digit("L898902C3") == "6"
    assert mrz.check_digit("740812") == "2"
    assert mrz.check_digit("120415") == "9"
    assert mrz.check_digit("ZE184226B<<<<<") == "1"


def test_td3_specimen_passes_every_check():
    parsed = mrz.parse(TD3)
    assert parsed is not None and parsed.layout == "TD3"
    assert parsed.failed == []
    assert (parsed.document_number, parsed.birth_date, parsed.expiry_date) == (
        "L898902C3", "740812", "120415")


def test_td3_in_one_cell_without_newline():
    assert mrz.parse(TD3.replace("\n", "")).failed == []


def test_td3_mistyped_number_fails_number_and_composite():
    bad = TD3.replace("L898902C36", "L898903C36")
    assert mrz.parse(bad).failed == ["document_number", "composite"]


def test_td1_specimen_passes_every_check():
    parsed = mrz.parse(TD1)
    assert parsed is not None and parsed.layout == "TD1"
    assert parsed.failed == []
    assert parsed.document_number == "D23145890"


def test_td1_wrong_composite_digit():
    assert mrz.parse(TD1.replace("<<<<<<<<<<<6", "<<<<<<<<<<<7")).failed == ["composite"]


def test_not_an_mrz():
    assert mrz.parse("hello") is None
    assert mrz.parse("P<UTO" + "<" * 39) is None
