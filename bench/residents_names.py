"""Name search across scripts over 50,000 residents (issue 14, item 9): p95 under 50 ms,
beside a plain rapidfuzz scan of the same names in the same run; and, with ``--quality``, the
labelled cross-script pairs beside OpenSanctions' logic-v2.

    .venv/bin/python bench/residents_names.py [--size 50000] [--queries 300] [--db] [--quality]

Builds a seeded register of Vietnamese residents (surnames weighted as in Lê Trung Hoa 2005,
middle names Văn/Thị/..., one or two given syllables), each stored the way a post registers
people: in Vietnamese with diacritics, in Latin capitals, in Chinese characters (the Hán-Việt
transcription) or a mix. Their keys are derived once (``residents.names.keys``, what
``Resident.name_keys`` stores) and the index is built from the stored keys. Queries are
written in another script than the person is stored in where possible (characters for a
person stored in Vietnamese, Vietnamese for one stored in characters, capitals without
diacritics ...). Per query: the index's shortlist and the scoring of up to 40 shortlisted
persons, as ``residents.names.similar`` / ``search`` do (less the database's visibility check;
``--db`` runs ``names.search`` itself against SQLite with all persons, end to end).

The peer is ``rapidfuzz.process.extract`` (token-sort ratio, limit 20) over the persons' Latin
names folded to ASCII: a plain scan, which cannot find a name written in characters at all.

``--db`` (``--pg [URL]`` for PostgreSQL, default bench_residents, emptied first) builds the
index as the server does, by the keeper at start-up (``residents.nameindex.refresh``), then
times the first search, a person registered by another process (a second engine) searched
for in characters, and 200 searches and duplicate checks end to end.

Results, 2026-12-07, 2 cores shared with other sessions' work, 50,000 persons:

  index only (300 queries, load 4.8)    search p95 28.0 ms wall 14.6 ms CPU, rapidfuzz scan
                                        47.1 / 18.2 ms; found by name 85 %, with the date
                                        of birth 99 % (the scan: 27 %)
  SQLite (load 5.1)      keeper's first build 3.2 s wall 3.1 s CPU; first search 17 ms;
                         registered elsewhere: found, 47 ms
                         names.search  p95 32.5 ms wall 20.0 ms CPU (median 17.8 / 12.7)
                         names.similar p95 12.6 ms wall  7.8 ms CPU
  PostgreSQL (load 5.8)  keeper's first build 6.6 s wall 3.2 s CPU; first search 36 ms;
                         registered elsewhere: found, 59 ms
                         names.search  p95 60.5 ms wall 25.2 ms CPU (median 33.5 / 16.1)
                         names.similar p95 31.4 ms wall 11.4 ms CPU

Before the keeper, the first search built the index (13 s at 50,000 on SQLite). On
PostgreSQL the wall p95 is over the 50 ms aim at a load of 6 while the CPU p95 is half of
it: the visibility and persons queries take 2 ms each of a 17 ms median search measured
alone; the tail is the two shared cores.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from rapidfuzz import fuzz, process

from bastion.residents import names
from bastion.screening.names import PersonQuery, PersonRecord, hanviet
from bastion.screening.names.hanvietindex import StoredKeysIndex, person_score
from bastion.screening.names.normalize import fold

# (surname, weight %) after Lê Trung Hoa, "Họ và tên người Việt Nam" (2005)
SURNAMES = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 5), ("Phan", 4.5),
            ("Vũ", 3.9), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3),
            ("Dương", 1), ("Lý", 0.5), ("Đinh", 0.9), ("Lâm", 0.6), ("Mai", 0.6), ("Trịnh", 0.6),
            ("Đào", 0.6), ("Cao", 0.5), ("Lương", 0.5), ("Hà", 0.5), ("Nông", 0.4), ("Bế", 0.2)]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Công"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Minh"]
GIVEN = ["An", "Anh", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Hưng", "Hiếu", "Hoa",
         "Hòa", "Hồng", "Hương", "Huy", "Khánh", "Lan", "Long", "Mai", "Minh", "Nam", "Nga",
         "Ngọc", "Nghĩa", "Phúc", "Phương", "Quang", "Sơn", "Tâm", "Thắng", "Thành", "Thanh",
         "Thu", "Thủy", "Trung", "Tuấn", "Tuyết", "Vân", "Xuân", "Yến", "Trinh", "Hiền",
         "Lộc", "Tài", "Trang", "Vinh", "Bảo", "Kiên", "Quý", "Tú"]


def _han_of() -> dict[str, str]:
    """Quốc ngữ syllable → a character read so (the names table, first character wins)."""
    path = Path(hanviet.__file__).parent / "data" / "hanviet-names.txt"
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            ch, _, readings = line.partition("\t")
            for r in readings.split(","):
                out.setdefault(hanviet.canonical(r), ch)
    return out


def register(size: int, seed: int = 14) -> list[dict]:
    rng = random.Random(seed)
    han_of = _han_of()
    surnames, weights = zip(*SURNAMES, strict=True)
    people = []
    for i in range(size):
        female = rng.random() < 0.5
        parts = [rng.choices(surnames, weights)[0],
                 rng.choice(MIDDLE_F if female else MIDDLE_M),
                 *rng.sample(GIVEN, 2 if rng.random() < 0.3 else 1)]
        vi = " ".join(parts)
        chars = [han_of.get(hanviet.canonical(p.lower())) for p in parts]
        han = "".join(chars) if all(chars) else ""
        latin = fold(vi).upper()
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
        r = rng.random()
        stored = (("vi", "latin", "han") if r < 0.4 else ("vi",) if r < 0.65
                  else ("han", "latin") if r < 0.8 else ("vi", "latin"))
        if not han:
            stored = tuple(s for s in stored if s != "han") or ("vi",)
        people.append({"id": str(i + 1), "vi": vi, "latin": latin, "han": han, "born": born,
                       "stored": stored})
    return people


def stored_names(p: dict) -> tuple[str, str, str]:
    name = p["vi"] if "vi" in p["stored"] else p["han"]
    latin = p["latin"] if "latin" in p["stored"] else ""
    han = p["han"] if "han" in p["stored"] and name != p["han"] else ""
    return name, latin, han


def query_for(p: dict, rng: random.Random) -> tuple[str, str]:
    """A spelling of the person in another script than stored, where there is one."""
    options = []
    if p["han"] and "han" not in p["stored"]:
        options.append(("han→vi", p["han"]))
    if "vi" not in p["stored"]:
        options.append(("vi→han", p["vi"]))
    if "latin" not in p["stored"]:
        options.append(("ascii→vi", p["latin"].title()))
    options.append(("vi", p["vi"]))
    return rng.choice(options)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def bench_index(people: list[dict], n_queries: int) -> list[list[str]]:
    t0 = time.perf_counter()
    keys = [names.keys(*stored_names(p)[:1], name_latin=stored_names(p)[1],
                       name_han=stored_names(p)[2]) for p in people]
    t_keys = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = StoredKeysIndex()
    records = []
    for p in people:
        name, latin, han = stored_names(p)
        records.append(PersonRecord(name=name, aliases=tuple(x for x in (latin, han) if x),
                                    dob=p["born"].isoformat(), id=p["id"]))
    index.add_many(records, keys)
    index.compact()
    t_index = time.perf_counter() - t0
    print(f"{len(people)} persons: keys {t_keys:.1f} s ({sum(map(len, keys)) / len(keys):.0f} "
          f"per person), index from stored keys {t_index:.1f} s")

    rng = random.Random(7)
    sample = rng.sample(people, n_queries)
    queries = [(p, *query_for(p, rng)) for p in sample]
    choices = [fold(" ".join(x for x in stored_names(p)[:2] if x and not any(
        "\u4e00" <= c <= "\u9fff" for c in x))) for p in people]
    ids = [p["id"] for p in people]

    def ours(q: str, dob: str | None) -> list[str]:
        short = index.shortlist(q, names.SHORTLIST)[:names.SHORTLIST if dob else names.SCORED]
        return [r.id for r, _ in index.score_ids(PersonQuery(q, dob), short,
                                                 names.SEARCH_THRESHOLD)][:20]

    def peer(q: str) -> list[str]:
        return [ids[i] for _, _, i in process.extract(fold(q), choices, scorer=fuzz.token_sort_ratio,
                                                      limit=20)]

    for q in ("Nguyễn Văn An", "阮文安"):  # warm the caches once
        ours(q, None)
        peer(q)
    gc.collect()
    gc.freeze()  # the index is long-lived: keep the collector from walking it in the timings
    rows = []
    clock = time.thread_time  # CPU time of this thread: the machine may be shared
    for p, kind, q in queries:
        t0, c0 = time.perf_counter(), clock()
        got = ours(q, p["born"].isoformat())
        t1, c1 = time.perf_counter(), clock()
        got_name_only = ours(q, None)
        t2, c2 = time.perf_counter(), clock()
        pg = peer(q)
        t3, c3 = time.perf_counter(), clock()
        rows.append({"kind": kind, "ours_ms": (t1 - t0) * 1000, "search_ms": (t2 - t1) * 1000,
                     "peer_ms": (t3 - t2) * 1000, "ours_cpu": (c1 - c0) * 1000,
                     "search_cpu": (c2 - c1) * 1000, "peer_cpu": (c3 - c2) * 1000,
                     "ours_hit": p["id"] in got,
                     "search_hit": p["id"] in got_name_only, "peer_hit": p["id"] in pg})
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_kind[r["kind"]].append(r)
        by_kind["all"].append(r)
    print(f"\n{'queries':<10}{'n':>5}  {'similar p95':>11} {'search p95':>11} {'peer p95':>9}"
          f"  {'found (dob)':>11} {'found (name)':>12} {'peer found':>10}")
    for kind, rs in sorted(by_kind.items()):
        print(f"{kind:<10}{len(rs):>5}  {percentile([r['ours_ms'] for r in rs], .95):>9.1f}ms "
              f"{percentile([r['search_ms'] for r in rs], .95):>9.1f}ms "
              f"{percentile([r['peer_ms'] for r in rs], .95):>7.1f}ms"
              f"  {sum(r['ours_hit'] for r in rs) / len(rs):>11.0%} "
              f"{sum(r['search_hit'] for r in rs) / len(rs):>12.0%} "
              f"{sum(r['peer_hit'] for r in rs) / len(rs):>10.0%}")
    for label, ours_key, peer_key in (("wall", "search_ms", "peer_ms"),
                                      ("CPU", "search_cpu", "peer_cpu")):
        ours95 = percentile([r[ours_key] for r in rows], .95)
        peer95 = percentile([r[peer_key] for r in rows], .95)
        sim95 = percentile([r[ours_key.replace("search", "ours")] for r in rows], .95)
        print(f"\n{label}: name search p95 {ours95:.1f} ms (target < 50 ms), median "
              f"{statistics.median(r[ours_key] for r in rows):.1f} ms; duplicate check with "
              f"date of birth p95 {sim95:.1f} ms; rapidfuzz scan p95 {peer95:.1f} ms: "
              f"ratio {ours95 / peer95:.2f}")
    print(f"load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("'found (name)': the person among the 20 best by name alone (many share a name: "
          "Nguyễn Văn An ...); 'found (dob)': with the date of birth, as at registration.")
    return keys


def bench_db(people: list[dict], keys: list[list[str]], n_queries: int,
             pg: str | None = None) -> None:
    """names.search itself, end to end: a database built by the migrations (SQLite, or the
    PostgreSQL database ``pg``, emptied first), every person inserted with keys. The index is
    built as the server builds it, by the keeper at start-up (``nameindex.refresh``), never
    by a search; then a person registered by another process (a second engine) must be
    found by the next search."""
    from sqlalchemy import insert
    from sqlalchemy.orm import Session, sessionmaker

    from bastion.core import migrate
    from bastion.core.db import make_engine
    from bastion.core.marking import TLP, Distribution
    from bastion.org import service as org
    from bastion.org.models import AgencyKind, Role
    from bastion.org.schemas import AgencyCreate, UserCreate
    from bastion.residents import nameindex
    from bastion.residents.models import Resident

    with tempfile.TemporaryDirectory() as tmp:
        url = pg or f"sqlite:///{tmp}/bench.db"
        if pg:
            sys.path.insert(0, str(Path(__file__).parent))
            from residents_flags import _empty_pg

            _empty_pg(pg)
        migrate.upgrade(url)
        engine, elsewhere = make_engine(url), make_engine(url)
        with Session(engine) as session:
            command = org.create_agency(session, actor=None, data=AgencyCreate(
                code="JDC", name="Command", name_en="Command",
                kind=AgencyKind.JOINT_DEFENCE_COMMAND))
            user = org.create_user(session, actor=None, data=UserCreate(
                username="huang.cmd", display_name="Huang", agency_id=command.id,
                role=Role.SUPERVISOR, password="correct-horse-battery"))
            rows = []
            for p, k in zip(people, keys, strict=True):
                name, latin, han = stored_names(p)
                rows.append({"name": name, "name_latin": latin, "name_han": han,
                             "name_keys": k,
                             "birth_date": p["born"], "tlp": TLP.GREEN,
                             "distribution": Distribution.ALL, "owner_org_id": command.id,
                             "created_by_id": user.id, "nationality": "VNM"})
            session.execute(insert(Resident), rows)
            session.commit()
            owner, author = command.id, user.id
        where = "PostgreSQL" if pg else "SQLite"
        t0, c0 = time.perf_counter(), time.process_time()
        nameindex.refresh(sessionmaker(bind=engine), every=5.0)
        print(f"\n{where}, {len(people)} persons: the keeper's first build (at the server's "
              f"start, before any search) {time.perf_counter() - t0:.1f} s wall, "
              f"{time.process_time() - c0:.1f} s CPU")
        with Session(engine) as session:
            user = session.merge(user)
            t0 = time.perf_counter()
            names.search(session, user=user, query="Nguyễn Văn An")
            print(f"  the first search: {(time.perf_counter() - t0) * 1000:.0f} ms")
            session.commit()  # the request ends (on SQLite its transaction holds the lock)
            with Session(elsewhere) as other:  # another process registers a person
                other.execute(insert(Resident), [{
                    "name": "Hoàng Thị Tuyết Trinh", "name_keys": names.keys(
                        "Hoàng Thị Tuyết Trinh"), "tlp": TLP.GREEN,
                    "distribution": Distribution.ALL, "owner_org_id": owner,
                    "created_by_id": author, "nationality": "VNM"}])
                other.commit()
            session.commit()  # a new request: a new transaction
            t0 = time.perf_counter()
            found = [m.resident.name for m in names.search(session, user=user,
                                                           query="黃氏雪貞")]
            print(f"  a person registered by another process, searched in characters: "
                  f"{'found' if 'Hoàng Thị Tuyết Trinh' in found else 'NOT FOUND'} in "
                  f"{(time.perf_counter() - t0) * 1000:.0f} ms")
            gc.collect()
            gc.freeze()
            rng = random.Random(8)
            times: dict[str, list[float]] = defaultdict(list)
            for p in rng.sample(people, n_queries):
                q = query_for(p, rng)[1]
                for label, call in (
                        ("search", lambda q=q: names.search(session, user=user, query=q)),
                        ("similar", lambda q=q, p=p: names.similar(
                            session, user=user, name=q, birth_date=p["born"]))):
                    t0, c0 = time.perf_counter(), time.thread_time()
                    call()
                    times[label + " wall"].append((time.perf_counter() - t0) * 1000)
                    times[label + " CPU"].append((time.thread_time() - c0) * 1000)
            print("end to end (index check + visibility query + scoring + persons loaded):")
            for label, values in times.items():
                print(f"  names.{label:<12} p95 {percentile(values, .95):6.1f} ms, median "
                      f"{statistics.median(values):6.1f} ms")
            print(f"load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        engine.dispose()
        elsewhere.dispose()


def quality() -> None:
    """Per kind of labelled pair: Bastion at the registry's threshold beside logic-v2."""
    sys.path.insert(0, str(Path(__file__).parent))
    from screening_quality import PEER_THRESHOLD, logic_v2

    path = Path(__file__).resolve().parents[1] / "tests" / "data" / "residents-name-pairs.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    peer, why = logic_v2()
    if peer is None:
        print(why)
    for r in rows:
        r["ours"] = person_score(PersonQuery(r["query"], r["query_dob"] or None),
                                 PersonRecord(r["candidate"], dob=r["candidate_dob"] or None)
                                 ).score >= names.SIMILAR_THRESHOLD
        r["peer"] = peer({**r, "query_nationality": "", "candidate_nationality": ""}) if peer else None

    def f1(rs: list[dict], key: str) -> tuple[float, float, float]:
        tp = sum(r[key] and r["label"] == "1" for r in rs)
        fp = sum(r[key] and r["label"] == "0" for r in rs)
        fn = sum(not r[key] and r["label"] == "1" for r in rs)
        p = tp / (tp + fp) if tp + fp else 1.0
        rc = tp / (tp + fn) if tp + fn else 1.0
        return p, rc, 2 * p * rc / (p + rc) if p + rc else 0.0

    print(f"\nthreshold {names.SIMILAR_THRESHOLD} (logic-v2 at {PEER_THRESHOLD})")
    for split in ("dev", "heldout"):
        rs = [r for r in rows if r["split"] == split]
        print(f"\n{split}: {len(rs)} pairs")
        print(f"{'kind':<28}{'n':>4}  {'Bastion P/R/F1 or FP':>22}  {'logic-v2':>22}")
        kinds = sorted({r["category"] for r in rs})
        for kind in [*kinds, "ALL"]:
            ks = rs if kind == "ALL" else [r for r in rs if r["category"] == kind]
            cells = []
            for key in ("ours", "peer"):
                if key == "peer" and peer is None:
                    cells.append("-")
                elif any(r["label"] == "1" for r in ks):
                    cells.append("{:.2f}/{:.2f}/{:.2f}".format(*f1(ks, key)))
                else:
                    cells.append(f"FP {sum(bool(r[key]) for r in ks)}/{len(ks)}")
            print(f"{kind:<28}{len(ks):>4}  {cells[0]:>22}  {cells[1]:>22}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--db", action="store_true", help="also names.search on SQLite")
    parser.add_argument("--pg", nargs="?", const="postgresql+psycopg://postgres@127.0.0.1:5432/"
                        "bench_residents", help="names.search on this PostgreSQL database "
                        "(emptied first) instead of SQLite")
    parser.add_argument("--quality", action="store_true", help="only the labelled pairs")
    args = parser.parse_args()
    if args.quality:
        quality()
        return
    people = register(args.size)
    keys = bench_index(people, args.queries)
    if args.db or args.pg:
        bench_db(people, keys, min(args.queries, 200), args.pg)


if __name__ == "__main__":
    main()
