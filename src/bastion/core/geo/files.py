"""Reading GeoJSON, GPX and KML into shapely geometries (lon/lat, WGS 84).

The land border imports surveyed lines, markers and patrol tracks from whatever the survey team
or a hand-held GPS wrote. Such files come from outside, so they are treated as hostile: a size
limit before parsing, XML through defusedxml (no DTDs, no entity expansion: "billion laughs" and
external entities are refused), and every error names the file and the element it is about so
the user can fix that one place.

Each reader returns ``Feature``s: a geometry, its name when the file gives one, and its
properties (GeoJSON properties; KML ``ExtendedData``/description; GPX ``desc``/``type``).
Elevations are dropped: the kit measures on the ellipsoid surface.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
import numpy as np
import shapely
import shapely.errors
from defusedxml import DefusedXmlException
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
    shape,
)
from shapely.geometry.base import BaseGeometry

from bastion.core.i18n import gettext as _

# A surveyed border of a county (a few hundred km at a point every few metres) is well under
# 10 MB in any of the three formats; a bigger file is a mistake or an attack.
MAX_BYTES = 20 * 1024 * 1024


class GeoFileError(ValueError):
    """A file that cannot be read; the message names the file and the element."""


@dataclass
class Feature:
    geometry: BaseGeometry
    name: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)


def read_features(source: Path | str, data: bytes | None = None, *,
                  max_bytes: int = MAX_BYTES) -> list[Feature]:
    """Read a ``.geojson``/``.json``, ``.gpx`` or ``.kml`` file (by its suffix). ``data``, when
    given, is the content (an upload) and ``source`` only its name."""
    name = Path(source).name
    if data is None:
        path = Path(source)
        if path.stat().st_size > max_bytes:
            raise _too_big(name, max_bytes)
        data = path.read_bytes()
    if len(data) > max_bytes:
        raise _too_big(name, max_bytes)
    suffix = Path(source).suffix.lower()
    if suffix in (".geojson", ".json"):
        return read_geojson(data, name)
    if suffix == ".gpx":
        return read_gpx(data, name)
    if suffix == ".kml":
        return read_kml(data, name)
    raise GeoFileError(_("%(file)s: unknown geometry format: use GeoJSON, GPX or KML")
                       % {"file": name})


def _too_big(name: str, limit: int) -> GeoFileError:
    return GeoFileError(_("%(file)s is larger than %(mb)d MB") % {"file": name,
                                                                  "mb": limit // (1024 * 1024)})


# --- GeoJSON (RFC 7946) ----------------------------------------------------------------------

def read_geojson(data: bytes, name: str = "GeoJSON") -> list[Feature]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise GeoFileError(_("%(file)s is not valid JSON: %(error)s")
                           % {"file": name, "error": error}) from None
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind == "FeatureCollection":
        items = doc.get("features")
        if not isinstance(items, list):
            raise GeoFileError(_("%(file)s: %(element)s is not a list")
                               % {"file": name, "element": "features"})
        return [_geojson_feature(item, name, f"features[{i}]") for i, item in enumerate(items)]
    if kind == "Feature":
        return [_geojson_feature(doc, name, "Feature")]
    return [Feature(_geojson_geometry(doc, name, "geometry"))]


def _geojson_feature(item: Any, name: str, where: str) -> Feature:
    if not isinstance(item, dict) or item.get("type") != "Feature":
        raise GeoFileError(_("%(file)s: %(element)s is not a GeoJSON Feature")
                           % {"file": name, "element": where})
    props = item.get("properties") or {}
    if not isinstance(props, dict):
        props = {}
    label = props.get("name")
    if label is not None and str(label).strip():  # named as KML's Placemarks are
        where = f"{where} '{str(label).strip()[:60]}'"
    return Feature(_geojson_geometry(item.get("geometry"), name, f"{where}.geometry"),
                   str(label) if label is not None else None, props)


def _geojson_geometry(value: Any, name: str, where: str) -> BaseGeometry:
    _check_line_sizes(value, name, where)  # before shape(): GEOS' own message is no help
    try:
        with np.errstate(invalid="ignore"):  # NaN is refused below, naming the coordinate
            geometry = shape(value)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError,
            shapely.errors.ShapelyError) as error:  # shape() raises these on malformed input
        raise GeoFileError(_("%(file)s: %(element)s is not a GeoJSON geometry (%(error)s)")
                           % {"file": name, "element": where, "error": error}) from None
    if not geometry.is_empty:
        xyz = shapely.get_coordinates(geometry, include_z=geometry.has_z)
        if not np.isfinite(xyz).all():
            # Python's json reads NaN, Infinity and 1e999: no coordinate, and bounds() skips
            # NaN, so such a line would pass the range check below
            _refuse_non_finite(value, name, where)
    _check_range(geometry, name, where)
    _check_lines_have_length(geometry, value, name, where)
    return geometry


def _not_enough_points(name: str, where: str) -> GeoFileError:
    return GeoFileError(_("%(file)s: %(element)s has fewer than two distinct points: a line "
                          "needs at least two") % {"file": name, "element": where})


def _line_parts(value: Any, where: str) -> list[tuple[Any, str]]:
    """The coordinate lists of every LineString in a GeoJSON geometry, with where each is."""
    if not isinstance(value, dict):
        return []
    kind, coords = value.get("type"), value.get("coordinates")
    if kind == "LineString":
        return [(coords, where)]
    if kind == "MultiLineString" and isinstance(coords, list):
        return [(part, f"{where}.coordinates[{j}]") for j, part in enumerate(coords)]
    if kind == "GeometryCollection" and isinstance(value.get("geometries"), list):
        return [found for j, g in enumerate(value["geometries"])
                for found in _line_parts(g, f"{where}.geometries[{j}]")]
    return []


def _check_line_sizes(value: Any, name: str, where: str) -> None:
    for coords, spot in _line_parts(value, where):
        if isinstance(coords, list) and len(coords) < 2:
            raise _not_enough_points(name, spot)


def _check_lines_have_length(geometry: BaseGeometry, value: Any, name: str, where: str) -> None:
    """A line whose points are all the same point (a GPS that did not move, a copy error) has
    no direction and no length: refused, naming the line."""
    parts = [g for g in getattr(geometry, "geoms", [geometry])
             for g in getattr(g, "geoms", [g])]
    if not any(isinstance(g, LineString) and g.length == 0 for g in parts):
        return
    for coords, spot in _line_parts(value, where):
        if len({tuple(p) for p in coords if isinstance(p, list)}) < 2:
            raise _not_enough_points(name, spot)
    raise _not_enough_points(name, where)


def _refuse_non_finite(value: Any, name: str, where: str) -> None:
    """Name the first coordinate of a GeoJSON geometry that is not a finite number."""
    if not isinstance(value, dict):
        return
    if value.get("type") == "GeometryCollection":
        for j, g in enumerate(value.get("geometries") or []):
            _refuse_non_finite(g, name, f"{where}.geometries[{j}]")
        return

    def walk(item: Any, spot: str) -> None:
        if isinstance(item, float) and not math.isfinite(item):
            raise GeoFileError(_("%(file)s: %(element)s is not a finite number (%(value)s): "
                                 "a coordinate must be a number of degrees")
                               % {"file": name, "element": spot, "value": item})
        if isinstance(item, list):
            for k, sub in enumerate(item):
                walk(sub, f"{spot}[{k}]")

    walk(value.get("coordinates"), f"{where}.coordinates")


def _check_range(geometry: BaseGeometry, name: str, where: str) -> None:
    if geometry.is_empty:
        return
    west, south, east, north = geometry.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise GeoFileError(_("%(file)s: %(element)s has coordinates outside longitude -180..180 "
                             "and latitude -90..90 (are longitude and latitude swapped?)")
                           % {"file": name, "element": where})


# --- XML (GPX, KML) -------------------------------------------------------------------------

# Without a DTD an XML file can define no entity, so it can be neither a "billion laughs" nor
# an external-entity attack. A file with no NUL byte (not UTF-16/32), UTF-8 or ASCII by its
# declaration and no "<!" other than comments and CDATA can hold no DTD: it goes through the
# C parser, five times faster than defusedxml's pure-Python handlers (a year of patrols is a
# million GPX points); every other file goes through defusedxml.
_PLAIN_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?(?:<\?xml[^>]*?encoding\s*=\s*["'](?:utf-8|us-ascii)["']|(?!<\?xml[^>]*encoding))""",
                             re.IGNORECASE)
