"""Benchmark: what the import's duplicate search costs beside the import itself (issue 14
items 5-6: a workbook's persons already in the registry are merged or warned of).

SYNTHETIC data, made here with a fixed seed: STORED made-up persons of one border village
(Vietnamese names with diacritics, their Latin spelling, a birth date, a 743 pass each) in a
fresh SQLite file; a workbook (CSV files) of FILE persons: a third the stored persons again
with their pass numbers (merged), a third stored persons' names in Latin letters without
diacritics and their birth dates with new pass numbers (warned of by name), a third new
persons; each with a pass and two crossings.

- peer: ``imports.store.import_path`` end to end (read, check, dedupe, write, flags), first
  time, in a transaction rolled back;
- parts: reading and checking the file alone; ``dedupe.find`` by document number and same
  record only (``names=False``); ``dedupe.find`` with the cross-script name search.
  The share of the import the duplicate search takes is the ratio printed.

Times are wall-clock and CPU seconds (user + system). Run:
PYTHONPATH=src .venv/bin/python bench/residents_import_dedupe.py [STORED] [FILE]

Results, 2026-12-07, 2 shared cores with other helpers' work running (wall clock 4x the CPU
time; CPU seconds are the steadier figure), 10,000 stored persons, a file of 1,500:

  findings: 500 by document, 9 same record, 491 by name (the stored persons in Latin letters)
  read and check the file            0.39 s wall   0.10 s cpu
  dedupe by number/same record       0.43 s wall   0.11 s cpu
  dedupe with the name search       17.62 s wall   4.34 s cpu
  peer: the whole import            32.15 s wall   7.67 s cpu
  the duplicate search is 55% of the import's wall time, 57% of its CPU time (2.9 ms CPU per
  file person, nearly all of it the name search, ``residents.names.similar`` per person)
"""

from __future__ import annotations

import csv
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Lý", "Nông", "Triệu", "La", "Mạc", "Vi", "Lương")
MIDDLE = {"M": ("Văn", "Đức", "Quang", "Hữu"), "F": ("Thị", "Ngọc", "Thu", "Kim")}
GIVEN = ("An", "Anh", "Bình", "Cường", "Dũng", "Hùng", "Hưng", "Hoa", "Hòa", "Lan", "Mai",
         "Minh", "Nam", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Tuấn", "Vân", "Xuân", "Yến",
         "Long", "Hạnh", "Khải", "Lụa", "Tú", "Duyên", "Hương", "Ngọc")


def clock() -> tuple[float, float]:
    t = os.times()
    return time.perf_counter(), t.user + t.system


def since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = clock()
    return wall - start[0], cpu - start[1]


def latin(name: str) -> str:
    from anyascii import anyascii

    return anyascii(name).upper()


def someone(rng: random.Random) -> tuple[str, str, date]:
    sex = rng.choice("MF")
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN)}"
    return name, sex, date(1950, 1, 1) + timedelta(days=rng.randrange(60 * 365))


def setup(stored: int, rng: random.Random) -> tuple[str, list[tuple[str, str, date, str]]]:
    from sqlalchemy import insert

    from bastion.border.geo.models import BorderPlace, PlaceKind
    from bastion.core import migrate
    from bastion.core.config import get_settings
    from bastion.core.db import make_engine, make_sessionmaker
    from bastion.org import service as org
    from bastion.org.models import AgencyKind, Role
    from bastion.org.schemas import AgencyCreate, UserCreate
    from bastion.residents import names
    from bastion.residents.models import Resident, ResidentDocument

    folder = tempfile.mkdtemp(prefix="residents-dedupe-bench-")
    url = f"sqlite:///{folder}/bench.db"
    os.environ["BASTION_DATABASE_URL"] = url
    get_settings.cache_clear()
    migrate.upgrade(url)
    people = []
    for n in range(stored):
        name, sex, born = someone(rng)
        people.append((name, sex, born, f"T{n:07d}"))
    with make_sessionmaker(make_engine(url))() as session:
        command = org.create_agency(session, actor=None, data=AgencyCreate(
            code="CMD", name="指挥部", name_en="Command", kind=AgencyKind.JOINT_DEFENCE_COMMAND))
        user = org.create_user(session, actor=None, data=UserCreate(
            username="bench", display_name="Bench", agency_id=command.id, role=Role.OFFICER,
            password="correct-horse-battery"))
        village = BorderPlace(kind=PlaceKind.VILLAGE, name="念井村", lon=105.8, lat=23.0,
                              owner_org_id=command.id, created_by_id=user.id)
        session.add(village)
        session.flush()
        session.execute(insert(Resident), [
            {"id": n + 1, "name": name, "name_latin": latin(name), "sex": sex,
             "birth_date": born, "village_id": village.id, "owner_org_id": command.id,
             "created_by_id": user.id, "tlp": "green", "distribution": "own",
             "synthetic": True, "name_keys": names.keys(name, name_latin=latin(name))}
            for n, (name, sex, born, _number) in enumerate(people)])
        session.execute(insert(ResidentDocument), [
            {"resident_id": n + 1, "doc_type": "cn_vn_border_pass", "type_code": "743",
             "number": number, "expires": date(2027, 6, 30)}
            for n, (_name, _sex, _born, number) in enumerate(people)])
        session.commit()
    return url, people


