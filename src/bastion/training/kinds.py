"""The kinds of training event and of skills certificate, kept as data (``data/kinds.json``):
a new kind of drill or meeting is a line in the file, not a code change. Names are given in
English and Chinese in the file and shown in the reader's language."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from bastion.core import context
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy

DATA = Path(__file__).resolve().parent / "data" / "kinds.json"
CATEGORIES = ("skills", "drill", "meeting", "study")
CATEGORY_LABELS = {"skills": lazy("Skills training"), "drill": lazy("Drills"),
                   "meeting": lazy("Meetings"), "study": lazy("Study days")}


@dataclass(frozen=True)
class Kind:
    code: str
    category: str
    en: str
    zh: str
    exercise: bool  # may be run in exercise mode

    def label(self, language: str | None = None) -> str:
        language = language or context.current().language
        return self.en if language == "en" else self.zh


@functools.cache
def _doc() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@functools.cache
def kinds() -> dict[str, Kind]:
    found = {}
    for code, row in _doc()["kinds"].items():
        if row["category"] not in CATEGORIES:
            raise ValueError(f"{DATA}: kind {code} has an unknown category {row['category']}")
        found[code] = Kind(code, row["category"], row["en"], row["zh"], bool(row["exercise"]))
    return found


@functools.cache
def skills() -> dict[str, dict[str, str]]:
    return dict(_doc()["skills"])


def kind(code: str) -> Kind:
    found = kinds().get(code)
    if found is None:
        raise Invalid(_("Unknown kind of event: %(kind)s.") % {"kind": code}, field="kind")
    return found


def of_category(category: str) -> list[Kind]:
    return [k for k in kinds().values() if k.category == category]


def kind_label(code: str) -> str:
    found = kinds().get(code)
    return found.label() if found else code


def skill_label(code: str) -> str:
    row = skills().get(code)
    if row is None:
        return code
    return row["en"] if context.current().language == "en" else row["zh"]


def category_label(category: str) -> str:
    return _(str(CATEGORY_LABELS.get(category, category)))
