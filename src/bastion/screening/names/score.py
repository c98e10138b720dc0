"""Person-to-person scoring: best name (incl. aliases) plus qualifiers.

Qualifiers only move a name score; they never create a match out of a non-matching name,
except an identical travel-document number, which is decisive (the document, not the name,
identifies the traveller; ICAO Doc 9303 document numbers are unique per issuing state).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from .compare import align, align_bound, explain_pairs
from .hanmatch import han_han, han_latin, han_latin_bound, is_homophone
from .keys import NameKeys, name_keys

DEFAULT_THRESHOLD = 0.8
# Qualifier effects.  A conflicting birth year is strong evidence of a different person;
# a conflicting day/month within the same year is often a data-entry error.
DOB_EXACT, DOB_YEAR, DOB_DAY_CONFLICT, DOB_YEAR_CONFLICT = 0.05, 0.03, 0.8, 0.6
NAT_SAME, NAT_CONFLICT, GENDER_CONFLICT = 0.02, 0.85, 0.7
# A Han homophone (王晓明 / 王小明: the input method's other candidate) with an identical full
# date of birth is taken as this name score: a match after the date's bonus, never without it.
HOMOPHONE_SAME_DOB = 0.85
HOMOPHONE_NOTE = "same reading and the same date of birth: another input-method candidate"
# Nationalities one person often holds documents of (PRC, HK SAR, Macau SAR, Taiwan).
_RELATED = [frozenset({"CHN", "HKG", "MAC", "TWN"})]


@dataclass(frozen=True, slots=True)
class PersonQuery:
    name: str
    dob: str | None = None
    nationality: str | None = None
    gender: str | None = None
    document_number: str | None = None


@dataclass(frozen=True, slots=True)
class PersonRecord:
    name: str
    aliases: tuple[str, ...] = ()
    dob: str | None = None
    nationality: str | None = None
    gender: str | None = None
    document_number: str | None = None
    id: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class MatchResult:
    score: float
    match: bool
    name_score: float
    matched_name: str
    explanation: tuple[str, ...] = field(default_factory=tuple)


_DOB_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@lru_cache(maxsize=65_536)
def parse_dob(value: str | None) -> tuple[int, int | None, int | None] | None:
    """ISO 8601 date, year-month or year; raises ValueError on anything else."""
    if value is None or not value.strip():
        return None
    m = _DOB_RE.match(value.strip())
    if not m:
        raise ValueError(f"date of birth {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    y, mo, d = (int(x) if x else None for x in m.groups())
    if (mo is not None and not 1 <= mo <= 12) or (d is not None and not 1 <= d <= 31):
        raise ValueError(f"date of birth {value!r} is not a valid date")
    return y, mo, d


@lru_cache(maxsize=4096)  # pycountry's lookup scans every country; errors are not cached
def normalise_country(value: str | None) -> str | None:
    """ISO 3166 alpha-3 (accepts alpha-2, alpha-3 or a name); raises ValueError if unknown."""
    if value is None or not value.strip():
        return None
    try:
        return pycountry.countries.lookup(value.strip()).alpha_3
    except LookupError:
        raise ValueError(f"nationality {value!r} is not an ISO 3166 country") from None


def name_score(a: str | NameKeys, b: str | NameKeys) -> tuple[float, list[str]]:
    """Similarity of two names in any scripts, with reasons."""
    ka = a if isinstance(a, NameKeys) else name_keys(a)
    kb = b if isinstance(b, NameKeys) else name_keys(b)
    return _name_score(ka, kb)


def _name_score(ka: NameKeys, kb: NameKeys, system: str | None = None,
                explain: bool = True) -> tuple[float, list[str]]:
    """``name_score`` on keys; ``system`` = the syllabic system if already known (see align).

    ``explain=False`` computes the very same score without building the reasons.
    """
    if ka.is_han and kb.is_han:
        return han_han(ka, kb)
    if ka.is_han:
        return han_latin(ka, kb, explain)
    if kb.is_han:
        return han_latin(kb, ka, explain)
    s, pairs, notes = align(ka.tokens, kb.tokens, system, ka.marks, kb.marks)
    if not explain:
        return s, []
    trans = [f"{k.original} transliterated from {k.script}" for k in (ka, kb) if k.script != "latin"]
    return s, trans + explain_pairs(pairs) + notes


def _name_bound(ka: NameKeys, kb: NameKeys, system: str | None = None) -> float:
    """An upper bound of ``_name_score(ka, kb, system)[0]``, several times cheaper."""
    if ka.is_han and kb.is_han:
        return han_han(ka, kb)[0]
    if ka.is_han:
        return han_latin_bound(ka, kb)
    if kb.is_han:
        return han_latin_bound(kb, ka)
    return align_bound(ka.tokens, kb.tokens, system)


def _system(qsystem: str | None, csystem: str | None) -> str | None:
    """The pair's syllabic system when both sides' are known and agree (or one has none);
    None lets ``align`` work it out (``compare.shared_system``)."""
    if qsystem is None or csystem is None or (qsystem and csystem and qsystem != csystem):
        return None
    return qsystem or csystem


def _same_full_dob(q: str | None, c: str | None) -> bool:
    dq, dc = parse_dob(q), parse_dob(c)
    return bool(dq and dc and None not in dq and dq == dc)


def _dob(q: str | None, c: str | None, s: float, why: list[str]) -> float:
    dq, dc = parse_dob(q), parse_dob(c)
    if not dq or not dc:
        return s
    if dq[0] != dc[0]:
        why.append(f"date of birth conflicts ({q} / {c})")
        return s * (DOB_YEAR_CONFLICT if abs(dq[0] - dc[0]) > 1 else 0.75)
    if None in dq[1:] or None in dc[1:]:
        why.append(f"birth year agrees ({dq[0]})")
        return s + DOB_YEAR
    if dq == dc:
        why.append(f"date of birth identical ({q})")
        return s + DOB_EXACT
    why.append(f"same birth year, day/month differ ({q} / {c})")
    return s * DOB_DAY_CONFLICT


def _nationality(q: str | None, c: str | None, s: float, why: list[str]) -> float:
    nq, nc = normalise_country(q), normalise_country(c)
    if not nq or not nc:
        return s
    if nq == nc:
        why.append(f"nationality agrees ({nq})")
        return s + NAT_SAME
    if any(nq in g and nc in g for g in _RELATED):
        why.append(f"related nationalities ({nq} / {nc})")
        return s
    why.append(f"nationality differs ({nq} / {nc})")
    return s * NAT_CONFLICT


@lru_cache(maxsize=65_536)
def _doc(value: str | None) -> str:
    return re.sub(r"[^0-9A-Z]", "", (value or "").upper())


def score(query: PersonQuery, candidate: PersonRecord, *,
          threshold: float = DEFAULT_THRESHOLD) -> MatchResult:
    """Score one person against one record (best of its names) with explanation."""
    qk = name_keys(query.name)
    names = [(n, name_keys(n), None) for n in candidate.names]
    return score_prepared(query, qk, None, candidate, names, threshold=threshold)


Prepared = tuple[str, NameKeys, str | None]  # (name as written, its keys, syllabic system)


def score_prepared(query: PersonQuery, qk: NameKeys, qsystem: str | None,
                   candidate: PersonRecord, names: list[Prepared] | tuple[Prepared, ...], *,
                   threshold: float = DEFAULT_THRESHOLD, explain: bool = True) -> MatchResult:
    """``score`` with keys already derived (the index stores them beside each entry).

    ``qsystem`` and each name's third item are ``syllabic_system(tokens)`` or None if not
    known.  ``explain=False`` returns the same score with no explanation, for screening
    many candidates before explaining the few that match.
    """
    best, best_name, why = -1.0, candidate.name, []
    same_dob = _same_full_dob(query.dob, candidate.dob)
    for n, ck, csystem in names:
        system = _system(qsystem, csystem)
        s, notes = _name_score(qk, ck, system, explain)
        if same_dob and s < HOMOPHONE_SAME_DOB and is_homophone(qk, ck):
            s = HOMOPHONE_SAME_DOB
            if explain:
                notes = [*notes, HOMOPHONE_NOTE]
        if s > best:
            best, best_name, why = s, n, notes
    base = best
    why = [f"name {query.name} ~ {best_name}: {base:.2f}", *why] if explain else []
    s = _qualify(query, candidate, base, why)
    return MatchResult(round(s, 4), s >= threshold, round(base, 4), best_name, tuple(why))


def score_bound(query: PersonQuery, qk: NameKeys, qsystem: str | None,
                candidate: PersonRecord, names: list[Prepared] | tuple[Prepared, ...],
                memo: dict | None = None) -> float:
    """An upper bound of ``score_prepared(...).score`` (before rounding): the pre-score.

    The qualifiers only add, multiply by factors below 1 or set 1.0, so they never lower
    a higher name score below a lower one's: applied to a bound of the name score they give
    a bound of the final score.  ``memo`` (one dict per query) reuses the name bound of a
    name that several entries share.
    """
    best = 0.0
    same_dob = _same_full_dob(query.dob, candidate.dob)
    for _n, ck, csystem in names:
        key = (ck.original, csystem)
        b = memo.get(key) if memo is not None else None
        if b is None:
            system = _system(qsystem, csystem)
            b = _name_bound(qk, ck, system)
            if memo is not None:
                memo[key] = b
        if same_dob and b < HOMOPHONE_SAME_DOB and is_homophone(qk, ck):
            b = HOMOPHONE_SAME_DOB
        best = max(best, b)
    return _qualify(query, candidate, best, [])


def _qualify(query: PersonQuery, candidate: PersonRecord, s: float, why: list[str]) -> float:
    """Apply date of birth, nationality, gender and document number to a name score."""
    s = _dob(query.dob, candidate.dob, s, why)
    s = _nationality(query.nationality, candidate.nationality, s, why)
    gq, gc = (query.gender or "").upper()[:1], (candidate.gender or "").upper()[:1]
    if gq and gc and gq != gc:
        why.append(f"gender differs ({gq} / {gc})")
        s *= GENDER_CONFLICT
    if query.document_number and _doc(query.document_number) and (
            _doc(query.document_number) == _doc(candidate.document_number)):
        why.append(f"document number identical ({_doc(query.document_number)}): decisive")
        s = 1.0
    return max(0.0, min(1.0, s))