_DECLARATION = re.compile(rb"<!(?!--|\[CDATA\[)")


def _parse_xml(data: bytes, name: str) -> Element:
    try:
        if (b"\x00" not in data and _PLAIN_ENCODING.match(data)
                and not _DECLARATION.search(data)):
            from xml.etree.ElementTree import fromstring

            return fromstring(data)
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise GeoFileError(_("%(file)s: DTDs and entities are not accepted in geometry files")
                           % {"file": name}) from None
    except SafeET.ParseError as error:
        raise GeoFileError(_("%(file)s is not well-formed XML: %(error)s")
                           % {"file": name, "error": error}) from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, tag: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == tag]


def _descendants(element: Element, tag: str) -> list[Element]:
    return [child for child in element.iter() if _local(child.tag) == tag]


def _text(element: Element, tag: str) -> str | None:
    found = _children(element, tag)
    text = (found[0].text or "").strip() if found else ""
    return text or None


def _number(value: str | None, name: str, where: str, what: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = float("nan")
    if math.isnan(number) or abs(number) > (90 if what == "lat" else 180):
        raise GeoFileError(_("%(file)s: %(element)s has no valid %(what)s: %(value)r")
                           % {"file": name, "element": where, "what": what, "value": value})
    return number


# GPX 1.0 and 1.1 (https://www.topografix.com/GPX/1/1/): wpt, rte/rtept, trk/trkseg/trkpt with
# lat and lon attributes in decimal degrees, WGS 84.
def read_gpx(data: bytes, name: str = "GPX") -> list[Feature]:
    root = _parse_xml(data, name)
    if _local(root.tag) != "gpx":
        raise GeoFileError(_("%(file)s: the root element is <%(element)s>, not <gpx>")
                           % {"file": name, "element": _local(root.tag)})
    out: list[Feature] = []
    for i, wpt in enumerate(_children(root, "wpt")):
        out.append(Feature(Point(_gpx_point(wpt, name, f"wpt[{i}]")), _text(wpt, "name"),
                           _gpx_props(wpt)))
    for i, rte in enumerate(_children(root, "rte")):
        points = [_gpx_point(p, name, f"rte[{i}]/rtept[{j}]")
                  for j, p in enumerate(_children(rte, "rtept"))]
        if len(set(points)) >= 2:
            out.append(Feature(LineString(points), _text(rte, "name"), _gpx_props(rte)))
    for i, trk in enumerate(_children(root, "trk")):
        segments = []
        for j, seg in enumerate(_children(trk, "trkseg")):
            points = [_gpx_point(p, name, f"trk[{i}]/trkseg[{j}]/trkpt[{k}]")
                      for k, p in enumerate(_children(seg, "trkpt"))]
            # an empty or one-point segment has no line (GPS just woke up), nor one whose
            # points are all the same (the unit stood still)
            if len(set(points)) >= 2:
                segments.append(points)
        if segments:
            geometry = LineString(segments[0]) if len(segments) == 1 else MultiLineString(segments)
            out.append(Feature(geometry, _text(trk, "name"), _gpx_props(trk)))
    return out


def _gpx_point(element: Element, name: str, where: str) -> tuple[float, float]:
    return (_number(element.get("lon"), name, where, "lon"),
            _number(element.get("lat"), name, where, "lat"))


def _gpx_props(element: Element) -> dict[str, Any]:
    return {key: value for key in ("desc", "type", "cmt")
            if (value := _text(element, key)) is not None}


# KML 2.2 (OGC 07-147r2): Placemarks holding Point, LineString, LinearRing, Polygon or
# MultiGeometry; <coordinates> is "lon,lat[,alt]" tuples separated by white space.
def read_kml(data: bytes, name: str = "KML") -> list[Feature]:
    root = _parse_xml(data, name)
    if _local(root.tag) != "kml":
        raise GeoFileError(_("%(file)s: the root element is <%(element)s>, not <kml>")
                           % {"file": name, "element": _local(root.tag)})
    out: list[Feature] = []
    for i, placemark in enumerate(_descendants(root, "Placemark")):
        label = _text(placemark, "name")
        where = f"Placemark[{i}]" + (f" '{label}'" if label else "")
        parts = [_kml_geometry(child, name, where) for child in placemark
                 if _local(child.tag) in _KML_GEOMETRIES]
        parts = [p for p in parts if p is not None]
        if not parts:
            continue
        props: dict[str, Any] = {}
        for data_el in _descendants(placemark, "Data"):
            if data_el.get("name"):
                props[data_el.get("name")] = _text(data_el, "value")
        if (description := _text(placemark, "description")) is not None:
            props["description"] = description
        out.append(Feature(parts[0] if len(parts) == 1 else _collect(parts), label, props))
    return out


_KML_GEOMETRIES = ("Point", "LineString", "LinearRing", "Polygon", "MultiGeometry")
_SPACE = re.compile(r"\s+")


def _kml_coordinates(element: Element, name: str, where: str) -> list[tuple[float, float]]:
    found = _descendants(element, "coordinates")
    if not found:
        raise GeoFileError(_("%(file)s: %(element)s has no <coordinates>")
                           % {"file": name, "element": where})
    points = []
    for k, item in enumerate(_SPACE.split((found[0].text or "").strip())):
        if not item:
            continue
        values = item.split(",")
        spot = f"{where}/coordinates[{k}]"
        if len(values) < 2:
            raise GeoFileError(_("%(file)s: %(element)s is not lon,lat: %(value)r")
                               % {"file": name, "element": spot, "value": item[:40]})
        points.append((_number(values[0], name, spot, "lon"),
                       _number(values[1], name, spot, "lat")))
    return points


def _kml_geometry(element: Element, name: str, where: str) -> BaseGeometry | None:
    tag = _local(element.tag)
    where = f"{where}/{tag}"
    if tag == "Point":
        points = _kml_coordinates(element, name, where)
        return Point(points[0]) if points else None
    if tag in ("LineString", "LinearRing"):
        points = _kml_coordinates(element, name, where)
        if len(set(points)) < 2:
            raise _not_enough_points(name, where)
        return LineString(points)
    if tag == "Polygon":
        outer = [_kml_coordinates(b, name, f"{where}/outerBoundaryIs")
                 for b in _children(element, "outerBoundaryIs")]
        inner = [_kml_coordinates(b, name, f"{where}/innerBoundaryIs[{j}]")
                 for j, b in enumerate(_children(element, "innerBoundaryIs"))]
        if not outer or len(outer[0]) < 4:
            raise GeoFileError(_("%(file)s: %(element)s has no closed outer boundary")
                               % {"file": name, "element": where})
        return Polygon(outer[0], inner)
    parts = [_kml_geometry(child, name, f"{where}[{j}]") for j, child in enumerate(element)
             if _local(child.tag) in _KML_GEOMETRIES]
    parts = [p for p in parts if p is not None]
    return _collect(parts) if parts else None


def _collect(parts: list[BaseGeometry]) -> BaseGeometry:
    """Parts of one kind become the Multi- form; mixed kinds a GeometryCollection."""
    parts = [g for p in parts for g in (p.geoms if p.geom_type.startswith("Multi") else [p])]
    kinds = {p.geom_type for p in parts}
    if kinds == {"Point"}:
        return MultiPoint(parts)
    if kinds == {"LineString"}:
        return MultiLineString(parts)
    if kinds == {"Polygon"}:
        return MultiPolygon(parts)
    from shapely.geometry import GeometryCollection

    return GeometryCollection(parts)


__all__ = ["MAX_BYTES", "Feature", "GeoFileError", "TrackSegment", "read_features", "read_geojson",
           "read_gpx", "read_gpx_segments", "read_kml"]


# --- GPX tracks as recorded -----------------------------------------------------------------

@dataclass
class TrackSegment:
    """One GPX ``trkseg``: its points (lon, lat) in file order, their times where given (UTC),
    and where it is in the file (``trk[0]/trkseg[1]``) for messages."""

    points: list[tuple[float, float]]
    times: list[datetime | None]
    where: str
    track: str | None = None


def read_gpx_segments(data: bytes, name: str = "GPX", *,
                      require_time_order: bool = True) -> list[TrackSegment]:
    """Every ``trkseg`` of a GPX file as recorded: not joined, one-point and empty segments
    kept (the caller decides what a point means), routes and waypoints ignored.

    Why apart from ``read_gpx``: coverage and track cleaning need the segments one by one with
    their times. With ``require_time_order`` a point timed before the one before it is an
    error naming the point (a track is a polyline in time order; sorting it silently would
    hide a broken logger)."""
    root = _parse_xml(data, name)
    if _local(root.tag) != "gpx":
        raise GeoFileError(_("%(file)s: the root element is <%(element)s>, not <gpx>")
                           % {"file": name, "element": _local(root.tag)})
    out: list[TrackSegment] = []
    ns = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    for i, trk in enumerate(_children(root, "trk")):
        for j, seg in enumerate(_children(trk, "trkseg")):
            where = f"trk[{i}]/trkseg[{j}]"
            # a year of patrols is a million points: read attributes in bulk and walk the
            # points one by one only to name the first bad one
            found = seg.findall(f"{ns}trkpt")
            points = _gpx_points(found, name, where)
            stamps = [p.findtext(f"{ns}time") for p in found]
            times: list[datetime | None] = []
            last: datetime | None = None
            if not any(stamps):  # untimed (a route drawn by hand, an export without times)
                out.append(TrackSegment(points, [None] * len(points), where, _text(trk, "name")))
                continue
            for k, stamp in enumerate(stamps):
                when = _gpx_time(stamp.strip() or None if stamp is not None else None, name,
                                 f"{where}/trkpt[{k}]")
                if require_time_order and when is not None and last is not None and when < last:
                    raise GeoFileError(
                        _("%(file)s: %(element)s is timed %(time)s, before the point before it "
                          "(%(last)s): time runs backwards")
                        % {"file": name, "element": f"{where}/trkpt[{k}]",
                           "time": when.isoformat(), "last": last.isoformat()})
                last = when or last
                times.append(when)
            out.append(TrackSegment(points, times, where, _text(trk, "name")))
    return out


def _gpx_points(found: list[Element], name: str, where: str) -> list[tuple[float, float]]:
    try:
        lon = [float(p.get("lon")) for p in found]  # type: ignore[arg-type]
        lat = [float(p.get("lat")) for p in found]  # type: ignore[arg-type]
        if all(-180 <= x <= 180 for x in lon) and all(-90 <= y <= 90 for y in lat):
            return list(zip(lon, lat, strict=True))
    except (TypeError, ValueError):
        pass
    return [_gpx_point(p, name, f"{where}/trkpt[{k}]") for k, p in enumerate(found)]


def _gpx_time(value: str | None, name: str, where: str) -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise GeoFileError(_("%(file)s: %(element)s has no valid %(what)s: %(value)r")
                           % {"file": name, "element": where, "what": "time",
                              "value": value[:40]}) from None
    # GPX times are UTC (GPX 1.1 schema); a time written without a zone is read as UTC
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
