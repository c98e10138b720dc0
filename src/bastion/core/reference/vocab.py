"""A controlled vocabulary: canonical codes, their labels and every spelling accepted for them.

Import files are written by hand in two languages, so one value arrives as "passport",
"PASSPORT", "护照" or "P"; a vocabulary turns each of those into one stored code and shows the
code back in the user's language. Spellings are compared after NFC, case folding, curly
apostrophes made straight and "_"/"-" read as spaces, so the codes themselves are spellings too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from bastion.core.i18n import gettext


@dataclass(frozen=True)
class Term:
    code: str
    label: str  # English, marked with ``lazy`` where the table is written; shown with gettext
    spellings: tuple[str, ...] = ()  # accepted inputs besides the code
    aliases: tuple[str, ...] = ()  # former or other domains' codes: accepted and stored as ``code``
    attrs: Mapping[str, Any] = field(default_factory=dict)  # e.g. the MRZ letter, official codes


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("‘", "'")
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


class Vocabulary:
    """Terms by code; ``parse`` reads any accepted spelling. Two terms claiming one spelling is
    an error at import time, so a table cannot silently map a word two ways."""

    def __init__(self, name: str, terms: list[Term]) -> None:
        self.name = name
        self._terms = {t.code: t for t in terms}
        self._index: dict[str, Term] = {}
        for t in terms:
            for spelling in (t.code, *t.aliases, *t.spellings):
                key = normalise(spelling)
                other = self._index.setdefault(key, t)
                if other is not t:
                    raise ValueError(f"{name}: {spelling!r} spells both {other.code} and {t.code}")

    def __iter__(self) -> Iterator[Term]:
        return iter(self._terms.values())

    def __contains__(self, code: object) -> bool:
        return code in self._terms

    def __getitem__(self, code: str) -> Term:
        return self._terms[code]

    def codes(self) -> tuple[str, ...]:
        return tuple(self._terms)

    def parse(self, text: str | None) -> Term | None:
        """The term written as ``text`` (any accepted spelling or alias), else None."""
        return self._index.get(normalise(text)) if text else None

    def canonical(self, code: str | None) -> str | None:
        """A stored code as the canonical one (an alias such as screening's old ``seafarer``
        becomes ``seafarer_id``); unknown codes are returned as they are."""
        if code is None:
            return None
        found = self._index.get(normalise(code))
        return found.code if found else code

    def labels(self) -> dict[str, str]:
        """code -> English label, for ``core.labels.register_labels(namespace=...)``."""
        return {t.code: t.label for t in self}

    def label(self, code: str | None) -> str:
        """The code's label in the current language; an unknown code as it is."""
        if code is None:
            return ""
        found = self._terms.get(self.canonical(code) or "")
        return gettext(found.label) if found else code
