"""Known given names and their gender, from gender-guesser's copy of Jörg Michael's
``nam_dict.txt`` (about 48,000 first names from 54 countries incl. China, India, Vietnam,
Arabia; GFDL, shipped inside the gender-guesser package on PyPI).

Why: a one-letter difference between two *real, different* names (RAJESH / RAMESH) is a
different person, while a one-letter difference that makes a non-name (JONAHTAN) is a typo.
A female and a male form of one stem (MARIA / MARIO) are different people too.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .normalize import phon


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        data = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):  # optional data: degrade to no lexicon
        return out
    for raw in data.decode("iso-8859-1").splitlines():
        if raw.startswith("#") or len(raw) < 30 or raw[29] == "+" or raw[:1] == "=":
            continue
        code, name = raw[:2].strip(), raw[3:29].strip().lower()
        if not name.isascii() or not name.isalpha():
            continue
        gender = "m" if code.endswith("M") else "f" if code.endswith("F") else "?"
        # exact spelling first (MICHELLE f, MICHELE m), phonetic form as a fallback key
        for key in (name, "~" + phon(name)):
            out[key] = gender if out.get(key, gender) == gender else "?"
    return out


def gender_of(token: str) -> str:
    """'m', 'f', '?' (both / unknown) or '' when the token is no known given name."""
    table = _table()
    return table.get(token) or table.get("~" + phon(token), "")


def is_known_name(token: str) -> bool:
    return bool(gender_of(token))
