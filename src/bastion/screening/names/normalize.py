"""Script detection, Latin folding and the phonetic forms every comparison works on.

Names arrive in any script.  Everything that is not Han is brought to lower-case ASCII
(anyascii: Cyrillic, Greek, Arabic, Hangul ... ; Vietnamese Đ becomes D), split on spaces,
hyphens and dots, and then reduced to a *phonetic form* (``phon``) that removes spelling
differences which carry no information about identity (Duc/Duk, Mohammed/Muhammad,
Soeharto/Suharto, Sergei/Sergey), and a consonant *skeleton* used for vowel-only variants
(Aleksandr/Oleksandr/Alexander) and for blocking in the index.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# CJK Unified Ideographs, Extension A and Compatibility Ideographs (Unicode blocks).
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_SPLIT_RE = re.compile(r"[^a-z]+")
# Interpuncts and spaces inside Han names (少数民族 names, "王 小明") carry no identity.
_HAN_SEP_RE = re.compile(r"[\s·・•.\-‧]+")
_GREEK_OU = re.compile(r"[οόΟΌ][υύΥΎ]")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def is_han(text: str) -> bool:
    """True when the name is written mainly in Han characters."""
    han = len(_HAN_RE.findall(text))
    return han > 0 and han >= len(_LATIN_RE.findall(text))


def script_of(text: str) -> str:
    """A coarse script label for explanations: han, latin or the Unicode name's first word."""
    if is_han(text):
        return "han"
    for ch in text:
        if ch.isalpha():
            if _LATIN_RE.match(ch):
                return "latin"
            try:
                return unicodedata.name(ch).split()[0].lower()
            except ValueError:
                return "other"
    return "latin"


def han_chars(text: str) -> str:
    """The Han characters of a name with separators removed."""
    return "".join(_HAN_RE.findall(_HAN_SEP_RE.sub("", text)))


def fold(text: str) -> str:
    """Lower-case ASCII for any non-Han script (Đ → d, ễ → e, Сергей → sergei)."""
    text = unicodedata.normalize("NFC", text)
    # Greek ου is OU on passports (ELOT 743 / ICAO Doc 9303), anyascii writes OY
    text = _GREEK_OU.sub("ou", text)
    ascii_text = anyascii(text)
    # anyascii writes Hangul syllables as CamelCase (GimMinJun): keep syllable breaks.
    ascii_text = _CAMEL_RE.sub(" ", ascii_text)
    return ascii_text.lower()


def latin_tokens(text: str) -> list[str]:
    """Folded tokens; hyphens, dots, apostrophes and commas all separate."""
    return [t for t in _SPLIT_RE.split(fold(text).replace("'", "").replace("`", "")) if t]


# Ordered rewrite rules; each removes a spelling difference that does not change the name.
# Sources: common romanisation equivalences in ICAO Doc 9303 part 3 (transliteration of
# Cyrillic/Arabic), Dutch-era Indonesian spelling (oe → u, dj → j), English digraphs.
_PHON_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(a), b)
    for a, b in (
        (r"ph", "f"),
        (r"dh", "d"),
        (r"dj", "j"),
        (r"ck", "k"),
        (r"c(?!h)", "k"),
        (r"x", "ks"),
        (r"w", "v"),
        (r"y", "i"),
        (r"oe(?=[^aeiou]|$)", "u"),
        (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=200_000)
def phon(token: str) -> str:
    """Phonetic form of one folded token (see module docstring)."""
    out = token
    for pattern, repl in _PHON_RULES:
        out = pattern.sub(repl, out)
    return out


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Consonants of the phonetic form: vowels vary freely across transliterations."""
    return re.sub(r"[aeiou]", "", phon(token))


def ending_class(token: str) -> str:
    """Final-letter class; a vs o at the end marks gender in many languages (Maria/Mario)."""
    last = phon(token)[-1:]
    if last in ("a", "o"):
        return last
    return "-"
