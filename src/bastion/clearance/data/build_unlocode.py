"""Rebuild ``unlocode.csv.gz`` from geoapify/un-locode's ``code-list-geoapify.csv`` (MIT).

Run by hand when the code list is refreshed: ``python build_unlocode.py SOURCE.csv``.
Only code, name, function flags and status are kept: coordinates are dropped because 22,784
of them come from a geocoder, not UNECE. Some source rows split a name holding a comma into two
quoted fields ("Batu Lintang", " Sarawak") and lose the status column; they are repaired here.
Duplicate codes (one per subdivision) are merged: their function flags are united.
"""

from __future__ import annotations

import csv
import gzip
import re
import sys
from pathlib import Path

FUNCTION = re.compile(r"^[0-9AB-]{8}$")
STATUSES = {"AA", "AC", "AF", "AI", "AM", "AQ", "AS", "RL", "RN", "RQ", "UR", "RR", "QQ", "XX"}


def parse(row: list[str]) -> tuple[str, str, str, str] | None:
    code = (row[0] + row[1]).strip().upper()
    if not re.fullmatch(r"[A-Z]{2}[A-Z2-9]{3}", code):
        return None
    index = next((i for i in range(len(row) - 1, 1, -1) if FUNCTION.match(row[i])), None)
    if index is None:
        return None
    if row[2].startswith('"'):  # broken quoting: the name runs until a field ending in a quote
        parts = []
        for field in row[2:]:
            parts.append(field.strip().strip('"'))
            if field.endswith('"'):
                break
        name = ", ".join(p for p in parts if p)
    else:
        name = row[2].strip()
    status = row[index - 1] if row[index - 1] in STATUSES else ""
    return code, name, row[index].replace("-", ""), status


def main(source: str) -> None:
    table: dict[str, list[str]] = {}
    with open(source, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            parsed = parse(row)
            if parsed is None:
                continue
            code, name, functions, status = parsed
            if code in table:
                merged = sorted(set(table[code][1]) | set(functions))
                table[code][1] = "".join(merged)
            else:
                table[code] = [name, functions, status]
    out = Path(__file__).with_name("unlocode.csv.gz")
    with gzip.open(out, "wt", encoding="utf-8", newline="", compresslevel=9) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "functions", "status"])
        for code in sorted(table):
            writer.writerow([code, *table[code]])
    print(f"{len(table)} codes -> {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
