"""Syllable inventories of the syllabic romanisations (pinyin, Wade-Giles, HK Cantonese,
Vietnamese without diacritics).

Why: in a name made of such syllables a one-letter difference between two *valid* syllables
is a different name (Vietnamese HUNG vs DUNG, Cantonese KA HO vs KA YAN), while a difference
that leaves an impossible syllable (DUK, XIAOMNG) is a typo.  Edit distance alone cannot tell
these apart; the inventory can.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from pypinyin.pinyin_dict import pinyin_dict

from .normalize import phon
from .romanize import hk_inventory, pinyin_to_wade_giles

_TONE = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")

# Vietnamese orthographic syllable, diacritics folded.  Initials, nuclei and codas after
# Thompson, "A Vietnamese Reference Grammar" (1987), ch. 2; codas are only c ch m n ng nh p t
# and the glides i/y/o/u, which is why DUK is no Vietnamese syllable but DUC is.
_VI_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(uye|uya|ieu|yeu|uoi|uou|oai|oay|oeo|uay|uoi|ươ|ia|ie|ye|ua|ue|uo|uy|oa|oe|"
    r"ai|ao|au|ay|eo|eu|iu|oi|ui|ưu|[aeiouy])"
    r"(ch|ng|nh|[cmnpt]|[iyou])?$"
)


@lru_cache(maxsize=1)
def pinyin_inventory() -> frozenset[str]:
    """All toneless pinyin syllables pypinyin knows (about 410)."""
    out: set[str] = set()
    for readings in pinyin_dict.values():
        for r in readings.split(","):
            out.add(r.translate(_TONE))
    return frozenset(s for s in out if s.isascii() and s.isalpha())


@lru_cache(maxsize=1)
def chinese_inventory() -> frozenset[str]:
    """Phonetic forms of every pinyin, Wade-Giles and HK/Macau Cantonese syllable."""
    py = pinyin_inventory()
    wg = {pinyin_to_wade_giles(s) for s in py}
    return frozenset(phon(s) for s in py | wg | hk_inventory())


# Vietnamese family names covering ~95 % of the population (Lê Trung Hoa, "Họ và tên người
# Việt Nam", 2005), diacritics folded.
VIETNAMESE_SURNAMES = frozenset(
    ["nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo", "duong", "ly", "truong", "dinh", "lam", "mai", "trinh", "dao", "cao", "luong", "ha", "ta", "quach", "doan", "chu", "luu", "thai", "kieu", "tang", "la", "to", "van"]
)


@lru_cache(maxsize=1)
def chinese_surname_spellings() -> frozenset[str]:
    """Phonetic forms of the common Chinese surnames in every supported romanisation."""
    from .han import COMMON_SURNAMES, COMPOUND_SURNAMES
    from .keys import name_keys

    out: set[str] = set()
    for sur in COMMON_SURNAMES | COMPOUND_SURNAMES:
        for system_slots in name_keys(sur + "一").romanisations.values():
            for combo in product(*system_slots[0]):
                out.add(phon("".join(combo)))
    return frozenset(out)


def is_vietnamese_syllable(token: str) -> bool:
    return bool(_VI_SYLLABLE.match(token))


@lru_cache(maxsize=100_000)
def chinese_syllable_count(token: str) -> int:
    """How many Chinese syllables the token splits into (0 if it does not split, max 3)."""
    inv = chinese_inventory()
    p = phon(token)

    def split(s: str, depth: int) -> int:
        if not s:
            return 0
        if depth == 3:
            return -1
        for cut in range(min(7, len(s)), 0, -1):
            if s[:cut] in inv:
                rest = split(s[cut:], depth + 1)
                if rest >= 0:
                    return rest + 1
        return -1

    n = split(p, 0)
    return max(n, 0)


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


def valid_syllable(token: str, system: str) -> bool:
    """Is the token a well-formed syllable (sequence) in the given system?"""
    if system == "vietnamese":
        return is_vietnamese_syllable(token)
    if system == "chinese":
        return chinese_syllable_count(token) > 0
    return False
