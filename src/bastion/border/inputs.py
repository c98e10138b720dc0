"""Reading the coverage command's files: named border segments (GeoJSON) and GPX tracks.

Both come from outside (a survey team, a hand-held GPS), so they go through the floor's
hostile-file readers (``core.geo.files``: size limit, defusedxml, coordinates in range) and
every refusal names the file and the feature or point, so the user can fix that one place.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from shapely.geometry.base import BaseGeometry

from bastion.core.geo.files import MAX_BYTES, GeoFileError, read_geojson, read_gpx_segments
from bastion.core.i18n import gettext as _


def _read(path: Path) -> bytes:
    name = path.name
    try:
        if path.stat().st_size > MAX_BYTES:
            raise GeoFileError(_("%(file)s is larger than %(mb)d MB")
                               % {"file": name, "mb": MAX_BYTES // (1024 * 1024)})
        data = path.read_bytes()
    except OSError as error:
        raise GeoFileError(_("%(file)s cannot be read: %(error)s")
                           % {"file": str(path), "error": error.strerror or error}) from None
    if not data.strip():
        raise GeoFileError(_("%(file)s is empty") % {"file": name})
    return data


def read_segments(path: Path) -> list[tuple[str, BaseGeometry]]:
    """The named LineString/MultiLineString features of a GeoJSON FeatureCollection."""
    name = path.name
    data = _read(path)
    try:
        kind = json.loads(data.decode("utf-8-sig")).get("type")
    except (UnicodeDecodeError, ValueError, AttributeError):
        kind = None  # read_geojson says what is wrong
    features = read_geojson(data, name)
    if kind != "FeatureCollection":
        raise GeoFileError(_("%(file)s is not a GeoJSON FeatureCollection") % {"file": name})
    if not features:
        raise GeoFileError(_("%(file)s has no features") % {"file": name})
    seen: dict[str, int] = {}
    out = []
    for i, feature in enumerate(features):
        where = f"features[{i}]"
        label = (feature.name or "").strip()
        if not label:
            raise GeoFileError(_("%(file)s: %(element)s has no name property")
                               % {"file": name, "element": where})
        where = f"{where} '{label}'"
        if label in seen:
            raise GeoFileError(_("%(file)s: %(element)s has the same name as features[%(n)d]")
                               % {"file": name, "element": where, "n": seen[label]})
        seen[label] = i
        geometry = feature.geometry
        if geometry.geom_type not in ("LineString", "MultiLineString"):
            raise GeoFileError(_("%(file)s: %(element)s is a %(kind)s, not a LineString or "
                                 "MultiLineString") % {"file": name, "element": where,
                                                       "kind": geometry.geom_type})
        parts = geometry.geoms if geometry.geom_type == "MultiLineString" else [geometry]
        if geometry.is_empty or any(len(set(p.coords)) < 2 for p in parts):
            raise GeoFileError(_("%(file)s: %(element)s needs at least two distinct points in "
                                 "each line") % {"file": name, "element": where})
        out.append((label, geometry))
    return out


def read_tracks(path: Path) -> list[np.ndarray]:
    """Each ``trkseg`` of a GPX file as an array of (lon, lat) rows, in file (= time) order;
    empty segments left out, a one-point segment kept as a point."""
    segments = read_gpx_segments(_read(path), path.name)
    return [np.asarray(s.points, dtype=float) for s in segments if s.points]


__all__ = ["GeoFileError", "read_segments", "read_tracks"]
