"""Name-to-name similarity: token alignment for Latin names, slot matching for Han names.

A name score is built from aligned token pairs, each with a reason (``how``), so that every
score can be explained.  The worst aligned pair pulls the score down hard: two names that
share a family and middle name but differ in the given name are different people
(NGUYEN VAN DUC vs NGUYEN VAN MINH), however much else they share.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import OSA, Levenshtein

from .hanviet import canonical
from .lexicon import gender_of
from .normalize import ending_class, phon, skeleton
from .syllables import chinese_inventory, pinyin_readings, valid_syllable
from .systems import syllabic_system

# Token similarities by reason.  Numbers set on the development pairs' *kinds* (see
# bench/screening_quality.py), not on single rows.
EXACT, SPELLING, VOWELS, TYPO, TYPO2, INITIAL = 1.0, 0.96, 0.9, 0.9, 0.82, 0.75
WADE_GILES, SOUNDS_ALIKE = 0.92, 0.88
DIFFERENT_SYLLABLE, DIFFERENT_NAME, GENDER_FORM, DIACRITICS = 0.35, 0.4, 0.5, 0.35
GOOD = 0.85  # pairs below this drag the whole name down
EXTRA_TOKEN_STRICT, EXTRA_TOKEN = 0.6, 0.92


@dataclass(frozen=True, slots=True)
class Pair:
    a: str
    b: str
    sim: float
    how: str


@lru_cache(maxsize=500_000)
def token_sim(a: str, b: str, system: str = "") -> tuple[float, str]:
    """Similarity of two folded tokens and the reason for it."""
    if a == b:
        return EXACT, "exact"
    pa, pb = phon(a), phon(b)
    if pa == pb:
        return SPELLING, "spelling variant"
    if len(a) == 1 or len(b) == 1:
        return (INITIAL, "initial") if a[0] == b[0] else (0.0, "different initial")
    if system and valid_syllable(a, system) and valid_syllable(b, system):
        # two neighbouring letters swapped is the commonest typo (Damerau 1964); names that
        # differ only so (JIELUN / JEILUN, JIABAO / JIABOA) are a typo, not another name;
        # one short syllable swapped is often another one (HSU / SHU)
        if system == "chinese" and len(pa) >= 5 and _swapped(pa, pb):
            return TYPO, "typo"
        return DIFFERENT_SYLLABLE, f"different {system} syllables"
    ga, gb = gender_of(a), gender_of(b)
    sa, sb = skeleton(a), skeleton(b)
    d, longest = OSA.distance(pa, pb), max(len(pa), len(pb))
    # Same consonants, few vowel edits: MOHAMMED/MUHAMMAD yes, HASSAN/HUSSEIN no.
    if sa == sb and len(sa) >= 2 and d <= max(1, longest // 3):
        ends = {ending_class(a), ending_class(b)}
        # -A / -O endings mark gender in European names, not in Chinese syllables (ZIHUA)
        if {ga, gb} == {"m", "f"} or ("a" in ends and len(ends) == 2 and system != "chinese"):
            return GENDER_FORM, "male/female forms"
        return VOWELS, "vowel variant"
    if {ga, gb} == {"m", "f"}:
        return DIFFERENT_NAME, "different known names"
    # One name spelt by ear: JON / JOHN, STEPHEN / STEVEN (Metaphone, L. Philips 1990), with
    # the first letter and all but two letters kept, so IVAN / EVAN and HASSAN / HUSSEIN stay apart.
    if _sounds_alike(a, b, pa, pb, d, longest):
        return SOUNDS_ALIKE, "sounds alike"
    if ga and gb:
        return DIFFERENT_NAME, "different known names"
    if pa[0] == pb[0] and (d == 1 and longest >= 4):
        return TYPO, "typo"
    if pa[0] == pb[0] and (d == 2 and longest >= 8):
        return TYPO2, "typos"
    return min(0.7, 0.8 * Levenshtein.normalized_similarity(pa, pb)), "different"


def _swapped(a: str, b: str) -> bool:
    """b is a with two neighbouring letters swapped."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and (
        a[diff[1]] == b[diff[0]])


def _metaphones(token: str) -> set[str]:
    """Metaphone keys, with CH also read as K (Christopher, Nicholas, Zachary) as Double
    Metaphone's alternative key does."""
    keys = {jellyfish.metaphone(token)}
    if "ch" in token:
        keys.add(jellyfish.metaphone(token.replace("ch", "k")))
    return {k for k in keys if len(k) >= 2}


