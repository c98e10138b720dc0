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
from itertools import islice, product

from pypinyin.pinyin_dict import pinyin_dict

from .normalize import _PHON_RULES, phon
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


# Interjection syllables (呣 m, 嗯 n/ng, 哦 o, 诶 ei, 哟 yo ...) never stand in a name; left in,
# they make a typo look like a syllable sequence (XIAOMNG = xiao-m-ng, HAIOBO = hai-o-bo).
_INTERJECTIONS = frozenset({"m", "n", "ng", "hm", "hng", "o", "yo", "lo", "ei", "ea", "eh"})
# A whole token may still be one of them in Cantonese: 吳/伍 NG, 唔 M.
_WHOLE_TOKEN = frozenset({"ng", "m"})


@lru_cache(maxsize=1)
def name_pinyin() -> frozenset[str]:
    """The pinyin syllables names are made of (interjections left out)."""
    return pinyin_inventory() - _INTERJECTIONS


@lru_cache(maxsize=1)
def _inventories() -> tuple[frozenset[str], ...]:
    """Phonetic forms of the syllables of each system, one system at a time: a token is
    spelt in one system, so a split that mixes them (zi-hau) marks a typo, not a name."""
    py = name_pinyin()
    wg = {pinyin_to_wade_giles(s) for s in py}
    hk = hk_inventory() - _INTERJECTIONS
    return tuple(frozenset(phon(s) for s in inv) for inv in (py, wg, hk))


@lru_cache(maxsize=1)
def chinese_inventory() -> frozenset[str]:
    """Phonetic forms of every pinyin, Wade-Giles and HK/Macau Cantonese syllable."""
    return frozenset().union(*_inventories())


@lru_cache(maxsize=1)
def _wade_giles_to_pinyin() -> dict[str, frozenset[str]]:
    """Passport Wade-Giles drops the apostrophe, so one spelling stands for several pinyin
    syllables (CHANG = zhang or chang, TSAI = cai or zai)."""
    out: dict[str, set[str]] = {}
    for syl in name_pinyin():
        out.setdefault(pinyin_to_wade_giles(syl), set()).add(syl)
    return {k: frozenset(v) for k, v in out.items()}


def _splits(text: str, inventory, depth: int = 4) -> list[list[str]]:
    """Every way to cut ``text`` into at most ``depth`` syllables of ``inventory``."""
    if not text:
        return [[]]
    if depth == 0:
        return []
    out = []
    for cut in range(min(7, len(text)), 0, -1):
        head = text[:cut]
        if head in inventory:
            out += [[head, *rest] for rest in _splits(text[cut:], inventory, depth - 1)]
    return out


def pinyin_syllables(reading: str) -> list[str]:
    """The syllables of a pinyin word (its first split), e.g. jianhong → jian, hong."""
    found = _splits(reading, name_pinyin())
    return found[0] if found else []


@lru_cache(maxsize=100_000)
def pinyin_readings(token: str) -> frozenset[str]:
    """The pinyin spellings a folded token may stand for: itself when it is pinyin, and every
    reading of it as passport Wade-Giles (HSU CHIEN-HUNG = xu jianhong).  Capped at 64."""
    out: set[str] = set()
    if _splits(token, name_pinyin()):
        out.add(token)
    wg = _wade_giles_to_pinyin()
    for seq in _splits(token, wg.keys()):
        for combo in islice(product(*(wg[s] for s in seq)), 64):
            out.add("".join(combo))
    return frozenset(out)


# Vietnamese family names covering ~95 % of the population (Lê Trung Hoa, "Họ và tên người
# Việt Nam", 2005), diacritics folded.
VIETNAMESE_SURNAMES = frozenset(
    ["nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo", "duong", "ly", "truong", "dinh", "lam", "mai", "trinh", "dao", "cao", "luong", "ha", "ta", "quach", "doan", "chu", "luu", "thai", "kieu", "tang", "la", "to", "van"]
)


def is_vietnamese_syllable(token: str) -> bool:
    return bool(_VI_SYLLABLE.match(token))


@lru_cache(maxsize=100_000)
def chinese_syllable_count(token: str) -> int:
    """How many Chinese syllables the token splits into (0 if it does not split, max 3)."""
    p = phon(token)
    if p in _WHOLE_TOKEN:
        return 1

    def split(s: str, depth: int, inv: frozenset[str]) -> int:
        if not s:
            return 0
        if depth == 3:
            return -1
        for cut in range(min(7, len(s)), 0, -1):
            if s[:cut] in inv:
                rest = split(s[cut:], depth + 1, inv)
                if rest >= 0:
                    return rest + 1
        return -1

    # the phonetic form merges doubled letters across syllables (ZIYU: ziiu → ziu); so the
    # same rules are tried on the spelling without that merge too
    forms = {p, _phon_unmerged(token)}
    return max(max(split(f, 0, inv) for f in forms for inv in _inventories()), 0)


def _phon_unmerged(token: str) -> str:
    out = token
    for pattern, repl in _PHON_RULES[:-1]:  # the last rule merges doubled letters
        out = pattern.sub(repl, out)
    return out


def valid_syllable(token: str, system: str) -> bool:
    """Is the token a well-formed syllable (sequence) in the given system?"""
    if system == "vietnamese":
        return is_vietnamese_syllable(token)
    if system == "chinese":
        return chinese_syllable_count(token) > 0
    return False
