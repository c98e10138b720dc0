"""Benchmark: risk flags for 50,000 persons with a million crossings (issue 14 item 9).

SYNTHETIC data, made here with a fixed seed: 50,000 made-up persons of border villages
(a 743 pass each, valid a year from a day in 2025-2026, one in twenty-five already expired,
a stay limit of 30 days on one pass in ten; an old expired passport on one in ten), one
million crossings from January to November 2026 (round trips: day trips, stays of one to ten
days; one person in fifty with one crossing at a path, one in thirty with a crowded month),
a lodging registration for most stays (one in twenty late or missing), employment for one in
ten (a work permit for seven in ten of them, a residence permit only for the others), a
marriage for one in twenty (two in five unregistered). Flags are computed as of the end of
2026-11-30 in Asia/Shanghai.

- peer: the straightforward path, ``flags.engine.evaluate`` person by person;
- ours: ``flags.engine.evaluate_many``: the crossings of everyone as numpy columns (latest
  entry, months, undesignated points, lodging windows by one ``searchsorted``), the exact
  per-person engine run only on the persons the screen finds flagged, for their ``why``.
  Both must give the same flags (person, kind, why), checked here.
- db: ``flags.jobs.recompute_all`` end to end on a SQLite file holding the same persons: load
  every table in batches, evaluate, upsert the RiskFlag rows, notify the posts (first run:
  every flag new; second run: nothing changes). Skipped with ``--no-db``.

Times are wall-clock and CPU seconds (user + system: steadier on a shared machine); the ratio
is peer / ours. Target: everyone's flags recomputed in under 30 s.

Run: PYTHONPATH=src .venv/bin/python bench/residents_flags.py [PERSONS] [CROSSINGS] [--no-db]

Results (2 shared cores, loaded by other work; see the report of issue 14 R2):
  RESULTS_PLACEHOLDER
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bastion.residents.flags import rules as rules_mod
from bastion.residents.flags.engine import (
    CrossingFact,
    DocumentFact,
    EmploymentFact,
    Facts,
    LodgingFact,
    MarriageFact,
    PermitFact,
    evaluate,
    evaluate_many,
)

ZONE = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2026, 12, 1, tzinfo=ZONE) - timedelta(microseconds=1)
START = datetime(2026, 1, 1, tzinfo=ZONE)
SPAN_S = int((datetime(2026, 11, 30, 20, tzinfo=ZONE) - START).total_seconds())
POINTS = ("东兴", "友谊关", "凭祥", "水口", "龙邦", "平孟")


def clock() -> tuple[float, float]:
    t = os.times()
    return time.perf_counter(), t.user + t.system


def since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = clock()
    return wall - start[0], cpu - start[1]


def person(rng: random.Random, n: int, crossings: int) -> Facts:
    pid = f"P{n:06d}"
    expires = date(2026, 12, 1) + timedelta(days=rng.randrange(0, 365))  # renewed in time
    if rng.random() < 0.04:
        expires = date(2026, 1, 1) + timedelta(days=rng.randrange(0, 320))
    stay = 30 if rng.random() < 0.1 else None
    number = f"T{n:07d}"
    documents = [DocumentFact(number, "cn_vn_border_pass", expires, None, stay)]
    # (issued is left out: a renewed pass keeps the number here, so earlier crossings count)
    if rng.random() < 0.1:
        documents.append(DocumentFact(f"C{n:07d}", "passport", date(2025, 12, 31)))
    times = sorted(rng.randrange(0, SPAN_S) for _ in range(max(1, (crossings + 1) // 2)))
    if rng.random() < 1 / 30:  # a crowded month: ten day trips in one month
        month = rng.randrange(1, 11)
        times = sorted(times[:-5] + [int((datetime(2026, month, 3 + 2 * i, 7, tzinfo=ZONE)
                                          - START).total_seconds()) for i in range(5)])
    out: list[CrossingFact] = []
    lodgings: list[LodgingFact] = []
    undesignated = rng.random() < 0.02
    for i, t in enumerate(times):
        entered = (START + timedelta(seconds=t)).astimezone(UTC)  # stored UTC, as loaded
        nxt = times[i + 1] if i + 1 < len(times) else None
        day_trip = rng.random() < 0.5
        stay_s = rng.randrange(3 * 3600, 20 * 3600) if day_trip else rng.randrange(
            86400, 10 * 86400)
        if nxt is not None:
            stay_s = min(stay_s, max(60, (nxt - t) // 2))
        point = rng.choice(POINTS)
        path = undesignated and i == 0
        out.append(CrossingFact(entered, "in", not path, "念井小道" if path else point, number))
        if nxt is None and rng.random() < 0.3:
            pass  # still present
        else:
            out.append(CrossingFact(entered + timedelta(seconds=stay_s), "out", True, point,
                                    number))
        if stay_s > 24 * 3600 or nxt is None:
            r = rng.random()
            if r < 0.99:
                lodgings.append(LodgingFact(entered + timedelta(seconds=rng.randrange(
                    1800, 23 * 3600))))
            elif r < 0.995:
                lodgings.append(LodgingFact(entered + timedelta(hours=30)))
    permits, employment, marriages = [], [], []
    if rng.random() < 0.1:
        employment.append(EmploymentFact("木材厂", date(2026, 3, 1)))
        kind = "work" if rng.random() < 0.7 else "residence"
        permits.append(PermitFact(kind, date(2026, 1, 1), date(2027, 12, 31)))
    if rng.random() < 0.05:
        marriages.append(MarriageFact("李明", rng.random() >= 0.4, date(2020, 5, 1)))
    return Facts(pid, tuple(documents), tuple(out), tuple(lodgings), tuple(permits),
                 tuple(employment), tuple(marriages))


def generate(persons: int, crossings: int, seed: int = 14) -> list[Facts]:
    rng = random.Random(seed)
    each = crossings / persons
    # each person's count drawn around the mean, corrected for the rounding and for those
    # still present (no last exit), so that the total comes out near ``crossings``
    return [person(rng, n, max(2, round(rng.gauss(each + 0.55, each / 4)))) for n in range(persons)]


def write_db(facts: list[Facts]) -> str:
    """The same persons in a fresh SQLite file; its URL."""
    import tempfile

    from sqlalchemy import func, insert, select

    from bastion.core import migrate
    from bastion.core.config import get_settings
    from bastion.core.db import make_engine, make_sessionmaker
    from bastion.org import service as org
    from bastion.org.models import AgencyKind, Role
    from bastion.org.schemas import AgencyCreate, UserCreate
    from bastion.residents.crossings.models import Crossing
    from bastion.residents.models import (
        Employment,
        Lodging,
        Marriage,
        Permit,
        Resident,
        ResidentDocument,
    )

    folder = tempfile.mkdtemp(prefix="residents-bench-")
    url = f"sqlite:///{folder}/bench.db"
    os.environ["BASTION_DATABASE_URL"] = url
    get_settings.cache_clear()
    get_settings()
    start = clock()
    migrate.upgrade(url)
    sessions = make_sessionmaker(make_engine(url))
    with sessions() as session:
        command = org.create_agency(session, actor=None, data=AgencyCreate(
            code="CMD", name="指挥部", name_en="Command", kind=AgencyKind.JOINT_DEFENCE_COMMAND))
        post = org.create_agency(session, actor=None, data=AgencyCreate(
            code="POST", name="联防所", name_en="Post", kind=AgencyKind.JOINT_DEFENCE_POST,
            parent_id=command.id))
        user = org.create_user(session, actor=None, data=UserCreate(
            username="bench", display_name="Bench", agency_id=post.id, role=Role.OFFICER,
            password="correct-horse-battery"))
        session.execute(insert(Resident), [
            {"id": n + 1, "name": f.person_id, "owner_org_id": command.id,
             "created_by_id": user.id, "post_agency_id": post.id, "tlp": "green",
             "distribution": "own", "synthetic": True} for n, f in enumerate(facts)])
        session.execute(insert(ResidentDocument), [
            {"resident_id": n + 1, "doc_type": d.doc_type, "number": d.number,
             "expires": d.expires, "issued": d.issued, "stay_days": d.stay_days}
            for n, f in enumerate(facts) for d in f.documents])
        rows = [{"resident_id": n + 1, "at": c.at, "direction": c.direction,
                 "designated": c.designated, "path": "" if c.designated else c.place,
                 "doc_number": c.doc_number} for n, f in enumerate(facts) for c in f.crossings]
        for i in range(0, len(rows), 100_000):
            session.execute(insert(Crossing), rows[i:i + 100_000])
        del rows
        session.execute(insert(Lodging), [
            {"resident_id": n + 1, "registered_at": x.registered_at}
            for n, f in enumerate(facts) for x in f.lodgings])
        session.execute(insert(Permit), [
            {"resident_id": n + 1, "kind": p.kind, "valid_from": p.valid_from,
             "valid_to": p.valid_to} for n, f in enumerate(facts) for p in f.permits] or [
            {"resident_id": 1, "kind": "work", "valid_from": None, "valid_to": None}])
        employment = [{"resident_id": n + 1, "employer": e.employer, "since": e.since}
                      for n, f in enumerate(facts) for e in f.employment]
        if employment:
            session.execute(insert(Employment), employment)
        marriages = [{"resident_id": n + 1, "spouse_name": m.spouse,
                      "registered": m.registered, "since": m.since}
                     for n, f in enumerate(facts) for m in f.marriages]
        if marriages:
            session.execute(insert(Marriage), marriages)
        session.commit()
        n_crossings = session.scalar(select(func.count(Crossing.id)))
    loaded = since(start)
    print(f"db    {len(facts):,} persons, {n_crossings:,} crossings written in {loaded[0]:.1f} s")
    return url


def run_db(url: str) -> None:
    """``recompute_all`` twice on the database, in a process holding nothing else (the
    in-memory million crossings are freed first: a big heap makes every GC pass slow)."""
    from sqlalchemy import func, select

    from bastion.core.config import get_settings
    from bastion.core.db import make_engine, make_sessionmaker
    from bastion.residents.flags.jobs import recompute_all
    from bastion.residents.flags.models import RiskFlag

    settings = get_settings()
    sessions = make_sessionmaker(make_engine(url))
    for run in ("first (every flag new)", "second (nothing changes)"):
        start = clock()
        done = recompute_all(sessions, settings)
        took = since(start)
        with sessions() as session:
            stored = session.scalar(select(func.count(RiskFlag.id)))
        verdict = "PASS" if took[0] < 30 else "FAIL"
        print(f"db    recompute_all {run}: {done:,} persons in {took[0]:6.2f} s wall "
              f"{took[1]:6.2f} s cpu, {stored:,} flags stored: {verdict} (< 30 s wall)")
        if run.startswith("second"):
            ours = took
    start = clock()
    done = straightforward(sessions, settings)
    took = since(start)
    print(f"db    peer, every person's records loaded and evaluated one by one: {done:,} "
          f"persons in {took[0]:6.2f} s wall {took[1]:6.2f} s cpu")
    print(f"db    ratio peer/ours (second run): {took[0] / ours[0]:.1f}x wall, "
          f"{took[1] / max(ours[1], 1e-9):.1f}x cpu")


def straightforward(sessions, settings) -> int:
    """The peer of ``recompute_all``: the same batches, every person's records loaded as
    objects, the engine run person by person, every person's flags upserted."""
    from sqlalchemy import select

    from bastion.core.db import transaction, utcnow
    from bastion.residents.flags import service
    from bastion.residents.flags.models import RiskFlag
    from bastion.residents.models import Resident

    rules, now, after, done = rules_mod.load(settings), utcnow(), 0, 0
    zone = ZoneInfo(settings.timezone)
    while True:
        with transaction(sessions) as session:
            batch = list(session.scalars(select(Resident).where(Resident.id > after)
                                         .order_by(Resident.id).limit(5000)))
            if not batch:
                return done
            facts = service.load_facts(session, [r.id for r in batch])
            stored: dict[int, list] = {}
            for row in session.scalars(select(RiskFlag).where(
                    RiskFlag.resident_id.between(batch[0].id, batch[-1].id))):
                stored.setdefault(row.resident_id, []).append(row)
            fresh: list = []
            for resident in batch:
                service.apply(session, resident=resident, now=now, fresh_out=fresh,
                              existing=stored.get(resident.id, []),
                              flags=evaluate(facts[resident.id], as_of=now, rules=rules,
                                             zone=zone))
            after, done = batch[-1].id, done + len(batch)


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    persons = int(args[0]) if args else 50_000
    crossings = int(args[1]) if len(args) > 1 else 1_000_000
    rules = rules_mod.shipped()
    start = clock()
    facts = generate(persons, crossings)
    made = since(start)
    total = sum(len(f.crossings) for f in facts)
    print(f"generated {len(facts):,} persons, {total:,} crossings in {made[0]:.1f} s")

    start = clock()
    peer = [flag for f in facts for flag in evaluate(f, as_of=AS_OF, rules=rules, zone=ZONE)]
    peer_t = since(start)
    print(f"peer  evaluate() person by person: {peer_t[0]:6.2f} s wall {peer_t[1]:6.2f} s cpu,"
          f" {len(peer):,} flags")

    start = clock()
    ours = evaluate_many(facts, as_of=AS_OF, rules=rules, zone=ZONE)
    ours_t = since(start)
    print(f"ours  evaluate_many():             {ours_t[0]:6.2f} s wall {ours_t[1]:6.2f} s cpu,"
          f" {len(ours):,} flags")
    assert sorted((f.person_id, f.flag, repr(f.why)) for f in ours) == sorted(
        (f.person_id, f.flag, repr(f.why)) for f in peer), "the two paths disagree"
    kinds: dict[str, int] = {}
    for f in ours:
        kinds[f.flag] = kinds.get(f.flag, 0) + 1
    print("flags by kind:", ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))
    print(f"ratio peer/ours: {peer_t[0] / ours_t[0]:.1f}x wall, "
          f"{peer_t[1] / max(ours_t[1], 1e-9):.1f}x cpu")
    if "--no-db" not in argv:
        import gc

        del peer, ours
        url = write_db(facts)
        del facts
        gc.collect()
        run_db(url)


if __name__ == "__main__":
    main(sys.argv[1:])
