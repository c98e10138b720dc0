"""A candidate index over stored blocking keys, for registers of people whose names are
written in several scripts at once (a foreign resident: Nguyễn Văn An, NGUYEN VAN AN, 阮文安).

``CandidateIndex`` derives every name's keys when an entry is added; a register of 50,000
people loaded from the database already holds their blocking keys (``Resident.name_keys``),
so this index takes those and derives a name's full keys only when the entry is shortlisted
by a query (``keys.name_keys`` is cached). Scoring is the screening matcher's
(``score``'s name score, whose Han ↔ Latin comparison reads Hán-Việt too), plus one rule
for two Han spellings of one Vietnamese name (``hanvietmatch.han_han``: 阮文英 / 阮文瑛).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import zip_longest

import numpy as np

from . import hanviet
from .hanmatch import is_homophone
from .hanvietmatch import han_han as hanviet_han_han
from .index import CandidateIndex
from .index import _system as syllabic_system_of
from .keys import NameKeys, name_keys
from .score import (
    HOMOPHONE_SAME_DOB,
    MatchResult,
    PersonQuery,
    PersonRecord,
    _name_score,
    _qualify,
    _same_full_dob,
    _system,
)


def blocking_keys(names: Iterable[str]) -> list[str]:
    """The blocking keys of a person's names, sorted: what a register stores per person."""
    out: set[str] = set()
    for n in names:
        if n and n.strip():
            out.update(name_keys(n).blocking)
    return sorted(out)


class StoredKeysIndex(CandidateIndex):
    """``CandidateIndex`` fed with stored blocking keys; full keys derived on demand."""

    def add_stored(self, record: PersonRecord, blocking: Sequence[str]) -> str:
        rid = record.id if record.id is not None else str(len(self._records))
        if rid in self._by_id:
            self.remove(rid)
        slot = len(self._records)
        self._records.append(record)
        self._names.append(())  # derived when first shortlisted
        self._by_id[rid] = slot
        self._live += 1
        for key in set(blocking or blocking_keys(record.names)):
            plist = self._postings.get(key)
            if plist is None:  # a key loaded by ``add_many`` has its array only
                built = self._arrays.get(key)
                plist = self._postings[key] = [] if built is None else built.tolist()
            plist.append(slot)
            self._arrays.pop(key, None)
        return rid

    def add_many(self, records: Sequence[PersonRecord],
                 blockings: Sequence[Sequence[str]]) -> None:
        """``add_stored`` for many at once (a register loaded at start-up, a big import): the
        postings built with numpy (one sort of every (key, entry) pair) rather than a list
        append per key and entry; 50,000 persons with 60 keys each in about a second."""
        for rec in records:
            if rec.id is not None and rec.id in self._by_id:
                self.remove(rec.id)
        start = len(self._records)
        vocab: dict[str, int] = {}
        codes: list[int] = []
        counts: list[int] = []
        for rec, keys in zip(records, blockings, strict=True):
            unique = dict.fromkeys(keys or blocking_keys(rec.names))
            counts.append(len(unique))
            codes += [vocab.setdefault(k, len(vocab)) for k in unique]
        # records first, then their ids, then the postings: a search in another thread
        # never meets a slot it cannot read
        self._records.extend(records)
        self._names.extend([()] * len(records))
        for n, rec in enumerate(records):
            self._by_id[rec.id if rec.id is not None else str(start + n)] = start + n
        self._live += len(records)
        if not codes:
            return
        code = np.asarray(codes, dtype=np.int64)
        slots = np.repeat(np.arange(start, start + len(records), dtype=np.int32), counts)
        order = np.argsort(code, kind="stable")  # by key, then slot
        slots = slots[order]
        bounds = np.concatenate(([0], np.cumsum(np.bincount(code, minlength=len(vocab)))))
        for key, k in vocab.items():
            new = slots[bounds[k]:bounds[k + 1]]
            plist = self._postings.get(key)
            if plist is not None:  # a key appended to one by one: keep its list whole
                plist.extend(new.tolist())
                self._arrays.pop(key, None)
                continue
            old = self._arrays.get(key)
            self._arrays[key] = new if old is None else np.concatenate((old, new))

    def compact(self) -> None:
        """Build every posting array now (after a bulk load), not at a query's first use."""
        live = np.fromiter((r is not None for r in self._records), dtype=bool,
                           count=len(self._records))
        for key, plist in self._postings.items():
            if key not in self._arrays:
                arr = np.asarray(plist, dtype=np.int32)
                self._arrays[key] = arr[live[arr]] if len(arr) else arr

    def _prepared(self, slot: int):
        names = self._names[slot]
        rec = self._records[slot]
        if not names and rec is not None:
            names = self._names[slot] = tuple(
                (n, k, syllabic_system_of(k)) for n in dict.fromkeys(rec.names) if n.strip()
                for k in (name_keys(n),))
        return names

    def shortlist(self, query_name: str, limit: int) -> list[str]:
        """Ids of the entries sharing the most (IDF-weighted) keys with the name, best first.

        A name in characters is also looked up by its Hán-Việt reading written out: among a
        register of Vietnamese names its pinyin and Cantonese keys share little, and their
        weight would keep a person stored only as NGUYEN VAN AN under the bar for 阮文安."""
        qk = name_keys(query_name)
        lists = [self._candidates(qk, limit)]
        reading = hanviet.reading(qk.han_simplified) if qk.is_han else ""
        if reading:
            lists.append(self._candidates(name_keys(reading), limit))
        slots = list(dict.fromkeys(s for group in zip_longest(*lists) for s in group
                                   if s is not None))[:limit]
        return [self._records[s].id for s in slots if self._records[s] is not None]

    def score_ids(self, query: PersonQuery, ids: Iterable[str], threshold: float
                  ) -> list[tuple[PersonRecord, MatchResult]]:
        """Score the given entries against the query; those reaching ``threshold``, best first."""
        qk = name_keys(query.name)
        qsystem = syllabic_system_of(qk)
        out, memo = [], {}
        for rid in ids:
            slot = self._by_id.get(rid)
            if slot is None or self._records[slot] is None:
                continue
            rec = self._records[slot]
            # the qualifiers applied to a perfect name: a birth year that differs caps the
            # score below the bar, whatever the name (and costs no name comparison)
            if _qualify(query, rec, 1.0, []) < threshold:
                continue
            res = _score(query, qk, qsystem, rec, self._prepared(slot), threshold, memo)
            if res.score >= threshold:
                out.append((rec, res))
        out.sort(key=lambda x: -x[1].score)
        return out

    def search(self, query: PersonQuery, limit: int = 10, threshold: float = 0.8
               ) -> list[tuple[PersonRecord, MatchResult]]:
        return self.score_ids(query, self.shortlist(query.name, max(limit, 20)), threshold)[:limit]


