"""Precision, recall and F1 per category of labelled name pairs at the default threshold.

    .venv/bin/python bench/screening_quality.py [FILE.csv ...]

Defaults to the development set and the held-out set in tests/data/names/.  The held-out
pairs were written independently of the development pairs (same kinds, different people).
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

from bastion.screening.names import DEFAULT_THRESHOLD, PersonQuery, PersonRecord, score

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "names"


def evaluate(path: Path) -> dict[str, tuple[float, float, float, int]]:
    """category -> (precision, recall, f1, rows); key 'OVERALL' for all rows."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp fp fn n
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            res = score(
                PersonQuery(row["query"], row.get("query_dob") or None,
                            row.get("query_nationality") or None),
                PersonRecord(row["candidate"], dob=row.get("candidate_dob") or None,
                             nationality=row.get("candidate_nationality") or None),
            )
            truth = row["label"].strip() == "1"
            for cat in (row["category"], "OVERALL"):
                c = counts[cat]
                c[0] += res.match and truth
                c[1] += res.match and not truth
                c[2] += truth and not res.match
                c[3] += 1
    out = {}
    for cat, (tp, fp, fn, n) in counts.items():
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        # a category with no positives and no false alarms is perfect, not undefined
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        out[cat] = (p, r, f1, n)
    return out


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv] or [DATA / "dev-pairs.csv", DATA / "heldout-pairs.csv"]
    for path in paths:
        print(f"\n{path.name}  (threshold {DEFAULT_THRESHOLD})")
        print(f"{'category':22} {'n':>4} {'P':>6} {'R':>6} {'F1':>6}")
        res = evaluate(path)
        for cat in sorted(res, key=lambda c: (c == "OVERALL", c)):
            p, r, f1, n = res[cat]
            print(f"{cat:22} {n:4d} {p:6.3f} {r:6.3f} {f1:6.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
