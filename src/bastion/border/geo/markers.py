"""Importing numbered boundary markers (界碑/界桩) from CSV, xlsx or GeoJSON points.

All rows or none (``core.tabular``): every row is checked first, including its place on the
line, and a file with any error stores nothing; each problem names the file, sheet, row and
column (a GeoJSON file: the feature index and property). A marker gets its chainage (distance
along the line) and offset (distance off it) by projection (``shapes.Chainage``); a marker far
off the line is a wrong coordinate, refused by row. Importing the same file again changes
nothing; a number already stored with other data is refused, since segments are cut at it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.geo import access
from bastion.border.geo.models import BorderLine, BoundaryMarker, MarkerKind
from bastion.border.geo.shapes import MAX_OFFSET_M, Chainage
from bastion.core.geo.files import GeoFileError, read_geojson
from bastion.core.i18n import gettext as _
from bastion.core.tabular import Collector, Column, normalise, read_table, records
from bastion.org.models import User
from bastion.org.sharing import MarkingIn, apply_marking

COLUMNS = [
    Column("number", "Number", "编号", True, ("Marker", "Marker number", "界碑号", "界桩号",
                                            "碑号"), "1047"),
    Column("kind", "Kind", "类型", False, ("种类",), "pillar"),
    Column("lon", "Longitude", "经度", True, ("lon", "lng", "x"), "105.8312"),
    Column("lat", "Latitude", "纬度", True, ("lat", "y"), "23.0761"),
    Column("elevation", "Elevation (m)", "高程", False, ("海拔", "elevation_m"), "812"),
    Column("note", "Note", "备注", False, ("说明",), ""),
]
KINDS = {normalise(s): k for k, spellings in {
    MarkerKind.MONUMENT: ("monument", "界碑", "碑"),
    MarkerKind.PILLAR: ("pillar", "界桩", "桩", "")}.items() for s in spellings}

Report = Callable[[str, str, str], None]  # (field, code, message)


@dataclass
class Candidate:
    report: Report
    number: str
    kind: MarkerKind
    lon: float
    lat: float
    elevation_m: float | None
    note: str
    where: str  # "row 7" / "features[3]": for duplicates


def import_markers(session: Session, *, user: User, line: BorderLine, filename: str,
                   data: bytes, marking: MarkingIn) -> tuple[list[BoundaryMarker], int]:
    """Store every marker of the file on ``line``, or raise ``Problems`` and store none;
    ``(markers of the file, how many were new)``."""
    access.require_write(user)
    out = Collector(filename)
    if Path(filename).suffix.lower() in (".geojson", ".json"):
        found = _from_geojson(data, filename, out)
    else:
        found = _from_table(data, filename, out)
    chainage = Chainage(line.geometry)
    existing = {m.number: m for m in session.scalars(select(BoundaryMarker).where(
        BoundaryMarker.owner_org_id == user.organisation_id))}
    seen: dict[str, str] = {}
    planned: list[tuple[Candidate, float, float]] = []
    for c in found:
        if c.number in seen:
            c.report("number", "DUPLICATE_NUMBER", _("The marker %(number)s is on %(where)s "
                     "already") % {"number": c.number, "where": seen[c.number]})
            continue
        seen[c.number] = c.where
        placed = chainage.place(c.lon, c.lat)
        if placed is None or placed.offset_m > MAX_OFFSET_M:
            c.report("lon", "FAR_FROM_LINE", _("The marker %(number)s is %(km)s km from the "
                     "line %(line)s (at most %(max)s km): are the coordinates right?")
                     % {"number": c.number, "line": line.name, "max": f"{MAX_OFFSET_M / 1000:g}",
                        "km": ">10" if placed is None else f"{placed.offset_m / 1000:.1f}"})
            continue
        old = existing.get(c.number)
        if old is not None and not _same(old, c, line):
            c.report("number", "NUMBER_EXISTS", _("The marker %(number)s exists already with "
                     "other data") % {"number": c.number})
            continue
        planned.append((c, placed.chainage_m, placed.offset_m))
    if not found and not out.errors:
        out.add(None, None, "NO_ROWS", _("The file has no markers"))
    out.raise_errors()
    return _store(session, user=user, line=line, planned=planned, existing=existing,
                  marking=marking, filename=filename)


def _store(session: Session, *, user: User, line: BorderLine,
           planned: list[tuple[Candidate, float, float]], existing: dict[str, BoundaryMarker],
           marking: MarkingIn, filename: str) -> tuple[list[BoundaryMarker], int]:
    markers, created = [], 0
    for c, chainage_m, offset_m in planned:
        marker = existing.get(c.number)
        if marker is None:
            marker = BoundaryMarker(
                number=c.number, kind=c.kind, lon=c.lon, lat=c.lat, elevation_m=c.elevation_m,
                note=c.note, line_id=line.id, chainage_m=chainage_m, offset_m=offset_m,
                owner_org_id=user.organisation_id, created_by_id=user.id)
            session.add(marker)
            session.flush()
            apply_marking(session, marker, marking)
            created += 1
        markers.append(marker)
    if created:
        audit.record(session, action=AuditAction.CREATE, actor=user, record_kind="boundary_marker",
                     summary=f"{created} boundary markers from {filename} on line {line.name}")
    return markers, created


def _same(old: BoundaryMarker, c: Candidate, line: BorderLine) -> bool:
    return (old.line_id == line.id and old.kind == c.kind and abs(old.lon - c.lon) < 1e-7
            and abs(old.lat - c.lat) < 1e-7 and old.elevation_m == c.elevation_m
            and old.note == c.note)


def _from_table(data: bytes, filename: str, out: Collector) -> list[Candidate]:
    sheets = read_table(data, out, filename=filename)
    found = []
    for record in records(sheets, COLUMNS, out) if sheets else []:
        def report(key: str, code: str, message: str, record=record) -> None:
            out.add(record.row, record.headings.get(key, key), code, message, record.sheet)

        where = _("row %(row)s") % {"row": record.row}
        candidate = _candidate(report, where, record.get("number"), record.get("kind"),
                               record.get("lon"), record.get("lat"), record.get("elevation"),
                               record.get("note"))
        if candidate is not None:
            found.append(candidate)
    return found


def _from_geojson(data: bytes, filename: str, out: Collector) -> list[Candidate]:
    try:
        features = read_geojson(data, filename)
        doc = json.loads(data.decode("utf-8-sig"))
    except GeoFileError as error:
        out.add(None, None, "BAD_FILE", str(error))
        return []
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        out.add(None, None, "BAD_FILE", _("%(file)s is not a GeoJSON FeatureCollection")
                % {"file": filename})
        return []
    found = []
    for i, feature in enumerate(features):
        def report(key: str, code: str, message: str, i=i) -> None:
            column = f"features[{i}].geometry" if key in ("lon", "lat") else \
                f"features[{i}].properties.{key}"
            out.add(None, column, code, message)

        if feature.geometry.geom_type != "Point":
            report("lon", "NOT_A_POINT", _("%(kind)s is not a Point")
                   % {"kind": feature.geometry.geom_type})
            continue
        p = feature.properties
        number = p.get("number", p.get("name"))
        candidate = _candidate(report, f"features[{i}]", _str(number), _str(p.get("kind")),
                               str(feature.geometry.x), str(feature.geometry.y),
                               _str(p.get("elevation", p.get("elevation_m"))), _str(p.get("note")))
        if candidate is not None:
            found.append(candidate)
    return found


def _str(value: object) -> str:
    return "" if value is None else str(value).strip()


def _candidate(report: Report, where: str, number: str, kind: str, lon: str, lat: str,
               elevation: str, note: str) -> Candidate | None:
    ok = True
    if not number or len(number) > 32:
        report("number", "BAD_NUMBER", _("Give the marker's number (at most 32 characters)"))
        ok = False
    marker_kind = KINDS.get(normalise(kind))
    if marker_kind is None:
        report("kind", "BAD_KIND", _("\"%(value)s\" is not one of: %(choices)s")
               % {"value": kind, "choices": "monument/界碑, pillar/界桩"})
        ok = False
    x = _number(report, "lon", lon, -180, 180)
    y = _number(report, "lat", lat, -90, 90)
    z = _number(report, "elevation", elevation, -500, 9000) if elevation else None
    if not ok or x is None or y is None or (elevation and z is None):
        return None
    return Candidate(report, number, marker_kind, x, y, z, note[:2000], where)


def _number(report: Report, key: str, text: str, low: float, high: float) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        report(key, "BAD_NUMBER", _("\"%(value)s\" is not a number") % {"value": text})
        return None
    if not math.isfinite(value) or not low <= value <= high:
        report(key, "OUT_OF_RANGE", _("%(value)s is outside %(low)s..%(high)s")
               % {"value": text, "low": f"{low:g}", "high": f"{high:g}"})
        return None
    return value
