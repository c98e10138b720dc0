"""In-memory candidate index: blocking keys → postings, IDF-weighted, then full scoring.

Why: scoring is too slow to run against 100,000 entries per traveller, and a plain fuzzy
scan misses cross-script matches altogether.  Every name (and alias) contributes its
blocking keys (``NameKeys.blocking``: phonetic forms, consonant skeletons, sorted skeletons,
prefixes, Han characters and every romanisation's reading); a query gathers the entries
sharing its rarest keys and only the best few are scored.

Each entry's keys (and the syllabic system of its tokens) are stored beside it, so a query
derives only its own keys.  Shortlisted entries first get a cheap pre-score that is an upper
bound of the full score (``score_bound``); only those that could reach the threshold are
scored, so the pre-score saves time without ever dropping a hit.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from .keys import NameKeys, name_keys
from .score import (
    DEFAULT_THRESHOLD,
    MatchResult,
    PersonQuery,
    PersonRecord,
    Prepared,
    score_bound,
    score_prepared,
)
from .systems import syllabic_system

MAX_DF_SHARE = 0.05  # keys in more than 5 % of entries (NGUYEN, WANG, VAN) do not block
SHORTLIST = 20  # at most this many entries are fully scored per query
MIN_SHARE = 0.3  # ... and only those sharing this share of the query's key weight
# Scores are rounded to 4 places before the threshold test; a pre-score this far below the
# threshold cannot round up to it, float error in the bound included.
BOUND_MARGIN = 1e-4


class CandidateIndex:
    """Add, remove and search person records by name in any script."""

    def __init__(self) -> None:
        self._records: list[PersonRecord | None] = []
        self._names: list[tuple[Prepared, ...]] = []  # per slot: (name, keys, syllabic system)
        self._by_id: dict[str, int] = {}
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._arrays: dict[str, np.ndarray] = {}
        self._docs: dict[str, list[int]] = defaultdict(list)
        self._live = 0

    def __len__(self) -> int:
        return self._live

    def add(self, record: PersonRecord, keys: list[NameKeys] | None = None) -> str:
        """Index a record (its name and aliases); stored keys may be passed to skip derivation."""
        rid = record.id if record.id is not None else str(len(self._records))
        if rid in self._by_id:
            self.remove(rid)
        slot = len(self._records)
        keys = keys or [name_keys(n) for n in record.names]
        self._records.append(record)
        self._names.append(tuple((n, k, _system(k)) for n, k in zip(record.names, keys, strict=True)))
        self._by_id[rid] = slot
        self._live += 1
        if _doc_key(record.document_number):
            self._docs[_doc_key(record.document_number)].append(slot)
        for key in {k for nk in keys for k in nk.blocking}:
            self._postings[key].append(slot)
            self._arrays.pop(key, None)
        return rid

    def remove(self, record_id: str) -> bool:
        """Drop a record; its postings are skipped until they are rebuilt lazily."""
        slot = self._by_id.pop(record_id, None)
        if slot is None:
            return False
        self._records[slot] = None
        self._names[slot] = ()
        self._live -= 1
        return True

    def _array(self, key: str) -> np.ndarray | None:
        arr = self._arrays.get(key)
        if arr is None:
            plist = self._postings.get(key)
            if not plist:
                return None
            arr = self._arrays[key] = np.fromiter(
                (s for s in plist if self._records[s] is not None), dtype=np.int32)
        return arr

    def candidates(self, query: PersonQuery, limit: int = SHORTLIST) -> list[int]:
        """Slots of the entries sharing the most (IDF-weighted) blocking keys with the query."""
        return self._candidates(name_keys(query.name), limit)

    def _candidates(self, qk: NameKeys, limit: int = SHORTLIST) -> list[int]:
        n = max(len(self._records), 1)
        ids, idfs, common = [], [], []
        for key in qk.blocking:
            arr = self._array(key)
            if arr is None or not len(arr):
                continue
            if len(arr) > MAX_DF_SHARE * n:
                common.append(arr)  # NGUYEN, WANG, VAN: used only if nothing rarer is shared
                continue
            ids.append(arr)
            idfs.append(math.log(n / len(arr)))
        if not ids and common:
            ids = common
            idfs = [1.0] * len(common)
        if not ids:
            return []
        all_ids = np.concatenate(ids)
        idf32 = np.asarray(idfs, dtype=np.float32)
        totals = np.bincount(all_ids, weights=np.repeat(idf32, [len(a) for a in ids]), minlength=n)
        # only entries sharing a key can pass the floor: select among those, never all n
        shared = totals[all_ids]
        floor = max(MIN_SHARE * sum(map(float, idf32)), 0.5 * float(shared.max()))
        top = np.unique(all_ids[shared >= floor])
        # best totals first, ties by slot; keep the ``limit`` best
        return top[np.argsort(-totals[top], kind="stable")[:limit]].tolist()

    def search(self, query: PersonQuery, limit: int = 10,
               threshold: float = DEFAULT_THRESHOLD) -> list[tuple[PersonRecord, MatchResult]]:
        """Records scoring at least ``threshold``, best first."""
        qk = name_keys(query.name)
        qsystem = _system(qk)
        # an identical document number is decisive: never leave it to name blocking
        extra = self._docs.get(_doc_key(query.document_number), []) if query.document_number else []
        out, memo = [], {}
        for slot in dict.fromkeys([*extra, *self._candidates(qk)]):
            rec = self._records[slot]
            if rec is None:
                continue
            names = self._names[slot]
            # pre-score: an upper bound of the score, from the token similarities alone;
            # only candidates that could reach the threshold are scored (and explained)
            if score_bound(query, qk, qsystem, rec, names, memo) < threshold - BOUND_MARGIN:
                continue
            res = score_prepared(query, qk, qsystem, rec, names, threshold=threshold)
            if res.score >= threshold:
                out.append((rec, res))
        out.sort(key=lambda x: -x[1].score)
        return out[:limit]


def _system(keys: NameKeys) -> str:
    """Syllabic system of a Latin name's tokens (Han names are matched by their slots)."""
    return "" if keys.is_han else syllabic_system(keys.tokens)


def _doc_key(value: str | None) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())
