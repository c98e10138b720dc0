"""Search keys derived from one name, stored beside the name as written.

``name_keys`` is the single entry point: it is deterministic and JSON-serialisable so the
watchlist layer can persist keys and rebuild an index without re-deriving them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from itertools import islice, pairwise, product

import jellyfish

from . import han, hanviet
from .normalize import fold, han_chars, is_han, latin_tokens, phon, script_of, skeleton
from .romanize import jyutping_to_hk, pinyin_to_wade_giles
from .syllables import pinyin_readings, pinyin_syllables

Slots = tuple[tuple[str, ...], ...]  # per syllable: alternative spellings
SYSTEMS = ("pinyin", "cantonese", "wade_giles")
_MAX_FORMS = 24  # readable forms kept per system; matching uses the slots, not the forms


@dataclass(frozen=True, slots=True)
class NameKeys:
    """Every key of one name.  ``romanisations[system] = (surname_slots, given_slots)``."""

    original: str
    script: str
    latin: str
    tokens: tuple[str, ...]
    han_simplified: str = ""
    han_traditional: str = ""
    romanisations: dict[str, tuple[Slots, Slots]] = field(default_factory=dict)
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    blocking: tuple[str, ...] = ()
    # the tokens as written (lower case, diacritics kept) when a Latin name carries any
    marks: tuple[str, ...] = ()

    @property
    def is_han(self) -> bool:
        return bool(self.han_simplified)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> NameKeys:
        def tup(x):
            return tuple(tup(i) for i in x) if isinstance(x, list | tuple) else x

        keys = cls(
            original=data["original"], script=data["script"], latin=data["latin"],
            tokens=tuple(data["tokens"]), han_simplified=data.get("han_simplified", ""),
            han_traditional=data.get("han_traditional", ""),
            romanisations={k: tup(v) for k, v in data.get("romanisations", {}).items()},
            forms={k: tuple(v) for k, v in data.get("forms", {}).items()},
            blocking=tuple(data.get("blocking", ())),
            # keys stored before marks existed: derive them from the name as written
            marks=tuple(data["marks"]) if "marks" in data else _marks(
                data["original"], tuple(data["tokens"])) if not data.get("han_simplified") else (),
        )
        if keys.han_simplified and "hanviet" not in keys.romanisations:
            return _add_hanviet(keys)  # keys stored before Hán-Việt readings existed
        return keys


_WRITTEN_SPLIT = re.compile(r"[\W\d_]+")


def _marks(text: str, tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The tokens as written, when a Latin-script name carries diacritics; else ().

    Why: diacritics, when present, tell names apart (Vietnamese HÙNG / HƯNG); a name typed
    without them says nothing either way, so only two marked names are compared on them.
    """
    text = unicodedata.normalize("NFC", text).lower().replace("'", "").replace("`", "")
    if text.isascii() or script_of(text) != "latin":
        return ()
    written = tuple(w for w in _WRITTEN_SPLIT.split(text) if w)
    if tuple("".join(latin_tokens(w)) for w in written) != tokens:
        return ()  # folding split or merged a token: no one-to-one marks
    return written


