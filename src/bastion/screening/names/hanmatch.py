"""Han names against Latin names (via every romanisation system) and against Han names.

Han ↔ Latin: the Latin name, spaces and hyphens removed, must read as the surname's
syllables followed by the given name's (or the given name first, Western order) in one
system.  Exact readings score by system; otherwise the closest readings are aligned with the
Latin token rules, which tolerates typos but not a different syllable.
Han ↔ Han: characters decide (after traditional → simplified); a homophone written with
other characters (王小明 / 王晓明) is not the same name on its own, since the characters are
what the document shows — but it is what an officer's pinyin input method gives when the
wrong candidate is picked, so with an identical date of birth it is a match (see
``score.HOMOPHONE_SAME_DOB``).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice, product

from rapidfuzz import fuzz

from . import hanvietmatch
from .compare import Pair, align, align_bound
from .han import char_pinyin
from .keys import NameKeys, Slots
from .normalize import phon

SYSTEM_SCORE = {"pinyin": 1.0, "wade_giles": 0.97, "cantonese": 0.97}
SYSTEM_LABEL = {"pinyin": "Mandarin pinyin", "wade_giles": "Wade-Giles (Taiwan)",
                "cantonese": "Cantonese (HK/Macau government romanisation)"}
FUZZY_CAP = 0.97


def _match_slots(text: str, slots: list[tuple[str, ...]]) -> list[str] | None:
    """Split ``text`` into one spelling per slot, in order (depth-first, memoised)."""
    memo: dict[tuple[int, int], list[str] | None] = {}

    def go(i: int, pos: int) -> list[str] | None:
        if i == len(slots):
            return [] if pos == len(text) else None
        key = (i, pos)
        if key in memo:
            return memo[key]
        found = None
        for alt in slots[i]:
            p = phon(alt)
            starts = [p]
            # phon() merges doubled letters, so WAI YEE (vaiie → vaie) drops a boundary letter
            if pos and p and text[pos - 1] == p[0]:
                starts.append(p[1:])
            for s in starts:
                if text.startswith(s, pos):
                    rest = go(i + 1, pos + len(s))
                    if rest is not None:
                        found = [alt, *rest]
                        break
            if found:
                break
        memo[key] = found
        return found

    return go(0, 0)


def exact_reading(hk: NameKeys, lk: NameKeys) -> tuple[str, str] | None:
    """(system, reading) when the Latin name is an exact reading of the Han name."""
    text = phon("".join(lk.tokens))
    for system, (sur, giv) in hk.romanisations.items():
        if system == hanvietmatch.SYSTEM:  # read with its diacritics: hanvietmatch
            continue
        for surname_first in (True, False):
            order = [*sur, *giv] if surname_first else [*giv, *sur]
            got = _match_slots(text, order)
            if got:
                cut = len(sur) if surname_first else len(giv)
                parts = (got[:cut], got[cut:])
                reading = " ".join("".join(p) for p in parts if p).upper()
                return system, reading
    return None


def _readings(sur: Slots, giv: Slots, limit: int = 16) -> list[tuple[str, ...]]:
    combos = islice(product(product(*sur), product(*giv)), limit)
    return [tuple(t for t in ("".join(s), "".join(g)) if t) for s, g in combos]


@lru_cache(maxsize=65_536)
def _reading_options(romanisations: tuple) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(system, joined reading, reading tokens) of every reading the fuzzy path compares.

    Keyed on the romanisation slots themselves (hashable tuples), so a Han name's readings
    are joined once, not on every comparison against a Latin name.
    """
    return tuple((system, "".join(toks), toks)
                 for system, (sur, giv) in romanisations if system != hanvietmatch.SYSTEM
                 for toks in _readings(sur, giv))


