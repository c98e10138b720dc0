"""Rebuild ``ports.csv.gz``, the port gazetteer, from geoapify/un-locode's code list (MIT).

Run by hand when the code list is refreshed: ``python build_ports.py code-list-geoapify.csv``.
Kept: entries with function 1 (maritime port) and a usable position, as code, name, lat, lon
(decimal degrees, 4 places: 11 m, far below the source's 1' resolution) and ``src``:

- ``u``: the position is UNECE's own (``geocoded`` empty). UNECE gives degrees and whole minutes
  ("2150N 11158E"); the source has already converted them to decimal degrees (21.8333, 111.9667:
  every such value is a whole number of minutes), so no conversion is needed here. A few rows
  were converted wrongly by the source (latitude 97.07 with longitude NaN, longitude 381.8):
  anything not finite or outside +-90 / +-180 is dropped.
- ``g``: the position came from Geoapify's geocoder (``geocoded`` true). These are unreliable
  (Tolo Harbour HKTOL is placed in Kowloon, Belmont on Unst GBBMT in London), but UNECE gives
  no position for many of the busiest ports (HKHKG, SGSIN, VNHPH, CNSHG, AEJEA...), so they are
  kept, flagged, for one use only: clearing a declared port whose code differs from the one a
  stop was matched to (``lastport.mismatch``). They never place a stop. Only those lying within
  25 km of a UNECE-positioned location (any function) of the same country are kept: that drops
  the geocoder's grossest misses (another country, another province), 1,610 of 5,387 rows.

Some source rows split a name holding a comma into two quoted fields ("Andros Town", " Andros
Island") and lose a column before the function field; as in ``build_unlocode.py`` the name is
rejoined, and the position is read from the last three fields, which every row has in place.
Names garbled by the source (U+FFFD in place of accented letters) use the diacritic-free name.
A code listed twice (one row per subdivision or per language) keeps its first UNECE position.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
import sys
from pathlib import Path

from bastion.core.geo import haversine_m

FUNCTION = re.compile(r"^[0-9AB-]{8}$")
CORROBORATE_KM = 25.0
CELL = 0.5  # degrees: the grid for the corroboration search (one cell round covers 25 km up to
#             63 degrees of latitude; nearer the poles a few more geocoded rows are dropped)


def _joined(row: list[str], start: int) -> tuple[str, int]:
    """A name at ``row[start]``, rejoined if the source split it; and the index after it."""
    if not row[start].startswith('"'):
        return row[start].strip(), start + 1
    parts, i = [], start
    while i < len(row):
        parts.append(row[i].strip().strip('"'))
        i += 1
        if row[i - 1].endswith('"'):
            break
    return ", ".join(p for p in parts if p), i


def parse(row: list[str]) -> tuple[str, str, str, float, float, bool] | None:
    """(code, country, name, lat, lon, geocoded) for a port row with a usable position."""
    code = (row[0] + row[1]).strip().upper()
    if not re.fullmatch(r"[A-Z]{2}[A-Z2-9]{3}", code):
        return None
    index = next((i for i in range(len(row) - 1, 1, -1) if FUNCTION.match(row[i])), None)
    if index is None or "1" not in row[index]:
        return None
    try:
        lat, lon = float(row[-3]), float(row[-2])
    except ValueError:
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        return None
    name, after = _joined(row, 2)
    if "\ufffd" in name:
        name = _joined(row, after)[0] or name
    return code, code[:2], name, lat, lon, row[-1].strip().lower() == "true"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return haversine_m(lat1, lon1, lat2, lon2) / 1000.0


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL), math.floor(lon / CELL)


def main(source: str) -> None:
    unece: dict[tuple[str, int, int], list[tuple[float, float]]] = {}  # every UNECE position
    ports: dict[str, tuple[str, float, float, str]] = {}
    geocoded: dict[str, tuple[str, str, float, float]] = {}
    with open(source, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            try:
                lat, lon = float(row[-3]), float(row[-2])
            except ValueError:
                lat = lon = math.nan
            if row[-1] != "true" and math.isfinite(lat) and abs(lat) <= 90 \
                    and math.isfinite(lon) and abs(lon) <= 180:
                unece.setdefault((row[0], *_cell(lat, lon)), []).append((lat, lon))
            parsed = parse(row)
            if parsed is None:
                continue
            code, country, name, lat, lon, was_geocoded = parsed
            if not was_geocoded:
                ports.setdefault(code, (name, lat, lon, "u"))
            else:
                geocoded.setdefault(code, (country, name, lat, lon))
    candidates = {code: value for code, value in geocoded.items() if code not in ports}
    kept = 0
    for code, (country, name, lat, lon) in candidates.items():
        row, col = _cell(lat, lon)
        near = (p for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                for p in unece.get((country, row + dr, col + dc), ()))
        if any(_km(lat, lon, *p) <= CORROBORATE_KM for p in near):
            ports[code] = (name, lat, lon, "g")
            kept += 1
    out = Path(__file__).with_name("ports.csv.gz")
    # mtime=0 so that the same source gives the same bytes.
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9,
                                                 mtime=0) as packed, \
            io.TextIOWrapper(packed, encoding="utf-8", newline="") as text:
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(["code", "name", "lat", "lon", "src"])
        for code in sorted(ports):
            name, lat, lon, src = ports[code]
            writer.writerow([code, name, round(lat, 4), round(lon, 4), src])
    print(f"{len(ports)} ports ({len(ports) - kept} UNECE positions, {kept} geocoded of "
          f"{len(candidates)}) -> {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