def _dedupe(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _han_romanisations(name: han.HanName) -> dict[str, tuple[Slots, Slots]]:
    sur_py = han.surname_pinyin(name)
    giv_py = han.given_pinyin(name)
    out: dict[str, tuple[Slots, Slots]] = {
        "pinyin": (tuple(sur_py), tuple(giv_py)),
        "wade_giles": (
            tuple(_dedupe(pinyin_to_wade_giles(s) for s in alts) for alts in sur_py),
            tuple(_dedupe(pinyin_to_wade_giles(s) for s in alts) for alts in giv_py),
        ),
    }
    extra = han.OVERSEAS_SURNAME.get(name.surname)
    if extra:
        for system in ("pinyin", "wade_giles"):
            sur, giv = out[system]
            out[system] = (((*sur[0], *extra),), giv)
    jp = han.jyutping_syllables(name.traditional)
    if all(jp):
        canto = tuple(
            _dedupe(v for syl in _dedupe(s.rstrip("123456") for s in alts)[:3]
                    for v in jyutping_to_hk(syl))
            for alts in jp
        )
        out["cantonese"] = (canto[: name.surname_len], canto[name.surname_len :])
    # a Vietnamese name in Chinese characters, read in Hán-Việt (阮文安 = NGUYEN VAN AN)
    sino_vietnamese = hanviet.slots(name)
    if sino_vietnamese:
        out["hanviet"] = sino_vietnamese
    return out


def _add_hanviet(keys: NameKeys) -> NameKeys:
    """Stored keys of a Han name with its Hán-Việt reading added (romanisation, forms and
    the blocking keys ``_blocking_han`` gives that system)."""
    slots = hanviet.slots(han.split_han(keys.han_simplified))
    if not slots:
        return keys
    extra = _blocking_han(han.split_han(keys.han_simplified), {"hanviet": slots})
    return replace(keys, romanisations={**keys.romanisations, "hanviet": slots},
                   forms={**keys.forms, "hanviet": _forms(slots)},
                   blocking=tuple(sorted({*keys.blocking, *extra})))


def _forms(slots: tuple[Slots, Slots]) -> tuple[str, ...]:
    sur, giv = slots
    combos = islice(product(product(*sur), product(*giv)), _MAX_FORMS)
    return tuple(f"{''.join(s)} {''.join(g)}".strip().upper() for s, g in combos)


def _blocking_latin(tokens: tuple[str, ...]) -> set[str]:
    """Per token and per adjacent pair: phonetic form, skeleton, sorted skeleton, prefix."""
    units = list(tokens) + [a + b for a, b in pairwise(tokens)]
    out: set[str] = set()
    for u in units:
        p = phon(u)
        out.add("p:" + p)
        # one Chinese name in Wade-Giles and in pinyin shares its pinyin readings, and the
        # syllables of the first of them (CHIEN-HUNG and JIANHONG: jian, hong)
        readings = sorted(pinyin_readings(u))[:8]
        out.update("r:" + r for r in readings)
        if readings and u in tokens:
            out.update("r:" + syl for syl in pinyin_syllables(readings[0]))
        if len(u) >= 3:  # spelt by ear (JON / JOHN): the Metaphone key
            out.add("m:" + jellyfish.metaphone(u))
        sk = skeleton(u)
        if len(sk) >= 2:
            out.add("s:" + sk)
            out.add("o:" + "".join(sorted(sk)))
        if len(p) >= 5:
            out.add("f:" + p[:4])
    return out


def _blocking_han(name: han.HanName, roms: dict[str, tuple[Slots, Slots]]) -> set[str]:
    out = {"h:" + name.simplified}
    if name.given:
        out.add("g:" + name.given)
    for sur, giv in roms.values():
        for s in islice(product(*sur), 8):
            out.add("p:" + phon("".join(s)))
        for g in islice(product(*giv), 16):
            p = phon("".join(g))
            out.add("p:" + p)
            out.add("s:" + skeleton("".join(g)))
    # the keys a Latin spelling of the first reading in each system would have, so a reading
    # typed with a typo or in another system finds the Han name as it finds a Latin one
    for sur, giv in roms.values():
        tokens = tuple(t for t in ("".join(x[0] for x in sur), "".join(x[0] for x in giv)) if t)
        out |= _blocking_latin(tokens)
    return out


@lru_cache(maxsize=262_144)
def name_keys(name: str) -> NameKeys:
    """Derive all keys of a name written in any script."""
    text = " ".join(name.split())
    if is_han(text):
        hn = han.split_han(han_chars(text))
        roms = _han_romanisations(hn)
        sur, giv = roms["pinyin"]
        primary = tuple(t for t in ("".join(s[0] for s in sur), "".join(g[0] for g in giv)) if t)
        return NameKeys(
            original=name, script="han", latin=" ".join(primary), tokens=primary,
            han_simplified=hn.simplified, han_traditional=hn.traditional, romanisations=roms,
            forms={k: _forms(v) for k, v in roms.items()},
            blocking=tuple(sorted(_blocking_han(hn, roms))),
        )
    tokens = tuple(latin_tokens(text))
    return NameKeys(
        original=name, script=script_of(text), latin=" ".join(tokens), tokens=tokens,
        blocking=tuple(sorted(_blocking_latin(tokens))), marks=_marks(text, tokens),
    )


__all__ = ["SYSTEMS", "NameKeys", "fold", "name_keys"]
