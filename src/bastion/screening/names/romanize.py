"""Romanisation systems for Han names, as rules (not as lists of names).

* Wade-Giles as used on Taiwanese (ROC) passports: apostrophes and umlauts dropped
  (CHANG CHIH-MING, HSU, TSAI). Rules after the standard pinyin ↔ Wade-Giles table
  (Library of Congress "Pinyin conversion project", romanization table, 2000).
* Hong Kong Government Cantonese Romanisation and its Macau (Portuguese-based) cousin,
  converted from Jyutping (LSHK 1993).  The government system is not a 1:1 scheme: the same
  syllable is spelt several ways (子 zi2 → TSZ/CHI, 周 zau1 → CHOW/CHAU, 李 lei5 → LEE/LI), so
  each Jyutping syllable yields a *set* of spellings.  Tables follow the HK Immigration
  Department's practice as documented by the HK government romanisation table of 1888-origin
  (Wikipedia: "Hong Kong Government Cantonese Romanisation", section "Romanisation table").
"""

from __future__ import annotations

import re
from functools import lru_cache

_PINYIN_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
                    "j", "q", "x", "r", "z", "c", "s", "y", "w")
_WG_INITIAL = {"b": "p", "p": "p", "d": "t", "t": "t", "g": "k", "k": "k", "j": "ch",
               "q": "ch", "x": "hs", "zh": "ch", "ch": "ch", "r": "j", "z": "ts", "c": "ts"}


def split_pinyin(syl: str) -> tuple[str, str]:
    """(initial, final) of a toneless pinyin syllable; ü written as v or u."""
    for ini in _PINYIN_INITIALS:
        if syl.startswith(ini) and len(syl) > len(ini):
            return ini, syl[len(ini):]
    return "", syl


@lru_cache(maxsize=4096)
def pinyin_to_wade_giles(syl: str) -> str:
    """One toneless pinyin syllable → passport-style Wade-Giles (no apostrophes, ü → u)."""
    syl = syl.replace("ü", "v")
    ini, fin = split_pinyin(syl)
    special = {"er": "erh", "yi": "i", "you": "yu", "yan": "yen", "ye": "yeh", "yue": "yueh",
               "yong": "yung", "yu": "yu", "yuan": "yuan", "yun": "yun"}
    if syl in special:
        return special[syl]
    if ini in ("j", "q", "x", "y"):
        fin = fin.replace("v", "u")
    fin = fin.replace("v", "u")
    if fin == "i" and ini in ("zh", "ch", "sh", "r"):
        fin = "ih"
    elif fin == "i" and ini in ("z", "c", "s"):
        return {"z": "tzu", "c": "tzu", "s": "ssu"}[ini]
    elif fin == "e" and ini in ("g", "k", "h") or fin == "uo" and ini not in ("g", "k", "h", "sh"):
        fin = "o"
    elif fin == "ui" and ini in ("g", "k"):
        fin = "uei"
    elif fin == "ong":
        fin = "ung"
    elif fin == "iong":
        fin = "iung"
    elif fin == "ian":
        fin = "ien"
    elif fin in ("ie", "ue"):
        fin += "h"
    return _WG_INITIAL.get(ini, ini) + fin


# --- Jyutping → Hong Kong / Macau government romanisation --------------------------------
_JP_INITIALS = ("gw", "kw", "ng", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
                "w", "z", "c", "s", "j")
_HK_INITIAL: dict[str, tuple[str, ...]] = {
    "b": ("p",), "p": ("p",), "d": ("t",), "t": ("t",), "g": ("k",), "k": ("k",),
    "gw": ("kw",), "kw": ("kw",), "z": ("ch", "ts"), "c": ("ch", "ts"), "s": ("s", "sh"),
    "j": ("y", "i"), "w": ("w", "v"), "": ("",),
}
_HK_FINAL: dict[str, tuple[str, ...]] = {
    "aa": ("a", "ah"), "aai": ("ai",), "aau": ("au", "ao"), "aam": ("am",), "aan": ("an",),
    "aang": ("ang",), "aap": ("ap",), "aat": ("at",), "aak": ("ak",),
    "ai": ("ai",), "au": ("au", "ow", "ao"), "am": ("am", "um"), "an": ("an", "un"),
    "ang": ("ang",), "ap": ("ap",), "at": ("at",), "ak": ("ak",),
    "e": ("e",), "ei": ("ei", "ee", "i", "ay"), "eng": ("eng",), "ek": ("ek",), "eu": ("eu",),
    "eoi": ("ui", "eui", "oi"), "eon": ("un", "eun", "on"), "eot": ("ut", "eut"),
    "oe": ("oe",), "oeng": ("eung", "eong"), "oek": ("euk", "eok"),
    "i": ("i", "ee", "ie"), "ip": ("ip",), "it": ("it",), "ik": ("ik", "ek"),
    "im": ("im", "eem"), "in": ("in", "een"), "ing": ("ing", "eng"), "iu": ("iu",),
    "o": ("o", "oh", "or", "aw"), "oi": ("oi", "oy"), "ou": ("o", "ou"), "on": ("on",),
    "ong": ("ong",), "ot": ("ot",), "ok": ("ok",),
    "u": ("u", "oo"), "ui": ("ui", "ooi"), "un": ("un", "oon"), "ung": ("ung",),
    "ut": ("ut", "oot"), "uk": ("uk",),
    "yu": ("u", "ue", "yu"), "yun": ("uen", "un", "yun"), "yut": ("uet", "ut"),
}
# Apical syllables spelt irregularly (子 TSZ, 詩 SZE, 思 SZE, 志 CHI, 時 SHI/SEE).
_HK_APICAL = {"z": ("chi", "tsz", "tze", "tsi", "ji"), "c": ("chi", "tsz", "tze", "tsi"),
              "s": ("si", "sze", "see", "shi", "sz", "sy")}


@lru_cache(maxsize=8192)
def jyutping_to_hk(syl: str) -> tuple[str, ...]:
    """All government-style spellings of one Jyutping syllable (tone digit allowed)."""
    syl = syl.rstrip("123456")
    if syl in ("m", "ng", "hm", "hng"):
        return ("ng", "m") if syl in ("m", "ng") else (syl,)
    ini = next((i for i in _JP_INITIALS if syl.startswith(i) and len(syl) > len(i)), "")
    fin = syl[len(ini):]
    if fin == "i" and ini in _HK_APICAL:
        return _HK_APICAL[ini]
    finals = _HK_FINAL.get(fin, (fin,))
    initials = _HK_INITIAL.get(ini, (ini,))
    out: list[str] = []
    for i in initials:
        for f in finals:
            if ini == "j" and fin[:1] in ("i", "y"):
                # 葉 jip → YIP / IP, 余 jyu → YU / U, 儀 ji → YEE / YI
                base = f.removeprefix("y")
                out += ["y" + base, base]
            else:
                out.append(i + f)
    return tuple(dict.fromkeys(out))


_JP_INVENTORY = tuple(i + f for i in _JP_INITIALS + ("",) for f in _HK_FINAL)


@lru_cache(maxsize=1)
def hk_inventory() -> frozenset[str]:
    """Every spelling the Cantonese rules can produce (for syllable-validity checks)."""
    out: set[str] = set()
    for syl in _JP_INVENTORY + ("m", "ng"):
        out.update(jyutping_to_hk(syl))
    return frozenset(s for s in out if s)


def strip_tone(pinyin_syl: str) -> str:
    """Toneless ASCII pinyin (ü → v, the pypinyin convention)."""
    return re.sub(r"[1-5]", "", pinyin_syl).replace("ü", "v")
