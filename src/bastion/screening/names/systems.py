"""Which syllabic system a whole name is written in (Vietnamese, or Chinese in one of the
romanisations), for comparing two names in the system both are written in.

Apart from ``syllables`` because it needs the name keys (``keys``), which themselves need the
syllable tables: here both are below it, with no ring between them.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

from .keys import name_keys
from .normalize import phon
from .syllables import VIETNAMESE_SURNAMES, chinese_syllable_count, is_vietnamese_syllable


@lru_cache(maxsize=1)
def chinese_surname_spellings() -> frozenset[str]:
    """Phonetic forms of the common Chinese surnames in every supported romanisation."""
    from .han import COMMON_SURNAMES, COMPOUND_SURNAMES

    out: set[str] = set()
    for sur in COMMON_SURNAMES | COMPOUND_SURNAMES:
        for system, system_slots in name_keys(sur + "一").romanisations.items():
            if system == "hanviet":  # Vietnamese readings are no Chinese spelling
                continue
            for combo in product(*system_slots[0]):
                out.add(phon("".join(combo)))
    return frozenset(out)


@lru_cache(maxsize=200_000)
def syllabic_system(tokens: tuple[str, ...]) -> str:
    """'vietnamese' or 'chinese' when every token is a syllable (sequence) of that system."""
    if len(tokens) < 2:
        return ""
    ends = {tokens[0], tokens[-1], tokens[0] + tokens[1], tokens[-2] + tokens[-1]}
    if ends & VIETNAMESE_SURNAMES and all(is_vietnamese_syllable(t) for t in tokens):
        return "vietnamese"
    if {phon(e) for e in ends} & chinese_surname_spellings() and all(
        chinese_syllable_count(t) for t in tokens
    ):
        return "chinese"
    return ""
