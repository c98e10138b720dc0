"""Screening explanations in the reader's language.

The name matcher (``screening.names``) is a pure library and explains in English, and hits
keep that English text as evidence. It is translated when shown: each line the matcher writes
has one of the shapes below; the shape is the message id, the names, dates and scores in it
are kept as written. Hits stored before this existed read the same way. A line of no known
shape is shown as stored.
"""

from __future__ import annotations

import re

from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy

# How two name parts compare (``names.compare.token_sim`` and friends).
HOW = {
    "exact": lazy("exact"),
    "spelling variant": lazy("spelling variant"),
    "initial": lazy("initial"),
    "different initial": lazy("different initial"),
    "different chinese syllables": lazy("different Chinese syllables"),
    "different vietnamese syllables": lazy("different Vietnamese syllables"),
    "male/female forms": lazy("male/female forms"),
    "vowel variant": lazy("vowel variant"),
    "different known names": lazy("different known names"),
    "sounds alike": lazy("sounds alike"),
    "Wade-Giles / pinyin": lazy("Wade-Giles / pinyin"),
    "typo": lazy("typo"),
    "typos": lazy("typos"),
    "different": lazy("different"),
    "different diacritics": lazy("different diacritics"),
}
SYSTEM = {
    "Mandarin pinyin": lazy("Mandarin pinyin"),
    "Wade-Giles (Taiwan)": lazy("Wade-Giles (Taiwan)"),
    "Sino-Vietnamese (Hán-Việt)": lazy("Sino-Vietnamese (Hán-Việt)"),
    "Cantonese (HK/Macau government romanisation)":
        lazy("Cantonese (HK/Macau government romanisation)"),
}
SCRIPT = {
    "cyrillic": lazy("Cyrillic"), "arabic": lazy("Arabic"), "hangul": lazy("Hangul"),
    "greek": lazy("Greek"), "hiragana": lazy("Hiragana"), "katakana": lazy("Katakana"),
    "thai": lazy("Thai"), "hebrew": lazy("Hebrew"), "devanagari": lazy("Devanagari"),
    "armenian": lazy("Armenian"), "georgian": lazy("Georgian"), "myanmar": lazy("Myanmar"),
    "khmer": lazy("Khmer"), "lao": lazy("Lao"), "bengali": lazy("Bengali"),
}
_TERMS = {"how": HOW, "system": SYSTEM, "script": SCRIPT}

# (shape, message id); named groups are the message's parameters.
_SHAPES: list[tuple[re.Pattern[str], str]] = [(re.compile(p), m) for p, m in (
    (r"^name (?P<query>.+) ~ (?P<candidate>.+): (?P<score>[\d.]+)$",
     lazy("name {query} ~ {candidate}: {score}")),
    (r"^(?P<name>.+) transliterated from (?P<script>\w+)$",
     lazy("{name} transliterated from {script}")),
    (r"^(?P<name>.+) read in (?P<system>.+?) as (?P<reading>[A-Z ]+); closest to (?P<other>.+)$",
     lazy("{name} read in {system} as {reading}; closest to {other}")),
    (r"^(?P<name>.+) read in (?P<system>.+?) as (?P<reading>[A-Z ]+)$",
     lazy("{name} read in {system} as {reading}")),
    (r"^(?P<a>.+) ~ (?P<b>.+): (?P<how>[^()]+) \((?P<score>[\d.]+)\)$",
     lazy("{a} ~ {b}: {how} ({score})")),
    (r"^(?P<n>\d+) extra name part\(s\)$", lazy("{n} extra name part(s)")),
    (r"^same reading, different characters: (?P<a>\S+) / (?P<b>\S+)$",
     lazy("same reading, different characters: {a} / {b}")),
    (r"^same surname (?P<surname>\S+), different given name (?P<a>\S*) / (?P<b>\S*)$",
     lazy("same surname {surname}, different given name {a} / {b}")),
    (r"^same given name (?P<given>\S+), different surname (?P<a>\S+) / (?P<b>\S+)$",
     lazy("same given name {given}, different surname {a} / {b}")),
    (r"^date of birth conflicts \((?P<a>.+) / (?P<b>.+)\)$",
     lazy("date of birth conflicts ({a} / {b})")),
    (r"^birth year agrees \((?P<year>\d+)\)$", lazy("birth year agrees ({year})")),
    (r"^date of birth identical \((?P<date>.+)\)$", lazy("date of birth identical ({date})")),
    (r"^same birth year, day/month differ \((?P<a>.+) / (?P<b>.+)\)$",
     lazy("same birth year, day/month differ ({a} / {b})")),
    (r"^nationality agrees \((?P<country>\w+)\)$", lazy("nationality agrees ({country})")),
    (r"^related nationalities \((?P<a>\w+) / (?P<b>\w+)\)$",
     lazy("related nationalities ({a} / {b})")),
    (r"^nationality differs \((?P<a>\w+) / (?P<b>\w+)\)$",
     lazy("nationality differs ({a} / {b})")),
    (r"^gender differs \((?P<a>\w+) / (?P<b>\w+)\)$", lazy("gender differs ({a} / {b})")),
    (r"^document number identical \((?P<number>\w+)\): decisive$",
     lazy("document number identical ({number}): decisive")),
)]
_FIXED = {m: m for m in (
    lazy("empty name"), lazy("nothing in common"), lazy("both names have unmatched parts"),
    lazy("no exact reading"), lazy("same characters"),
    lazy("same characters (traditional/simplified folded)"), lazy("different characters"),
    lazy("same reading and the same date of birth: another input-method candidate"),
)}


def translate(line: str) -> str:
    """One explanation line in the current language (unchanged if of no known shape)."""
    if line in _FIXED:
        return _(line)
    for shape, message in _SHAPES:
        found = shape.match(line)
        if found:
            params = {k: _(_TERMS[k][v]) if k in _TERMS and v in _TERMS[k] else v
                      for k, v in found.groupdict().items()}
            return _(message).format(**params)
    return line


def translated(lines: list[str] | tuple[str, ...]) -> list[str]:
    return [translate(line) for line in lines]