def write_file(folder: Path, size: int, people: list, rng: random.Random) -> Path:
    from bastion.residents.imports.columns import SHEETS

    head = {s.key: [f"{c.zh} {c.en}" for c in s.columns] for s in SHEETS}
    rows: dict[str, list[list[str]]] = {"persons": [], "documents": [], "crossings": []}
    for n in range(size):
        pid = f"F{n:05d}"
        if n % 3 == 0:  # a stored person again, with the same pass
            name, sex, born, number = rng.choice(people)
        elif n % 3 == 1:  # a stored person in Latin letters, a new pass
            name, sex, born, _old = rng.choice(people)
            name, number = latin(name), f"N{n:07d}"
        else:
            (name, sex, born), number = someone(rng), f"N{n:07d}"
        rows["persons"].append([pid, name, latin(name), sex, born.isoformat(), "VNM",
                                "念井村", ""])
        rows["documents"].append([pid, "743", number, "2026-01-01", "2027-06-30", ""])
        day = 1 + n % 27
        rows["crossings"] += [[pid, f"2026-11-{day:02d} 08:00", "in", "东兴", number],
                              [pid, f"2026-11-{day:02d} 18:00", "out", "东兴", number]]
    out = folder / "file"
    out.mkdir()
    for key, body in rows.items():
        with (out / f"{key}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(head[key][:len(body[0])])
            writer.writerows(body)
    return out


def main(argv: list[str]) -> None:
    stored = int(argv[0]) if argv else 10_000
    size = int(argv[1]) if len(argv) > 1 else 1_500
    rng = random.Random(14)
    start = clock()
    url, people = setup(stored, rng)
    path = write_file(Path(tempfile.mkdtemp(prefix="residents-dedupe-file-")), size, people, rng)
    print(f"setup {stored:,} stored persons, a file of {size:,}: {since(start)[0]:.1f} s")

    from sqlalchemy import select

    from bastion.core.db import make_engine, make_sessionmaker
    from bastion.core.tabular import Collector
    from bastion.org.models import User
    from bastion.residents import names
    from bastion.residents.crossings.points import load_reference, recogniser
    from bastion.residents.imports import dedupe, store
    from bastion.residents.imports.reader import parse, read_sheets

    zone = ZoneInfo("Asia/Shanghai")
    sessions = make_sessionmaker(make_engine(url))
    with sessions() as session:
        load_reference(session)
        session.commit()
        user = session.scalar(select(User).where(User.username == "bench"))
        names.index(session)  # the in-memory index is built once per process, not per file
        t = clock()
        out = Collector(path.name)
        parsed = parse(read_sheets(path, out), out, zone=zone, recognise=recogniser(session))
        read = since(t)
        villages = store._villages(session)
        t = clock()
        quick = dedupe.find(session, user=user, persons=parsed.persons,
                            documents=parsed.rows["documents"], villages=villages, names=False)
        by_number = since(t)
        t = clock()
        full = dedupe.find(session, user=user, persons=parsed.persons,
                           documents=parsed.rows["documents"], villages=villages)
        by_name = since(t)
        t = clock()
        counts = store.import_path(session, user=user, path=path, zone=zone)
        whole = since(t)
        session.rollback()
    kinds = {k: sum(1 for f in full if f.match == k) for k in
             ("document", "same_record", "name", "ambiguous_document")}
    print(f"findings: {kinds} (by number only: {len(quick)}); import: persons "
          f"{counts['persons']}, merged {counts['merged']}, flags {counts['flags']}")
    for label, (wall, cpu) in (("read and check the file", read),
                               ("dedupe by number/same record", by_number),
                               ("dedupe with the name search", by_name),
                               ("peer: the whole import", whole)):
        print(f"  {label:32s} {wall:7.2f} s wall {cpu:7.2f} s cpu")
    print(f"  the duplicate search is {by_name[0] / whole[0]:.0%} of the import's wall time, "
          f"{by_name[1] / whole[1]:.0%} of its CPU time; per file person "
          f"{1000 * by_name[1] / size:.2f} ms cpu")


if __name__ == "__main__":
    main(sys.argv[1:])
