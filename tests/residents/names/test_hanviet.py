"""Hán-Việt readings and their place in the screening matcher."""

from __future__ import annotations

import pytest

from bastion.screening.names import hanviet, name_keys, name_score
from bastion.screening.names.hanvietindex import StoredKeysIndex, blocking_keys
from bastion.screening.names.score import PersonQuery, PersonRecord


@pytest.mark.parametrize(("han", "reading"), [
    ("阮文安", "Nguyễn Văn An"), ("黎氏花", "Lê Thị Hoa"), ("陈文雄", "Trần Văn Hùng"),
    ("陳文雄", "Trần Văn Hùng"), ("范氏兰", "Phạm Thị Lan"), ("李文明", "Lý Văn Minh"),
])
def test_usual_reading(han, reading):
    assert hanviet.reading(han) == reading


def test_one_syllable_several_characters_both_ways():
    assert hanviet.readings("英")[0] == hanviet.readings("瑛")[0] == "anh"
    assert "võ" in hanviet.readings("武") and "vũ" in hanviet.readings("武")
    assert "huỳnh" in hanviet.readings("黃")
    for han in ("阮文英", "阮文瑛"):
        assert name_score(han, "Nguyễn Văn Anh")[0] == 1.0
        assert name_score(han, "NGUYEN VAN ANH")[0] == 1.0
        assert name_score(han, "Nguyễn Văn An")[0] < 0.5


def test_unknown_character_has_no_reading():
    assert hanviet.readings("a") == ()
    assert hanviet.reading("阮x") == ""
    assert "hanviet" not in name_keys("𠀀𠀁").romanisations


@pytest.mark.parametrize(("a", "b", "same"), [
    ("hoà", "hòa", True), ("thuỷ", "thủy", True), ("lí", "lý", True), ("Lý", "lý", True),
    ("hùng", "hưng", False), ("hoa", "hòa", False), ("an", "anh", False), ("hai", "hay", False),
])
def test_canonical_spelling(a, b, same):
    assert (hanviet.canonical(a) == hanviet.canonical(b)) is same


def test_diacritics_decide_when_both_names_carry_them():
    assert name_score("阮文雄", "Nguyễn Văn Hùng")[0] == 1.0
    assert name_score("阮文雄", "Nguyễn Văn Hưng")[0] < 0.5
    assert name_score("阮文雄", "NGUYEN VAN HUNG")[0] == 1.0  # typed without: can't tell
    assert name_score("Lê Thị Hoà", "Lê Thị Hòa")[0] == 1.0  # old and new tone placement
    assert name_score("Lê Thị Hoa", "Lê Thị Hòa")[0] < 0.5


def test_chinese_readings_still_work():
    assert name_score("王小明", "WANG XIAOMING")[0] == 1.0
    assert name_score("王小明", "Vương Tiểu Minh")[0] == 1.0  # a Chinese name in Hán-Việt


def test_stored_keys_index_finds_across_scripts():
    index = StoredKeysIndex()
    people = {"1": ("Nguyễn Văn An", "阮文安"), "2": ("Nguyễn Văn Anh", ""),
              "3": ("Lê Thị Hoa", "黎氏花"), "4": ("Trần Văn Hùng", "")}
    for rid, (name, han) in people.items():
        record = PersonRecord(name=name, aliases=(han,) if han else (), id=rid)
        index.add_stored(record, blocking_keys(record.names))
    assert [r.id for r, _ in index.search(PersonQuery("NGUYEN VAN AN"))] == ["1"]
    assert [r.id for r, _ in index.search(PersonQuery("阮文安"))] == ["1"]
    assert [r.id for r, _ in index.search(PersonQuery("黎氏花"))] == ["3"]
    assert [r.id for r, _ in index.search(PersonQuery("Trần Văn Hưng"))] == []
    # stored keys missing: derived from the names
    index.add_stored(PersonRecord(name="阮文瑛", id="5"), [])
    assert "5" in [r.id for r, _ in index.search(PersonQuery("阮文英"))]


def test_keys_stored_before_hanviet_get_it_when_read():
    from bastion.screening.names.keys import NameKeys

    fresh = name_keys("阮文安")
    stored = fresh.to_dict()
    del stored["romanisations"]["hanviet"]
    del stored["forms"]["hanviet"]
    stored["blocking"] = [k for k in stored["blocking"] if k not in {"p:vanan", "p:nguien"}]
    upgraded = NameKeys.from_dict(stored)
    assert upgraded.romanisations["hanviet"] == fresh.romanisations["hanviet"]
    assert set(upgraded.blocking) == set(fresh.blocking)
    assert name_score(upgraded, "NGUYEN VAN AN")[0] == 1.0