def person_score(query: PersonQuery, record: PersonRecord, threshold: float = 0.8
                 ) -> MatchResult:
    """One person against one record as the index scores them."""
    qk = name_keys(query.name)
    names = tuple((n, k, syllabic_system_of(k)) for n in dict.fromkeys(record.names)
                  if n.strip() for k in (name_keys(n),))
    return _score(query, qk, syllabic_system_of(qk), record, names, threshold, {})


def _name(qk: NameKeys, ck: NameKeys, system: str | None) -> float:
    """The screening matcher's name score, or the Hán-Việt rule for two Han spellings."""
    s = _name_score(qk, ck, system, explain=False)[0]
    if qk.is_han and ck.is_han:
        s = max(s, hanviet_han_han(qk, ck)[0])
    return s


def _score(query: PersonQuery, qk: NameKeys, qsystem: str, rec: PersonRecord, names,
           threshold: float, memo: dict) -> MatchResult:
    """``score.score_prepared`` without the explanation (the registry words its own reasons)
    and with the name scores kept in ``memo`` (one per query): a register holds many people
    of one name (NGUYEN VAN AN), told apart by their dates of birth."""
    best, best_name = -1.0, rec.name
    same_dob = _same_full_dob(query.dob, rec.dob)
    for n, ck, csystem in names:
        key = (n, csystem)
        s = memo.get(key)
        if s is None:
            s = memo[key] = _name(qk, ck, _system(qsystem, csystem))
        if same_dob and s < HOMOPHONE_SAME_DOB and is_homophone(qk, ck):
            s = HOMOPHONE_SAME_DOB
        if s > best:
            best, best_name = s, n
    final = _qualify(query, rec, best, [])
    return MatchResult(round(final, 4), final >= threshold, round(best, 4), best_name, ())


__all__ = ["StoredKeysIndex", "blocking_keys", "person_score"]