def _sounds_alike(a: str, b: str, pa: str, pb: str, d: int, longest: int) -> bool:
    """One name spelt by ear.  Guards: an initial vowel is kept (IVAN / EVAN); at most two
    edits, and in a short name only a letter added or dropped (JON / JOHN, not JOHN / JOAN)."""
    if a[0] != b[0] and (a[0] in "aeiouy" or b[0] in "aeiouy"):
        return False
    if longest < 5 and not (d == 1 and len(pa) != len(pb)):
        return False
    return d <= 2 and bool(_metaphones(a) & _metaphones(b))


@lru_cache(maxsize=200_000)
def unit_sim(pa: tuple[str, ...], pb: tuple[str, ...], system: str = "") -> tuple[float, str]:
    """``token_sim`` of two units (one token or two adjacent ones, as ``_units`` joins them),
    plus one Chinese name written in Wade-Giles and in pinyin (ZHANG / CHANG, TENG-HUI /
    DENGHUI), which needs the tokens as written: a hyphen-split syllable may be Wade-Giles,
    an unbroken pinyin word (HUATENG) is pinyin."""
    sim, how = token_sim("".join(pa), "".join(pb), system)
    if system == "chinese" and sim == DIFFERENT_SYLLABLE and _wade_giles_readings(pa) & (
            _wade_giles_readings(pb)):
        return WADE_GILES, "Wade-Giles / pinyin"
    return sim, how


@lru_cache(maxsize=200_000)
def _wade_giles_readings(parts: tuple[str, ...]) -> frozenset[str]:
    out = {""}
    for part in parts:
        readings = pinyin_readings(part)
        if part in readings and phon(part) not in chinese_inventory():
            readings = frozenset({part})  # a pinyin word of several syllables is pinyin
        out = {o + r for o in out for r in readings}
        if not out or len(out) > 256:
            return frozenset()
    return frozenset(out)


