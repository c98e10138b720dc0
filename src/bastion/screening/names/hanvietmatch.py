"""Vietnamese names in Chinese characters against Latin names and against each other, by
their Sino-Vietnamese (Hán-Việt) readings (``hanviet``).

Han ↔ Latin: each character is one syllable of the Latin name, so the readings are aligned
with the Latin tokens as two Vietnamese names are (``compare.align`` in the Vietnamese
syllable system): an exact reading is the same name, a reading that differs in one valid
syllable (AN / ANH) is another name. When the Latin name carries diacritics they must agree
with the reading's (阮文雄 is Nguyễn Văn HÙNG, not HƯNG); a name typed without them says
nothing either way, as between two Latin names.
Han ↔ Han: other characters with the same Hán-Việt reading in every position (阮文英 /
阮文瑛, both Nguyễn Văn Anh) are one Vietnamese name written by two clerks — the Latin name
is what the person gives, the characters are a transcription of it.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice, product

from . import hanviet
from .compare import align
from .keys import NameKeys
from .normalize import fold

SYSTEM = "hanviet"
LABEL = "Sino-Vietnamese (Hán-Việt)"
EXACT, FUZZY_CAP = 1.0, 0.97
SAME_READING = 0.85  # Han ↔ Han, other characters, the same Hán-Việt reading throughout
_COMBOS = 16


@lru_cache(maxsize=65_536)
def _combos(chars: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(folded tokens, marked tokens) of the first readings combinations of a Han string."""
    per_char = [hanviet.readings(ch) for ch in chars]
    if not per_char or not all(per_char):
        return ()
    return tuple((tuple(fold(r) for r in combo), combo)
                 for combo in islice(product(*per_char), _COMBOS))


def has_reading(hk: NameKeys) -> bool:
    return SYSTEM in hk.romanisations


def han_latin(hk: NameKeys, lk: NameKeys, explain: bool = True
              ) -> tuple[float, list[str], bool]:
    """(score, notes, exact) of a Han name read in Hán-Việt against a Latin name."""
    if not has_reading(hk) or not lk.tokens:
        return 0.0, [], False
    best, notes, exact = 0.0, [], False
    for tokens, marks in _combos(hk.han_simplified):
        s, pairs, extra = align(tokens, lk.tokens, "vietnamese", marks, lk.marks)
        is_exact = s >= EXACT and not extra and len(tokens) == len(lk.tokens)
        s = EXACT if is_exact else s * FUZZY_CAP
        if s > best:
            best, exact = s, is_exact
            if explain:
                notes = [f"{hk.original} read in {LABEL} as {' '.join(tokens).upper()}"]
                notes += [f"{p.a.upper()} ~ {p.b.upper()}: {p.how} ({p.sim:.2f})"
                          for p in pairs if p.sim < 1] + list(extra)
        if is_exact:
            break
    return best, notes if explain else [], exact


def same_reading(a: NameKeys, b: NameKeys) -> bool:
    """Two Han names, other characters, one Hán-Việt reading in every position (阮文英 /
    阮文瑛)."""
    sa, sb = a.han_simplified, b.han_simplified
    if not sa or not sb or sa == sb or len(sa) != len(sb):
        return False
    return all({hanviet.canonical(r) for r in hanviet.readings(x)}
               & {hanviet.canonical(r) for r in hanviet.readings(y)}
               for x, y in zip(sa, sb, strict=True))


def han_han(a: NameKeys, b: NameKeys) -> tuple[float, list[str]]:
    if same_reading(a, b):
        # the shape of the pinyin homophone's note (``screening.explain`` translates it)
        note = f"same reading, different characters: {a.han_simplified} / {b.han_simplified}"
        return SAME_READING, [note]
    return 0.0, []


__all__ = ["LABEL", "SAME_READING", "han_han", "han_latin", "has_reading", "same_reading"]
