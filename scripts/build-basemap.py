"""Build the South China coast basemap (src/bastion/web/static/maps/south-china-coast-ne10m.geojson).

    python scripts/build-basemap.py [WORLD_ATLAS_DIR]

WORLD_ATLAS_DIR holds world-atlas 2.0.2's countries-10m.json and land-10m.json (Natural Earth
4.1.0 1:10m as TopoJSON); by default frontend/node_modules/world-atlas after
`scripts/vendor-frontend.sh` has run `npm install`.

What it writes, clipped to BBOX: the land, its coastline (the land's outline inside the box,
without the box's edges), one admin-0 polygon per country, and the land borders (the arcs two
countries' polygons share in the topology). Natural Earth draws Hong Kong, Macao, Taiwan and
Scarborough Reef (黄岩岛) as countries of their own; Chinese usage, which Bastion's users
follow, has them as parts of China, so their polygons are dissolved into China's (shapely
union of polygons built from the same topology arcs: the shared edges cancel exactly) and
their borders with the mainland are not drawn. Coordinates are rounded to 6 decimals.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from shapely import box, line_merge, make_valid, unary_union
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, mapping

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "bastion" / "web" / "static" / "maps" / "south-china-coast-ne10m.geojson"
# 100-123E takes in the whole of Taiwan island (to 122.0E); 15-26N Hainan to Matsu.
BBOX = (100.0, 15.0, 123.0, 26.0)
CHINA = "156"
# Natural Earth admin-0 units that are parts of China (ISO 3166 numeric, or the name where NE
# gives the unit no code).
PARTS_OF_CHINA = {"344": "Hong Kong", "446": "Macao", "158": "Taiwan"}
PARTS_BY_NAME = {"Scarborough Reef"}
SOURCE = "Natural Earth 4.1.0 ne_10m_admin_0_countries via world-atlas@2.0.2 countries-10m.json"


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(indices: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _geometry(geom: dict, arcs: list) -> Polygon | MultiPolygon | None:
    if geom["type"] == "Polygon":
        polygons = [geom["arcs"]]
    elif geom["type"] == "MultiPolygon":
        polygons = geom["arcs"]
    else:
        return None
    built = []
    for p in polygons:
        rings = [_ring(r, arcs) for r in p]
        if len(rings[0]) < 4:  # a speck quantised to a point: nothing to draw
            continue
        built.append(Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4]))
    if not built:
        return None
    return MultiPolygon(built) if len(built) > 1 else built[0]


def _arc_ids(geom: dict) -> set[int]:
    polygons = [geom["arcs"]] if geom["type"] == "Polygon" else geom.get("arcs", [])
    return {i if i >= 0 else ~i for p in polygons for ring in p for i in ring}


def _round(value):
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    return value


def _feature(geometry, properties: dict) -> dict:
    shape = mapping(geometry)
    return {"type": "Feature", "properties": properties,
            "geometry": {"type": shape["type"], "coordinates": _round(shape["coordinates"])}}


def _polygonal(geometry):
    parts = [g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon)
             and not g.is_empty]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def build(source: Path) -> dict:
    countries = json.loads((source / "countries-10m.json").read_text())
    land_topo = json.loads((source / "land-10m.json").read_text())
    clip = box(*BBOX)
    clip_list = list(BBOX)

    arcs = _arcs(land_topo)
    land_parts = []
    for geom in land_topo["objects"]["land"]["geometries"]:
        shape = _geometry(geom, arcs)
        for part in getattr(shape, "geoms", [shape] if shape is not None else []):
            if part.intersects(clip):
                land_parts.append(part if part.is_valid else make_valid(part))
    land = _polygonal(unary_union([p.intersection(clip) for p in land_parts]))
    outline = unary_union([p.boundary for p in land_parts]).intersection(clip)
    coast = line_merge(outline) if not outline.is_empty else outline
    lines = [g for g in getattr(coast, "geoms", [coast]) if isinstance(g, LineString)]

    arcs = _arcs(countries)
    units: dict[str, dict] = {}
    for geom in countries["objects"]["countries"]["geometries"]:
        shape = _geometry(geom, arcs)
        if shape is None or not shape.intersects(clip):
            continue
        name = geom.get("properties", {}).get("name", "")
        code = geom.get("id")
        key = CHINA if (code in PARTS_OF_CHINA or name in PARTS_BY_NAME) else (code or name)
        unit = units.setdefault(key, {"shapes": [], "arcs": set(), "name": name, "code": code})
        if code == CHINA:
            unit["name"], unit["code"] = name, code
        # A few NE 10m polygons self-touch at 1:10m quantisation; GEOS needs them valid.
        unit["shapes"].append(shape if shape.is_valid else make_valid(shape))
        unit["arcs"] |= _arc_ids(geom)

    features = [
        _feature(land, {"layer": "land", "source": "Natural Earth 4.1.0 ne_10m_land via "
                        "world-atlas@2.0.2 land-10m.json", "clip_bbox": clip_list}),
        _feature(MultiLineString(lines), {
            "layer": "coastline", "source": "boundary of Natural Earth 4.1.0 ne_10m_land "
            "(world-atlas land-10m.json), clipped", "clip_bbox": clip_list}),
    ]
    for key, unit in units.items():
        merged = _polygonal(unary_union(unit["shapes"]).intersection(clip))
        if merged is None:
            continue
        properties = {"layer": "admin0", "name": unit["name"], "iso_n3": unit["code"],
                      "source": SOURCE, "clip_bbox": clip_list}
        if key == CHINA:
            properties["includes"] = sorted([*PARTS_OF_CHINA.values(), *PARTS_BY_NAME])
        features.append(_feature(merged, properties))

    # Land borders: arcs used by exactly two units (China counted once with its parts).
    users: dict[int, list[str]] = defaultdict(list)
    for key, unit in units.items():
        for i in unit["arcs"]:
            users[i].append(key)
    pairs: dict[tuple[str, str], list] = defaultdict(list)
    for i, keys in users.items():
        if len(keys) == 2:
            pairs[tuple(sorted(keys, key=lambda k: (k != CHINA, units[k]["name"])))].append(
                LineString(arcs[i]))
    for (a, b), parts in sorted(pairs.items(), key=lambda kv: (kv[0][0] != CHINA, kv[0])):
        merged = line_merge(MultiLineString(parts))
        names = [units[a]["name"], units[b]["name"]]
        for line in getattr(merged, "geoms", [merged]):
            features.append(_feature(line, {
                "layer": "land_border", "name": f"{names[0]}–{names[1]} land border",
                "method": "arcs shared by both admin-0 polygons in world-atlas countries-10m.json"
                " TopoJSON (Natural Earth 4.1.0 1:10m); Hong Kong, Macao, Taiwan and "
                "Scarborough Reef counted as China", "countries": names}))
    return {"type": "FeatureCollection", "name": "south-china-coast-ne10m",
            "properties": {"source": "Natural Earth 4.1.0 (public domain) via npm "
                           "world-atlas@2.0.2 (ISC)", "bbox": clip_list,
                           "built_by": "scripts/build-basemap.py"},
            "features": features}


if __name__ == "__main__":
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else \
        ROOT / "frontend" / "node_modules" / "world-atlas"
    OUT.write_text(json.dumps(build(src), ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
