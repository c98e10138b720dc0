"""FollowTheMoney JSON lines: the yente fixtures and a Bastion sample with CJK names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bastion.screening.importers import Document, PersonEntry, VesselEntry, read_watchlist

DATA = Path(__file__).resolve().parents[2] / "data" / "watchlist"


def by_id(result):
    return {e.source_id: e for e in result.entries}


def test_zala_fixture_persons_counts_and_cyrillic_names_intact():
    result = read_watchlist(DATA / "yente-zala-entities.ftm.json")
    assert result.ok and result.format == "ftm"
    assert len(result.persons) == 6 and result.vessels == []
    assert result.skipped["Company: schema not imported"] == 11
    assert result.skipped["Ownership: schema not imported"] == 14
    assert result.skipped["Passport: no document number"] == 1  # holder present, number absent
    # 41 sanctions: those about the 6 persons give reasons, the rest are counted
    assert result.skipped["Sanction: not about an imported entry"] == 28
    person = by_id(result)["NK-mCEmxFfuhfdjpC8gsxH74o"]
    assert person.names[0] == "Абашкін Костянтин Ігорьович"  # the caption comes first
    assert "Абашкин Константин Игоревич" in person.names
    assert person.birth_date == "1986-06-24" and person.nationalities == ["RUS"]
    zakharov = by_id(result)["NK-aU5ybkbRFJucf8YMwsJvDw"]
    assert "2025/389 (OJ L24022025)" in zakharov.reason.split("\n")
    assert zakharov.valid_from is None  # a foreign sanction's dates are not our validity


def test_country_is_not_nationality():
    person = by_id(read_watchlist(DATA / "yente-zala-entities.ftm.json"))[
        "NK-DQ98GPMgdVH8DSZd8g9Xtc"]
    assert person.nationalities == ["RUS"]
    assert person.countries == ["GBR", "RUS"]  # lives in London: associated, not a citizen


def test_t1_fixture():
    result = read_watchlist(DATA / "yente-t1-entities.ftm.json")
    assert result.ok and len(result.persons) == 4
    assert result.skipped == {"Organization: schema not imported": 2,
                              "Address: schema not imported": 1}
    assert {p.gender for p in result.persons} <= {"male", "female"}
    assert all("sanction" in p.topics for p in result.persons)


def test_delta_files_add_and_delete():
    added = read_watchlist(DATA / "yente-t2-3iv-entities.delta.json")
    assert [p.source_id for p in added.persons] == ["Q4365364"]
    assert "Владимир Николаевич ПЛОТНИКОВ" in added.persons[0].names
    deleted = read_watchlist(DATA / "yente-t2-npf-entities.delta.json")
    assert deleted.ok and deleted.entries == [] and deleted.deleted == ["NK-500Poltergeist"]


def test_sample_cjk_names_passports_and_vessel():
    result = read_watchlist(DATA / "bastion-ftm-sample.jsonl")
    assert result.ok, result.errors
    people = by_id(result)
    zhang: PersonEntry = people["bst-person-zhang"]
    assert zhang.names == ["张伟", "Zhang Wei"] and zhang.aliases == ["張偉", "Cheung Wai"]
    assert "Wei" not in zhang.aliases  # weakAlias is not imported
    assert zhang.birth_date == "1975"  # year-only precision kept
    assert zhang.documents == [Document("E12345678", "passport", "CHN")]
    yamada = people["bst-person-yamada"]
    assert yamada.names[0] == "山田 太郎" and yamada.birth_date == "1980-05"
    # passportNumber on the person and the Passport entity are one document, with its country
    assert yamada.documents == [Document("TK1234567", "passport", "JPN")]
    vessel: VesselEntry = people["bst-vessel-haixing"]
    assert (vessel.imo, vessel.mmsi, vessel.callsign, vessel.flag) == (
        9876543, 412345678, "BXYZ9", "PAN")
    assert vessel.aliases == ["海星88", "OCEAN STAR"]
    assert vessel.reason == "Ship-to-ship transfer of embargoed fuel"
    assert result.skipped["Identification: holder not an imported person"] == 1


def write_lines(tmp_path, entities, name="list.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(e if isinstance(e, str) else json.dumps(e, ensure_ascii=False)
                              for e in entities) + "\n", encoding="utf-8")
    return path


def person(id_="p1", **props):
    return {"id": id_, "schema": "Person", "properties": {"name": ["李明"], **props}}


def vessel(id_="v1", **props):
    return {"id": id_, "schema": "Vessel", "properties": {"name": ["MING YANG"], **props}}


@pytest.mark.parametrize(("entity", "code", "column"), [
    (person(birthDate=["1975-13"]), "BAD_DATE", "birthDate"),
    (person(nationality=["China"]), "BAD_COUNTRY", "nationality"),
    (person(gender=["x"]), "BAD_GENDER", "gender"),
    ({"id": "p1", "schema": "Person", "properties": {"alias": ["x"]}}, "MISSING_NAME", "name"),
    (vessel(imoNumber=["9876542"]), "BAD_IMO_CHECK_DIGIT", "imoNumber"),
    (vessel(imoNumber=["98765"]), "BAD_IMO", "imoNumber"),
    (vessel(mmsi=["41234567"]), "BAD_MMSI", "mmsi"),
    ({"id": "x", "schema": "Persn", "properties": {}}, "UNKNOWN_SCHEMA", "schema"),
    ({"schema": "Person", "properties": {"name": ["a"]}}, "MISSING_SOURCE_ID", "id"),
    ('{"id": "p9", "schema": "Person", ', "BAD_JSON", None),
])
def test_each_error_has_its_line_and_property(tmp_path, entity, code, column):
    path = write_lines(tmp_path, [person("ok-1"), entity, person("ok-2")])
    result = read_watchlist(path)
    assert [(e.code, e.row, e.column, e.file) for e in result.errors] == [
        (code, 2, column, "list.jsonl")]
    assert result.entries == []  # atomic: two good persons are not returned either


def test_duplicate_id_names_the_first_line(tmp_path):
    result = read_watchlist(write_lines(tmp_path, [person("p1"), vessel("v1"), person("p1")]))
    [error] = result.errors
    assert (error.code, error.row, error.column) == ("DUPLICATE_SOURCE_ID", 3, "id")
    assert "line 1" in error.message


def test_region_codes_without_iso_alpha3_are_counted_not_fatal(tmp_path):
    result = read_watchlist(write_lines(tmp_path, [person(nationality=["ua-dpr", "ua", "suhh"])]))
    assert result.ok
    assert result.persons[0].nationalities == ["UKR", "SUN"]
    assert result.skipped == {"country code without ISO 3166 alpha-3: ua-dpr": 1}


def test_pretty_printed_json_document_is_one_error(tmp_path):
    # the shape of yente's dataset index (t1/delta.json): one object over several lines
    path = tmp_path / "delta.json"
    path.write_text(json.dumps({"versions": {"a": "https://example.org/x"}}, indent=2))
    result = read_watchlist(path)
    assert [(e.code, e.row) for e in result.errors] == [("BAD_JSON", 1)]


def test_file_of_only_unimported_schemata_is_an_error_not_an_empty_list(tmp_path):
    company = {"id": "c1", "schema": "Company", "properties": {"name": ["海星航运"]}}
    result = read_watchlist(write_lines(tmp_path, [company]))
    assert [e.code for e in result.errors] == ["NO_ENTRIES"]
    assert result.skipped == {"Company: schema not imported": 1}


def test_too_many_errors_stops_with_a_final_error(tmp_path):
    result = read_watchlist(write_lines(tmp_path, ["not json"] * 1500))
    assert len(result.errors) == 1001
    assert result.errors[-1].code == "TOO_MANY_ERRORS"


def test_messages_follow_the_users_language(tmp_path):
    from bastion.core import context

    token = context.set_current(context.RequestContext(language="zh-CN"))
    try:
        result = read_watchlist(write_lines(tmp_path, [person("p1"), person("p1")]))
    finally:
        context.reset(token)
    assert "第 1 行" in result.errors[0].message
