"""The candidate index against brute-force scoring: its speed-ups must not lose hits.

The index scores only a shortlist (blocking keys) and, within it, only the entries whose
pre-score (an upper bound of the score) reaches the threshold.  These tests compare it with
scoring every entry of a seeded sample watchlist, and check that the pre-score is a true
bound, so that a faster index cannot silently drop a match.
"""

import random
import sys
from pathlib import Path

import pytest

from bastion.screening.names import (
    DEFAULT_THRESHOLD,
    CandidateIndex,
    PersonQuery,
    PersonRecord,
    score,
)
from bastion.screening.names.compare import align, align_bound
from bastion.screening.names.keys import name_keys
from bastion.screening.names.score import score_bound, score_prepared
from bastion.screening.names.systems import syllabic_system

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from screening import Gen, typo

DATA = Path(__file__).resolve().parents[1] / "data" / "names"


def _system(name: str) -> str:
    k = name_keys(name)
    return "" if k.is_han else syllabic_system(k.tokens)


@pytest.fixture(scope="module")
def sample():
    """800 seeded watchlist names (all scripts of the bench) and 66 crew names."""
    gen, r = Gen(4242), random.Random(11)
    names = [gen.name() for _ in range(800)]
    records = [PersonRecord(n, id=str(i), dob=r.choice([None, None, "1971", "1980-05-06"]))
               for i, n in enumerate(names)]
    index = CandidateIndex()
    for rec in records:
        index.add(rec)
    other = Gen(77)
    listed = [names[r.randrange(len(names))] for _ in range(44)]
    crew = ([typo(n, r) for n in listed[:22]] + listed[22:]
            + [other.name() for _ in range(22)])
    queries = [PersonQuery(n, dob=r.choice([None, "1971", "1980-05-06"])) for n in crew]
    return records, index, queries


def test_index_top_hit_equals_brute_force(sample):
    records, index, queries = sample
    prepared = [[(n, name_keys(n), _system(n)) for n in rec.names] for rec in records]
    hits = 0
    for q in queries:
        qk, qsystem = name_keys(q.name), _system(q.name)
        # every entry scored (without explanations: same score, see the upper-bound test)
        brute = max(score_prepared(q, qk, qsystem, rec, names, explain=False).score
                    for rec, names in zip(records, prepared, strict=True))
        found = index.search(q, limit=1)
        if brute >= DEFAULT_THRESHOLD:
            hits += 1
            assert found, f"{q.name}: brute force finds a match at {brute}, the index none"
            assert found[0][1].score == brute, (q.name, found[0][0].name, found[0][1].score, brute)
        else:
            assert not found, (q.name, found)
    assert hits >= 25  # the sample really exercises hits (typos, other scripts, exact)


def test_prescore_drops_nothing_from_the_shortlist(sample):
    """search() returns exactly what fully scoring every shortlisted entry would."""
    _records, index, queries = sample
    for q in queries:
        full = []
        for slot in index.candidates(q):
            rec = index._records[slot]
            res = score(q, rec)
            if res.score >= DEFAULT_THRESHOLD:
                full.append((rec.id, res))
        got = [(rec.id, res) for rec, res in index.search(q, limit=len(full) + 1)]
        assert sorted(got, key=lambda x: x[0]) == sorted(full, key=lambda x: x[0]), q.name


def _labelled_pairs():
    import csv
    for name in ("dev-pairs.csv", "heldout-pairs.csv"):
        with (DATA / name).open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                yield (PersonQuery(row["query"], row.get("query_dob") or None,
                                   row.get("query_nationality") or None),
                       PersonRecord(row["candidate"], dob=row.get("candidate_dob") or None,
                                    nationality=row.get("candidate_nationality") or None))


def test_prescore_is_an_upper_bound(sample):
    """On the labelled pairs and on random and near pairs of the sample, bound >= score."""
    records, _index, queries = sample
    r = random.Random(5)
    pairs = list(_labelled_pairs())
    pairs += [(q, r.choice(records)) for q in queries for _ in range(20)]
    pairs += [(PersonQuery(typo(rec.name, r), dob="1971"), rec) for rec in records]
    for q, rec in pairs:
        qk = name_keys(q.name)
        names = [(n, name_keys(n), _system(n)) for n in rec.names]
        exact = score_prepared(q, qk, _system(q.name), rec, names, explain=False)
        bound = score_bound(q, qk, _system(q.name), rec, names)
        assert bound >= exact.score - 1e-4, (q.name, rec.name, bound, exact.score)
        assert exact.score == score(q, rec).score


@pytest.mark.parametrize(("a", "b"), [
    ("xiao ming wang", "wang xiaoming"), ("nguyen van duc", "nguyen van minh"),
    ("maria garcia lopez", "mario garcia"), ("j smith", "john smith"), ("a b c d", "a c"),
])
def test_align_bound_on_unit_pairs_and_extras(a, b):
    ta, tb = tuple(a.split()), tuple(b.split())
    assert align_bound(ta, tb) >= align(ta, tb)[0]
    assert align_bound(tb, ta) >= align(tb, ta)[0]
