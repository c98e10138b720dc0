"""The spreadsheet template: its headings in English and Chinese, and the downloadable file.

Headings are matched loosely (case, spaces, '_'/'-', full-width forms and any parenthesised
hint are ignored) because people retype them; a heading that matches nothing is an error
rather than silently dropped data. The CSV template is written with a UTF-8 BOM so Excel on
Chinese Windows opens it as UTF-8 instead of GB18030.
"""

from __future__ import annotations

from bastion.core.tabular import normalise

# key, English heading, Chinese heading, example, meaning (for the xlsx instructions sheet)
COLUMNS: list[tuple[str, str, str, str]] = [
    ("source_id", "Source ID", "来源编号", "BST-2024-0001"),
    ("type", "Type (person|vessel)", "类型（person|vessel）", "person"),
    ("name", "Name", "名称", "张伟"),
    ("aliases", "Aliases (separated by ;)", "别名（以 ; 分隔）", "Zhang Wei; Cheung Wai"),
    ("birth_date", "Date of birth", "出生日期", "1975-04-03 / 1975-04 / 1975"),
    ("gender", "Gender", "性别", "male / female"),
    ("nationality", "Nationality (ISO alpha-3, ; separated)", "国籍（ISO 三字母代码，以 ; 分隔）",
     "CHN; VNM"),
    ("document_type", "Document type", "证件类型", "passport"),
    ("document_number", "Document number", "证件号码", "E12345678"),
    ("issuing_state", "Issuing state", "签发国", "CHN"),
    ("imo", "IMO", "IMO 编号", "9074729"),
    ("mmsi", "MMSI", "MMSI", "412345678"),
    ("callsign", "Call sign", "呼号", "BXYZ"),
    ("flag", "Flag", "船旗国", "PAN"),
    ("reason", "Reason", "列入原因", "Smuggling case 2024-17"),
    ("valid_from", "Valid from", "有效期起", "2024-01-01"),
    ("valid_until", "Valid until", "有效期止", "2026-12-31"),
]
REQUIRED = ("source_id", "type", "name")
LANGUAGES = ("en", "zh-CN")

# Spellings people use besides the template's own.
_EXTRA = {"source_id": ["id", "编号", "源编号"], "name": ["姓名", "名字", "船名"],
          "aliases": ["alias", "别名"], "birth_date": ["dob", "birth date", "birthdate"],
          "nationality": ["nationalities", "citizenship"], "document_number": ["passport number"],
          "issuing_state": ["issuing country", "签发国家"], "imo": ["imo number", "imo号"],
          "callsign": ["call sign", "callsign"], "valid_until": ["valid to"],
          "type": ["schema", "类型"]}


normalize = normalise  # the floor's loose heading match (case, spaces, full-width, hints)


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for key, en, zh, _example in COLUMNS:
        for spelling in [en, zh, key, *_EXTRA.get(key, [])]:
            lookup[normalize(spelling)] = key
    return lookup


LOOKUP = _build_lookup()


def key_for(heading: str) -> str | None:
    return LOOKUP.get(normalize(heading))


def headings(language: str = "en") -> list[str]:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    return [en if language == "en" else zh for _key, en, zh, _ex in COLUMNS]
