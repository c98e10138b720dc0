"""Precision, recall and F1 per kind of labelled name pairs at the default threshold, beside
OpenSanctions' logic-v2 matcher on the very same pairs.

    .venv/bin/python bench/screening_quality.py [FILE.csv ...]

Defaults to the development sets (dev-pairs.csv, dev-typed-pairs.csv: the matcher was tuned
on these) and the held-out sets (heldout-pairs.csv: written independently, different people;
heldout-typed-2.csv: written after all tuning, a blind check) in tests/data/names/.  Kinds marked * are the typed variants of issue 11; a kind with no
positive pairs (hard negatives) has no recall, so its column FP counts the false alarms.

The peer is ``nomenklatura``'s ``LogicV2`` (the yente/OpenSanctions "logic-v2" algorithm), a
benchmark-only dependency (``pip install -e '.[bench]'``; it builds PyICU, which needs the ICU
headers: Debian's libicu-dev).  It is scored at 0.7, the alert bar yente uses by default.
When it cannot be imported, the reason is printed and only Bastion's figures are given.
"""

from __future__ import annotations

import csv
import itertools
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from bastion.screening.names import DEFAULT_THRESHOLD, PersonQuery, PersonRecord, score

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "names"
NEW_KINDS = {"pinyin_typo", "han_homophone", "latin_phonetic", "wade_giles_pinyin",
             "vi_diacritics", "hn_given_name", "hn_dob"}
PEER_THRESHOLD = 0.7  # yente's default alert bar for logic-v2

Row = dict[str, str]
Stats = tuple[float, float, float, int]


def _rows(path: Path) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def bastion_match(row: Row) -> bool:
    return score(
        PersonQuery(row["query"], row.get("query_dob") or None,
                    row.get("query_nationality") or None),
        PersonRecord(row["candidate"], dob=row.get("candidate_dob") or None,
                     nationality=row.get("candidate_nationality") or None),
    ).match


def logic_v2() -> tuple[Callable[[Row], bool] | None, str]:
    """(predict, "") with nomenklatura's LogicV2, or (None, why it is not available)."""
    try:
        from followthemoney import model
        from nomenklatura.matching import LogicV2
    except Exception as exc:  # noqa: BLE001 - any import failure is reported, not raised
        return None, (f"logic-v2 not run: importing nomenklatura failed ({type(exc).__name__}: "
                      f"{exc}). Install it with `pip install -e '.[bench]'` (PyICU needs the "
                      "ICU headers, Debian package libicu-dev, and a C++ compiler).")
    config = LogicV2.default_config()
    ids = itertools.count()  # LogicV2 caches by entity id: every entity gets its own

    def entity(name: str, dob: str, country: str):
        e = model.make_entity("Person")
        e.id = f"bench-{next(ids)}"
        e.add("name", name)
        if dob:
            e.add("birthDate", dob)
        if country:
            e.add("nationality", country)
        return e

    def predict(row: Row) -> bool:
        query = entity(row["query"], row.get("query_dob", ""), row.get("query_nationality", ""))
        result = entity(row["candidate"], row.get("candidate_dob", ""),
                        row.get("candidate_nationality", ""))
        return LogicV2.compare(query, result, config).score >= PEER_THRESHOLD

    return predict, ""


def _stats(rows: list[Row], predict: Callable[[Row], bool]) -> dict[str, tuple[Stats, int]]:
    """kind -> ((precision, recall, f1, rows), false positives); 'OVERALL' for all rows."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp fp fn n
    for row in rows:
        match, truth = predict(row), row["label"].strip() == "1"
        for cat in (row["category"], "OVERALL"):
            c = counts[cat]
            c[0] += match and truth
            c[1] += match and not truth
            c[2] += truth and not match
            c[3] += 1
    out = {}
    for cat, (tp, fp, fn, n) in counts.items():
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        # a kind with no positives and no false alarms is perfect, not undefined
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        out[cat] = ((p, r, f1, n), fp)
    return out


def evaluate(path: Path) -> dict[str, Stats]:
    """Bastion's category -> (precision, recall, f1, rows); key 'OVERALL' for all rows."""
    return {cat: stats for cat, (stats, _) in _stats(_rows(path), bastion_match).items()}


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv] or [DATA / "dev-pairs.csv", DATA / "dev-typed-pairs.csv",
                                        DATA / "heldout-pairs.csv", DATA / "heldout-typed-2.csv"]
    peer, why_not = logic_v2()
    if why_not:
        print(why_not)
    for path in paths:
        rows = _rows(path)
        started = time.perf_counter()
        ours = _stats(rows, bastion_match)
        ours_s = time.perf_counter() - started
        theirs, theirs_s = None, 0.0
        if peer is not None:
            started = time.perf_counter()
            theirs = _stats(rows, peer)
            theirs_s = time.perf_counter() - started
        print(f"\n{path.name}: Bastion at {DEFAULT_THRESHOLD} ({ours_s:.1f} s)"
              + (f", logic-v2 at {PEER_THRESHOLD} ({theirs_s:.1f} s)" if theirs else ""))
        head = f"{'kind':20} {'n':>4} {'P':>6} {'R':>6} {'F1':>6} {'FP':>3}"
        print(head + (f"  | logic-v2 {'P':>6} {'R':>6} {'F1':>6} {'FP':>3}" if theirs else ""))
        for cat in sorted(ours, key=lambda c: (c == "OVERALL", c)):
            (p, r, f1, n), fp = ours[cat]
            mark = "*" if cat in NEW_KINDS else " "
            line = f"{cat + mark:20} {n:4d} {p:6.3f} {r:6.3f} {f1:6.3f} {fp:3d}"
            if theirs:
                (tp_, tr, tf1, _), tfp = theirs[cat]
                line += f"  |          {tp_:6.3f} {tr:6.3f} {tf1:6.3f} {tfp:3d}"
            print(line)
        new = [r for r in rows if r["category"] in NEW_KINDS]
        if new and len(new) < len(rows):
            (_, _, f1, n), fp = _stats(new, bastion_match)["OVERALL"]
            line = f"{'new kinds*':20} {n:4d} {'':6} {'':6} {f1:6.3f} {fp:3d}"
            if peer is not None:
                (_, _, tf1, _), tfp = _stats(new, peer)["OVERALL"]
                line += f"  |          {'':6} {'':6} {tf1:6.3f} {tfp:3d}"
            print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
