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
- db: ``flags.jobs.recompute_all`` end to end on a database holding the same persons (a
  SQLite file, or PostgreSQL with ``--pg``): each batch read once as columns, screened, the
  flagged persons' Facts built from those columns and evaluated, the RiskFlag rows written
  in bulk and only where they change, events and notifications for the posts. Run twice: at
  T (every flag new) and at T + 1 h (the hourly run: records unchanged, time moved on, so a
  few rows change: overstay days, lodging deadlines). Then the peer at T + 1 h: every
  person's records loaded as objects and evaluated one by one, upserted through the ORM; its
  flags must be the ones the job stored (checked here). Skipped with ``--no-db``.

Times are wall-clock and CPU seconds of this process (user + system); the ratio is peer /
ours. Target: everyone's flags recomputed in under 30 s, wall and CPU.

Run: PYTHONPATH=src .venv/bin/python bench/residents_flags.py [PERSONS] [CROSSINGS]
     [--no-db] [--db-only] [--pg | --url=URL]
(``--url`` reuses a database that already holds the persons, its flags emptied first:
writing a million crossings takes minutes; ``--pg`` empties and fills
postgresql://postgres@127.0.0.1:5432/bench_residents.)

Results, 2026-12-07, 2 cores shared with other sessions' work (load average 7-10: wall
clock is 3-5x the CPU time of anything CPU-bound, the peer's as ours), 50,000 persons,
1,039,201 crossings, 12,433 flags as of 2026-11-30 (13,490 as of the run day in the db):

  in memory  peer evaluate() one by one     8.9 s wall   2.8 s cpu
             ours evaluate_many()           7.2 s wall   2.1 s cpu   ratio 1.2x wall 1.3x cpu
  SQLite     recompute_all, every flag new (13,490 rows, events, notifications)
                                           15.4 s wall   5.0 s cpu   PASS (< 30 s)
             recompute_all, the hourly run (28 rows written)
                                           12.9 s wall   4.2 s cpu   PASS
             peer (loaded and evaluated one by one, ORM upsert)
                                           53.5 s wall  17.0 s cpu   ratio 4.1x wall 4.0x cpu
  PostgreSQL (local server, written in 141 s; load average 6)
             recompute_all, every flag new  7.1 s wall   3.8 s cpu   PASS
             recompute_all, the hourly run  5.8 s wall   3.1 s cpu   PASS (28 rows written)
             peer                          22.9 s wall  13.0 s cpu   ratio 3.9x wall 4.2x cpu
  (PostgreSQL's own work runs in its server process: not in these CPU seconds.)

Before (the first version, same machine, load 6-15): SQLite every flag new 62.2 s wall,
15.5 s CPU; hourly 28.6 s wall, 8.9 s CPU. What changed, by the profile: each flag's event
and row were flushed one by one (now one bulk insert a batch: ``core.events.emit_many``,
``core.db.insert_many``; on PostgreSQL the ids come from the sequence and the rows go in a
pipelined executemany, as psycopg re-parsed every multi-row INSERT of thousands of
parameters); every flag was rewritten each hour (``computed_at``: now compare-before-write,
so the hourly run writes only what changed); the flagged quarter's records were read a
second time, as objects (now their Facts come from the batch's columns); ``strftime`` on
every crossing of the flagged persons (now (year, month) pairs); frozen dataclasses for a
quarter of a million crossings (now named tuples); and the cyclic collector rescanning the
heap at every allocation burst of a batch (now paused for the batch).

The screen's gain in memory is small because building its columns from Facts objects costs
about what it saves; from the database it reads text and numbers straight into numpy and
builds objects only for the flagged quarter of the persons.
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


def write_db(facts: list[Facts], url: str | None = None) -> str:
    """The same persons in a fresh database (a SQLite file unless ``url`` names one: a
    PostgreSQL database is emptied first); its URL. A database already holding them is
    kept as it is (``--url`` reuses one: writing it takes minutes)."""
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

    if url is None:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='residents-bench-')}/bench.db"
    os.environ["BASTION_DATABASE_URL"] = url
    get_settings.cache_clear()
    get_settings()
    start = clock()
    if _holds(url, len(facts)):
        print(f"db    {url}: reused, it holds the {len(facts):,} persons")
        return url
    if url.startswith("postgresql"):
        _empty_pg(url)
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


def _holds(url: str, persons: int) -> bool:
    """Whether the database at ``url`` already holds the bench's persons (and no flags)."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("resident") or connection.execute(
                    text("SELECT count(*) FROM resident")).scalar() != persons:
                return False
        with engine.begin() as connection:  # start again from no flags
            for table in ("notification_recipient", "notification", "resident_flag"):
                connection.execute(text(f"DELETE FROM {table}"))
        return True
    finally:
        engine.dispose()


def _empty_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def run_db(url: str) -> None:
    """``recompute_all`` twice on the database, in a process holding nothing else (the
    in-memory million crossings are freed first: a big heap makes every GC pass slow): at T
    (every flag new) and at T + 1 h (the hourly run: records unchanged, time moved on). Then
    the peer at T + 1 h; its flags must be those stored."""
    from sqlalchemy import func, select

    from bastion.core.config import get_settings
    from bastion.core.db import make_engine, make_sessionmaker, utcnow
    from bastion.residents.flags.jobs import recompute_all
    from bastion.residents.flags.models import FlagStatus, RiskFlag

    settings = get_settings()
    sessions = make_sessionmaker(make_engine(url))
    first = utcnow().replace(microsecond=0)
    hourly = first + timedelta(hours=1)
    for run, now in (("first (every flag new)", first), ("hourly (nothing changed)", hourly)):
        start = clock()
        done = recompute_all(sessions, settings, now=now)
        took = since(start)
        with sessions() as session:
            stored = session.scalar(select(func.count(RiskFlag.id)))
            written = session.scalar(select(func.count(RiskFlag.id)).where(
                RiskFlag.computed_at == now))
        verdict = "PASS" if max(took) < 30 else "FAIL"
        print(f"db    recompute_all {run}: {done:,} persons in {took[0]:6.2f} s wall "
              f"{took[1]:6.2f} s cpu, {stored:,} flags stored, {written:,} rows written: "
              f"{verdict} (< 30 s); load average {os.getloadavg()[0]:.1f}")
    ours = took
    start = clock()
    done, flags = straightforward(sessions, settings, hourly)
    took = since(start)
    with sessions() as session:
        stored = {(r.resident_id, r.kind): r.why for r in session.execute(
            select(RiskFlag.resident_id, RiskFlag.kind, RiskFlag.why).where(
                RiskFlag.status != FlagStatus.CLEARED))}
    assert stored == flags, "the job stored other flags than the peer computes"
    print(f"db    peer, every person's records loaded and evaluated one by one: {done:,} "
          f"persons in {took[0]:6.2f} s wall {took[1]:6.2f} s cpu; the same "
          f"{len(flags):,} flags as stored")
    print(f"db    ratio peer/ours (hourly run): {took[0] / ours[0]:.1f}x wall, "
          f"{took[1] / max(ours[1], 1e-9):.1f}x cpu")


def straightforward(sessions, settings, now) -> tuple[int, dict]:
    """The peer of ``recompute_all``: the same batches, every person's records loaded as
    objects, the engine run person by person, every person's flags upserted through the ORM
    (the service's path for a few persons), one flush a batch. Returns the persons looked
    at and the flags found ((person id, kind) → why)."""
    from sqlalchemy import select

    from bastion.core.db import transaction
    from bastion.residents.flags import service, store
    from bastion.residents.flags.load import load_facts
    from bastion.residents.flags.models import RiskFlag
    from bastion.residents.models import Resident

    rules, after, done, found = rules_mod.load(settings), 0, 0, {}
    zone = ZoneInfo(settings.timezone)
    while True:
        with transaction(sessions) as session:
            batch = list(session.scalars(select(Resident).where(Resident.id > after)
                                         .order_by(Resident.id).limit(5000)))
            if not batch:
                return done, found
            facts = load_facts(session, [r.id for r in batch])
            stored: dict[int, list] = {}
            for row in session.scalars(select(RiskFlag).where(
                    RiskFlag.resident_id.between(batch[0].id, batch[-1].id))):
                stored.setdefault(row.resident_id, []).append(row)
            fresh: list = []
            cleared: list = []
            for resident in batch:
                flags = evaluate(facts[resident.id], as_of=now, rules=rules, zone=zone)
                found.update({(resident.id, f.flag): f.why for f in flags})
                service.apply(session, resident=resident, now=now, fresh_out=fresh,
                              cleared_out=cleared, existing=stored.get(resident.id, []),
                              flags=flags)
            session.flush()
            names = {r.id: r.name for r in batch}
            store.announce(session, [store.Raised(r.resident_id, names[r.resident_id], r.id,
                                                  r.kind, r.article, r.post_agency_id)
                                     for r in fresh],
                           [(r.resident_id, r.id, r.kind) for r in cleared])
            after, done = batch[-1].id, done + len(batch)


def compare_in_memory(facts: list[Facts], rules: rules_mod.Rules) -> None:
    """The two in-memory paths on the generated persons, their flags checked equal."""
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


PG = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_residents"


def option(argv: list[str], name: str) -> str | None:
    return next((a.split("=", 1)[1] for a in argv if a.startswith(name + "=")), None)


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

    if "--db-only" not in argv:
        compare_in_memory(facts, rules)
    if "--no-db" not in argv:
        import gc

        url = write_db(facts, option(argv, "--url") or (PG if "--pg" in argv else None))
        del facts
        gc.collect()
        run_db(url)


if __name__ == "__main__":
    main(sys.argv[1:])