def han_latin(hk: NameKeys, lk: NameKeys, explain: bool = True) -> tuple[float, list[str]]:
    """Score a Han name against a Latin (or transliterated) name.

    ``explain=False`` returns the same score without building the reasons. A Vietnamese name
    in characters is read in Hán-Việt too (``hanvietmatch``); the better reading counts.
    """
    vi_score, vi_notes, vi_exact = hanvietmatch.han_latin(hk, lk, explain)
    if vi_exact:
        return vi_score, vi_notes
    score, notes = _han_latin(hk, lk, explain)
    return (vi_score, vi_notes) if vi_score > score else (score, notes)


def _han_latin(hk: NameKeys, lk: NameKeys, explain: bool) -> tuple[float, list[str]]:
    hit = exact_reading(hk, lk)
    if hit:
        system, reading = hit
        return SYSTEM_SCORE[system], [f"{hk.original} read in {SYSTEM_LABEL[system]} as {reading}"]
    options = _closest_readings(hk, lk)
    best, notes = 0.0, ["no exact reading"]
    for _, system, toks in options:
        s, pairs, extra = align(toks, lk.tokens, "chinese")
        s *= FUZZY_CAP
        if s > best:
            best = s
            if explain:
                reading = " ".join(toks).upper()
                head = (f"{hk.original} read in {SYSTEM_LABEL[system]} as {reading}; closest to "
                        f"{' '.join(lk.tokens).upper()}")
                notes = [head, *_pair_notes(pairs), *extra]
    return best, notes if explain else []


def _closest_readings(hk: NameKeys, lk: NameKeys, keep: int = 3
                      ) -> list[tuple[float, str, tuple[str, ...]]]:
    """The ``keep`` readings of the Han name closest to the Latin name (fuzzy path)."""
    compact = "".join(lk.tokens)
    ratio = fuzz.ratio
    options = [(ratio(joined, compact), system, toks)
               for system, joined, toks in _reading_options(tuple(hk.romanisations.items()))]
    options.sort(key=lambda o: -o[0])
    return options[:keep]


def han_latin_bound(hk: NameKeys, lk: NameKeys) -> float:
    """An upper bound of ``han_latin(hk, lk)[0]`` (exact when the reading is exact)."""
    vi_score = hanvietmatch.han_latin(hk, lk, explain=False)[0]
    hit = exact_reading(hk, lk)
    if hit:
        return max(SYSTEM_SCORE[hit[0]], vi_score)
    return max([vi_score, *(FUZZY_CAP * align_bound(toks, lk.tokens, "chinese")
                            for _, _, toks in _closest_readings(hk, lk))])


def _pair_notes(pairs: list[Pair]) -> list[str]:
    return [f"{p.a.upper()} ~ {p.b.upper()}: {p.how} ({p.sim:.2f})" for p in pairs if p.sim < 1]


HOMOPHONE = 0.6


def is_homophone(a: NameKeys, b: NameKeys) -> bool:
    """Other characters with a shared (toneless) reading in every position: 王晓明 / 王小明."""
    sa, sb = a.han_simplified, b.han_simplified
    return bool(sa) and sa != sb and len(sa) == len(sb) and all(
        set(char_pinyin(x)) & set(char_pinyin(y)) for x, y in zip(sa, sb, strict=True))


def han_han(a: NameKeys, b: NameKeys) -> tuple[float, list[str]]:
    """Compare two Han names by their simplified characters."""
    sa, sb = a.han_simplified, b.han_simplified
    if sa == sb:
        how = "same characters" if a.original == b.original else "same characters (traditional/simplified folded)"
        return 1.0, [how]
    same_sur = sa[:1] == sb[:1]
    ga, gb = sa[1:], sb[1:]
    if is_homophone(a, b):
        return HOMOPHONE, [f"same reading, different characters: {sa} / {sb}"]
    if same_sur:
        shared = len(set(ga) & set(gb)) / max(len(ga), len(gb), 1)
        return 0.3 + 0.2 * shared, [f"same surname {sa[0]}, different given name {ga} / {gb}"]
    if ga == gb:
        return 0.5, [f"same given name {ga}, different surname {sa[0]} / {sb[0]}"]
    return 0.1, ["different characters"]
