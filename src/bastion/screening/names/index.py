"""In-memory candidate index: blocking keys → postings, IDF-weighted, then full scoring.

Why: scoring is too slow to run against 100,000 entries per traveller, and a plain fuzzy
scan misses cross-script matches altogether.  Every name (and alias) contributes its
blocking keys (``NameKeys.blocking``: phonetic forms, consonant skeletons, sorted skeletons,
prefixes, Han characters and every romanisation's reading); a query gathers the entries
sharing its rarest keys and only the best few are scored.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from .keys import NameKeys, name_keys
from .score import DEFAULT_THRESHOLD, MatchResult, PersonQuery, PersonRecord, score

MAX_DF_SHARE = 0.05  # keys in more than 5 % of entries (NGUYEN, WANG, VAN) do not block
SHORTLIST = 20  # at most this many entries are fully scored per query
MIN_SHARE = 0.3  # ... and only those sharing this share of the query's key weight


class CandidateIndex:
    """Add, remove and search person records by name in any script."""

    def __init__(self) -> None:
        self._records: list[PersonRecord | None] = []
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
        self._records.append(record)
        self._by_id[rid] = slot
        self._live += 1
        if _doc_key(record.document_number):
            self._docs[_doc_key(record.document_number)].append(slot)
        keys = keys or [name_keys(n) for n in record.names]
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
        n = max(len(self._records), 1)
        ids, weights, common = [], [], []
        for key in name_keys(query.name).blocking:
            arr = self._array(key)
            if arr is None or not len(arr):
                continue
            if len(arr) > MAX_DF_SHARE * n:
                common.append(arr)  # NGUYEN, WANG, VAN: used only if nothing rarer is shared
                continue
            idf = math.log(n / len(arr))
            ids.append(arr)
            weights.append(np.full(len(arr), idf, dtype=np.float32))
        if not ids and common:
            ids = common
            weights = [np.ones(len(a), dtype=np.float32) for a in common]
        if not ids:
            return []
        all_ids = np.concatenate(ids)
        totals = np.bincount(all_ids, weights=np.concatenate(weights), minlength=n)
        k = min(limit, int(np.count_nonzero(totals)))
        if k == 0:
            return []
        top = np.argpartition(-totals, k - 1)[:k]
        top = top[np.argsort(-totals[top])]
        floor = max(MIN_SHARE * sum(float(w[0]) for w in weights), 0.5 * float(totals[top[0]]))
        return [int(i) for i in top if totals[i] >= floor]

    def search(self, query: PersonQuery, limit: int = 10,
               threshold: float = DEFAULT_THRESHOLD) -> list[tuple[PersonRecord, MatchResult]]:
        """Records scoring at least ``threshold``, best first."""
        # an identical document number is decisive: never leave it to name blocking
        extra = self._docs.get(_doc_key(query.document_number), []) if query.document_number else []
        out = []
        for slot in dict.fromkeys([*extra, *self.candidates(query)]):
            rec = self._records[slot]
            if rec is None:
                continue
            res = score(query, rec, threshold=threshold)
            if res.score >= threshold:
                out.append((rec, res))
        out.sort(key=lambda x: -x[1].score)
        return out[:limit]


def _doc_key(value: str | None) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())
