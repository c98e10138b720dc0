"""Derive the China–Vietnam land border from Natural Earth's 1:10m countries (TopoJSON).

    python tests/data/border/make.py [../shared/data/reference/geo/countries-10m.json]

The border is the arcs that China's and Vietnam's polygons share (TopoJSON stores a shared
edge once and both countries point at it). The arcs are quantised and delta-encoded; they are
decoded with the file's transform and chained into lines, west to east where they join. Writes
``cn-vn-border.geojson``: one feature per chained line, coordinates rounded to 1e-6 degree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = Path(__file__).resolve().parents[4] / "shared/data/reference/geo/countries-10m.json"


def _arcs(geometry: dict) -> set[int]:
    def walk(item):
        if isinstance(item, int):
            yield item if item >= 0 else ~item
        else:
            for part in item:
                yield from walk(part)

    return set(walk(geometry["arcs"]))


def _decode(arc: list[list[int]], transform: dict) -> list[tuple[float, float]]:
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0
    out = []
    for dx, dy in arc:
        x, y = x + dx, y + dy
        out.append((round(x * sx + tx, 6), round(y * sy + ty, 6)))
    return out


def _chain(lines: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    """Join lines that meet end to end (reversing where needed) until none meet."""
    lines = [list(line) for line in lines]
    joined = True
    while joined:
        joined = False
        for i in range(len(lines)):
            for j in range(len(lines)):
                if i == j:
                    continue
                a, b = lines[i], lines[j]
                for candidate in (b, b[::-1]):
                    if a[-1] == candidate[0]:
                        lines[i] = a + candidate[1:]
                        del lines[j]
                        joined = True
                        break
                if joined:
                    break
            if joined:
                break
    return [line if line[0][0] <= line[-1][0] else line[::-1] for line in lines]


def main(source: Path) -> None:
    doc = json.loads(source.read_text(encoding="utf-8"))
    countries = {g["properties"]["name"]: g for g in doc["objects"]["countries"]["geometries"]}
    shared = sorted(_arcs(countries["China"]) & _arcs(countries["Vietnam"]))
    lines = _chain([_decode(doc["arcs"][i], doc["transform"]) for i in shared])
    features = [{"type": "Feature",
                 "properties": {"name": f"CN-VN border {n + 1}" if len(lines) > 1
                                else "CN-VN border",
                                "source": "Natural Earth 4.1.0 1:10m admin-0 countries via "
                                          "world-atlas 2.0.2 countries-10m.json (public domain / "
                                          f"ISC); TopoJSON arcs {shared} shared by China and "
                                          "Vietnam"},
                 "geometry": {"type": "LineString", "coordinates": line}}
                for n, line in enumerate(lines)]
    (HERE / "cn-vn-border.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    print(f"{len(lines)} line(s), {sum(len(x) for x in lines)} vertices from arcs {shared}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
