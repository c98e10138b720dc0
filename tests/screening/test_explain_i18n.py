"""Screening explanations read in zh-CN (issue 11): every line the matcher writes on the
labelled pairs has a known shape and a Chinese translation; names and dates stay as written."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from bastion.core import context
from bastion.screening.explain import translate
from bastion.screening.names import PersonQuery, PersonRecord, score
from tests.web_helpers import api_token

DATA = Path(__file__).resolve().parents[1] / "data" / "names"
# English words of the matcher's own (a name or a reading in capitals is data, not prose)
ENGLISH = re.compile(r"\b(name|read|closest|birth|date|nationality|same|different|typo|exact|"
                     r"variant|sounds|extra|characters|reading|agrees|differs|transliterated)\b")


@pytest.fixture
def zh():
    token = context.set_current(context.RequestContext(language="zh-CN"))
    yield
    context.reset(token)


def _lines() -> set[str]:
    out: set[str] = set()
    for name in ("dev-pairs.csv", "dev-typed-pairs.csv", "heldout-pairs.csv"):
        with (DATA / name).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                result = score(PersonQuery(row["query"], row["query_dob"] or None,
                                           row["query_nationality"] or None),
                               PersonRecord(row["candidate"], dob=row["candidate_dob"] or None,
                                            nationality=row["candidate_nationality"] or None,
                                            gender="female" if row["label"] == "0" else None))
                out.update(result.explanation)
    return out


def test_every_explanation_line_reads_in_chinese(zh):
    lines = _lines()
    assert len(lines) > 300
    untranslated = {line: translate(line) for line in lines
                    if translate(line) == line or ENGLISH.search(translate(line))}
    assert not untranslated


def test_names_scores_and_dates_are_kept(zh):
    assert translate("name 王晓明 ~ 王小明: 0.60") == "姓名 王晓明 ~ 王小明：0.60"
    assert translate("XIAOMNG ~ XIAOMING: typo (0.90)") == "XIAOMNG ~ XIAOMING：拼写错误（0.90）"
    assert translate("date of birth identical (1980-01-01)") == "出生日期相同（1980-01-01）"
    assert translate("HUNG ~ HUNG: different diacritics (0.35)").endswith("变音符号不同（0.35）")
    assert translate("a line of no known shape") == "a line of no known shape"


def test_english_stays_english():
    token = context.set_current(context.RequestContext(language="en"))
    try:
        assert translate("CHANG ~ ZHANG: Wade-Giles / pinyin (0.92)") == (
            "CHANG ~ ZHANG: Wade-Giles / pinyin (0.92)")
    finally:
        context.reset(token)


def test_the_api_explains_in_the_callers_language(client, world):
    sup = api_token(client, "a.super")
    wl = client.post("/api/v1/watchlists", headers=sup, json={
        "name": "Wanted", "tlp": "amber", "distribution": "all"}).json()
    entry = client.post(f"/api/v1/watchlists/{wl['id']}/entries", headers=sup, json={
        "source_id": "p1", "type": "person", "name": "王小明", "birth_date": "1980-01-01"})
    assert entry.status_code == 201, entry.text
    officer = api_token(client, "b.officer")
    body = {"people": [{"name": "王晓明", "dob": "1980-01-01"}]}
    zh_hit = client.post("/api/v1/screen", headers={**officer, "Accept-Language": "zh-CN"},
                         json=body).json()[0]["hits"][0]
    assert "读音相同，汉字不同：王晓明 / 王小明" in zh_hit["explanation"]
    en_hit = client.post("/api/v1/screen", headers={**officer, "Accept-Language": "en"},
                         json=body).json()[0]["hits"][0]
    assert en_hit["id"] == zh_hit["id"]  # the same hit, read in another language
    assert "same reading, different characters: 王晓明 / 王小明" in en_hit["explanation"]
