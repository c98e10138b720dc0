"""A candidate index over stored blocking keys, for registers of people whose names are
written in several scripts at once (a foreign resident: Nguyễn Văn An, NGUYEN VAN AN, 阮文安).

``CandidateIndex`` derives every name's keys when an entry is added; a register of 50,000
people loaded from the database already holds their blocking keys (``Resident.name_keys``),
so this index takes those and derives a name's full keys only when the entry is shortlisted
by a query (``keys.name_keys`` is cached). Scoring is the screening matcher's
(``score.score_prepared``, whose Han ↔ Latin comparison reads Hán-Việt too), plus one rule
for two Han spellings of one Vietnamese name (``hanvietmatch.han_han``: 阮文英 / 阮文瑛).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .hanvietmatch import han_han as hanviet_han_han
from .index import BOUND_MARGIN, CandidateIndex
from .index import _system as syllabic_system_of
from .keys import NameKeys, name_keys
from .score import MatchResult, PersonQuery, PersonRecord, _qualify, score_bound, score_prepared


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
            self._postings[key].append(slot)
            self._arrays.pop(key, None)
        return rid

    def _prepared(self, slot: int):
        names = self._names[slot]
        rec = self._records[slot]
        if not names and rec is not None:
            names = self._names[slot] = tuple(
                (n, k, syllabic_system_of(k)) for n in dict.fromkeys(rec.names) if n.strip()
                for k in (name_keys(n),))
        return names

    def shortlist(self, query_name: str, limit: int) -> list[str]:
        """Ids of the entries sharing the most (IDF-weighted) keys with the name, best first."""
        slots = self._candidates(name_keys(query_name), limit)
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
            rec, names = self._records[slot], self._prepared(slot)
            res = _score(query, qk, qsystem, rec, names, threshold, memo)
            if res is not None and res.score >= threshold:
                out.append((rec, res))
        out.sort(key=lambda x: -x[1].score)
        return out

    def search(self, query: PersonQuery, limit: int = 10, threshold: float = 0.8
               ) -> list[tuple[PersonRecord, MatchResult]]:
        return self.score_ids(query, self.shortlist(query.name, max(limit, 20)), threshold)[:limit]


def person_score(query: PersonQuery, record: PersonRecord, threshold: float = 0.8
                 ) -> MatchResult:
    """One person against one record as the index scores them (no pre-score)."""
    qk = name_keys(query.name)
    names = tuple((n, k, syllabic_system_of(k)) for n in dict.fromkeys(record.names)
                  if n.strip() for k in (name_keys(n),))
    res = _score(query, qk, syllabic_system_of(qk), record, names, -1.0, {})
    return res if res is not None else MatchResult(0.0, False, 0.0, record.name)


def _score(query: PersonQuery, qk: NameKeys, qsystem: str, rec: PersonRecord, names,
           threshold: float, memo: dict) -> MatchResult | None:
    """The better of the screening score (skipped when its bound cannot reach the threshold)
    and the Han ↔ Han Hán-Việt rule; None when neither can reach it."""
    res = _same_reading(query, qk, rec, names, threshold)
    if score_bound(query, qk, qsystem, rec, names, memo) >= threshold - BOUND_MARGIN:
        full = score_prepared(query, qk, qsystem, rec, names, threshold=max(threshold, 0.0))
        if res is None or full.score >= res.score:
            res = full
    return res


def _same_reading(query: PersonQuery, qk: NameKeys, rec: PersonRecord, names,
                  threshold: float) -> MatchResult | None:
    """Two Han spellings with one Hán-Việt reading: scored here (the screening matcher
    alone calls them different characters)."""
    if not qk.is_han:
        return None
    for n, ck, _ in names:
        if ck.is_han:
            s, notes = hanviet_han_han(qk, ck)
            if s:
                why = [f"name {query.name} ~ {n}: {s:.2f}", *notes]
                final = _qualify(query, rec, s, why)
                return MatchResult(round(final, 4), final >= threshold, round(s, 4), n,
                                   tuple(why))
    return None


__all__ = ["StoredKeysIndex", "blocking_keys", "person_score"]
