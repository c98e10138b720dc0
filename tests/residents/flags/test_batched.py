"""The batched path (``engine.evaluate_many``: numpy screen, exact engine on the hits) gives
the same flags as the engine person by person, on made-up persons with every kind of record
and edge (the benchmark's generator, small), and on persons with nothing at all."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bastion.residents.flags import rules as rules_mod
from bastion.residents.flags.engine import Facts, evaluate, evaluate_many

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
import residents_flags as bench

RULES = rules_mod.shipped()


def _same(facts, as_of, zone, rules=RULES):
    peer = [f for x in facts for f in evaluate(x, as_of=as_of, rules=rules, zone=zone)]
    ours = evaluate_many(facts, as_of=as_of, rules=rules, zone=zone)
    assert sorted((f.person_id, f.flag, repr(f.why)) for f in ours) == sorted(
        (f.person_id, f.flag, repr(f.why)) for f in peer)
    return ours


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_flags_as_person_by_person(seed):
    import random

    rng = random.Random(seed)
    facts = [bench.person(rng, n, rng.randrange(2, 40)) for n in range(300)]
    flags = _same(facts, bench.AS_OF, bench.ZONE)
    assert {f.flag for f in flags} == set(rules_mod.KINDS)  # every kind occurs
    for as_of in (datetime(2026, 6, 1, tzinfo=UTC), datetime(2027, 3, 1, tzinfo=UTC)):
        _same(facts, as_of, bench.ZONE)
    strict = rules_mod.load(type("S", (), {"frequent_crossings": 3, "lodging_hours": 6})())
    _same(facts, bench.AS_OF, bench.ZONE, strict)
    _same(facts, bench.AS_OF, ZoneInfo("America/New_York"))  # a zone with summer time


def test_nothing_and_no_one():
    assert evaluate_many([], as_of=bench.AS_OF, rules=RULES, zone=bench.ZONE) == []
    assert _same([Facts("a"), Facts("b")], bench.AS_OF, bench.ZONE) == []