@lru_cache(maxsize=200_000)
def _units(tokens: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Single tokens and adjacent pairs (XIAO MING = XIAOMING, DE LA = DELA)."""
    out = [(i, i + 1, t) for i, t in enumerate(tokens)]
    out += [(i, i + 2, tokens[i] + tokens[i + 1]) for i in range(len(tokens) - 1)]
    return out


def align(ta: tuple[str, ...], tb: tuple[str, ...], system: str | None = None,
          ma: tuple[str, ...] = (), mb: tuple[str, ...] = ()
          ) -> tuple[float, list[Pair], list[str]]:
    """Greedy best alignment of two token lists in any order; returns (score, pairs, notes).

    ``ma``/``mb`` are the tokens as written with their diacritics (``NameKeys.marks``), given
    only when a name carries any: when both do, a pair that folds alike but is written
    differently is a different name (Vietnamese HÙNG / HƯNG, HOA / HÒA).
    """
    if not ta or not tb:
        return 0.0, [], ["empty name"]
    if system is None:
        system = shared_system(ta, tb)
    marked = bool(ma and mb) and len(ma) == len(ta) and len(mb) == len(tb)
    units_ma = [u for _, _, u in _units(ma)] if marked else []
    units_mb = [u for _, _, u in _units(mb)] if marked else []
    # sort key (-sim, -cover, n): the running number n keeps equal candidates in the order
    # they were found (as a stable sort would) and stops tuple comparison before the strings
    cands = []
    units_b = _units(tb)
    for i, (a0, a1, ua) in enumerate(_units(ta)):
        for j, (b0, b1, ub) in enumerate(units_b):
            sim, how = unit_sim(ta[a0:a1], tb[b0:b1], system)
            if marked and ua == ub and canonical(units_ma[i]) != canonical(units_mb[j]):
                sim, how = DIACRITICS, "different diacritics"
            if sim > 0:
                cands.append((-sim, a0 - a1 + b0 - b1, len(cands), a0, a1, b0, b1, ua, ub, how))
    cands.sort()
    full_a, full_b = (1 << len(ta)) - 1, (1 << len(tb)) - 1
    used_a = used_b = 0  # bit masks of the tokens already aligned
    pairs: list[Pair] = []
    weight = total = 0.0
    for neg_sim, neg_cover, _, a0, a1, b0, b1, ua, ub, how in cands:
        mask_a = ((1 << (a1 - a0)) - 1) << a0
        mask_b = ((1 << (b1 - b0)) - 1) << b0
        if used_a & mask_a or used_b & mask_b:
            continue
        used_a |= mask_a
        used_b |= mask_b
        pairs.append(Pair(ua, ub, -neg_sim, how))
        total += -neg_sim * -neg_cover / 2
        weight += -neg_cover / 2
        if used_a == full_a or used_b == full_b:
            break  # one side is fully aligned: no later candidate can be taken
    if not pairs:
        return 0.0, [], ["nothing in common"]
    notes: list[str] = []
    score = total / weight
    worst = min(p.sim for p in pairs)
    if worst < GOOD:
        score *= worst / GOOD
    extra_a, extra_b = len(ta) - used_a.bit_count(), len(tb) - used_b.bit_count()
    if extra_a and extra_b:
        score *= 0.5 ** min(extra_a, extra_b)
        notes.append("both names have unmatched parts")
    elif extra_a or extra_b:
        factor = EXTRA_TOKEN_STRICT if system else EXTRA_TOKEN
        score *= factor ** (extra_a + extra_b)
        notes.append(f"{extra_a + extra_b} extra name part(s)")
    return score, pairs, notes


def shared_system(ta: tuple[str, ...], tb: tuple[str, ...]) -> str:
    """The syllabic system of two names: either side's, and when they disagree the one both
    are written in (CHU LI-LUAN reads as Vietnamese too; beside ZHU LILUAN it is Chinese)."""
    sa, sb = syllabic_system(ta), syllabic_system(tb)
    if not sa or not sb or sa == sb:
        return sa or sb
    for system in (sa, sb):
        if all(valid_syllable(t, system) for t in (*ta, *tb)):
            return system
    return sa


def explain_pairs(pairs: list[Pair]) -> list[str]:
    return [f"{p.a.upper()} ~ {p.b.upper()}: {p.how} ({p.sim:.2f})" for p in pairs]


def align_bound(ta: tuple[str, ...], tb: tuple[str, ...], system: str | None = None) -> float:
    """An upper bound of ``align(ta, tb, system)[0]``, from the token similarities alone.

    The pre-score of the index: no greedy pass, no pairs, no reasons.  Why it bounds:
    ``align`` returns mean * min(1, worst / GOOD) * extra-penalty with mean <= 1.  A token
    that ends up aligned sits in a pair no better than the best unit pair holding it
    (``best``), and that pair's similarity caps ``worst``; so the score is at most
    min(1, best / GOOD) of every aligned token times the penalty for the unaligned ones.
    Taking the lowest-``best`` tokens of each side as the unaligned ones and trying every
    count gives the bound.
    """
    if not ta or not tb:
        return 0.0
    if system is None:
        system = shared_system(ta, tb)
    units_b = _units(tb)
    rows = [[unit_sim(ta[a0:a1], tb[b0:b1], system)[0] for b0, b1, _ in units_b]
            for a0, a1, _ in _units(ta)]
    sa = _token_best(list(map(max, rows)), len(ta))
    sb = _token_best(list(map(max, zip(*rows, strict=True))), len(tb))
    sa = sorted(1.0 if x >= GOOD else x / GOOD for x in sa)  # min(1, best / GOOD)
    sb = sorted(1.0 if x >= GOOD else x / GOOD for x in sb)
    factor = EXTRA_TOKEN_STRICT if system else EXTRA_TOKEN
    # nothing unaligned, then one side only (ea or eb tokens: factor ** e) ...
    bound = min(sa[0], sb[0])
    for e in range(1, len(sa)):
        bound = max(bound, min(sa[e], sb[0]) * factor ** e)
    for e in range(1, len(sb)):
        bound = max(bound, min(sa[0], sb[e]) * factor ** e)
    # ... then both sides (0.5 ** m, m = the smaller count; the other count is best maximal)
    for m in range(1, min(len(sa), len(sb))):
        bound = max(bound, 0.5 ** m * max(min(sa[m], sb[-1]), min(sa[-1], sb[m])))
    return bound


def _token_best(unit_best: list[float], n: int) -> list[float]:
    """Per token, the best of the units holding it (``_units``: n singles, then n-1 pairs)."""
    if n == 1:
        return unit_best
    single, pair = unit_best[:n], unit_best[n:]
    return [max(single[0], pair[0]), *map(max, single[1:-1], pair[:-1], pair[1:]),
            max(single[-1], pair[-1])]
