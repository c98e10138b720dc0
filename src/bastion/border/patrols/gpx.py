"""A patrol's track from a hand-held GPS unit's GPX file: one chunk per ``trkseg``.

The file is read by the floor's hostile-file-safe reader (``core.geo.files``), checked whole,
then stored through ``tracks.add_chunk`` (cleaned there, with what was removed and why). Each
chunk's client id is made of the file's SHA-256 and the segment's index, so uploading the same
file again finds every chunk stored and changes nothing; the same file on another patrol, or
read another way (with or without GCJ-02), is a 409. The caller's transaction holds the whole
file: a refusal anywhere stores nothing.

Refused, naming the file and the element (``trk[0]/trkseg[1]/trkpt[7]``):

- a file that is not GPX, not well-formed, or has no track points (routes and waypoints are
  not a patrol's track);
- a point without a time: a track without times gives neither speed (cleaning) nor the hour
  of the patrol (measures);
- coordinates outside -180..180 / -90..90;
- time running backwards inside a ``trkseg``. Refused rather than dropped as ``time``: a unit
  logs in time order, so a point out of order means a broken logger or two logs spliced by
  hand, and every point after it is suspect; dropping one point would hide that. Repeated
  times (a unit logging twice in a second) are not backwards: cleaning drops them as ``time``;
- a segment farther than ``MAX_FROM_BORDER_M`` from every border line the user may see (the
  wrong file, or a track of somewhere else): the distance is given. With no line on the map
  yet, nothing is measured.

With ``gcj02`` the file's positions are taken as GCJ-02 (a track exported from a Chinese map
app) and converted to WGS-84 before anything else (``core.geo.gcj02``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import LineString, MultiLineString, MultiPoint, Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.audit.models import AuditAction
from bastion.audit.service import record as audit
from bastion.border.geo.models import BorderLine
from bastion.border.patrols import tracks
from bastion.border.patrols.models import Patrol
from bastion.core.errors import Conflict, Invalid
from bastion.core.geo import geodesic_m
from bastion.core.geo.files import GeoFileError, TrackSegment, read_gpx_segments
from bastion.core.geo.gcj02 import gcj02_to_wgs84
from bastion.core.geo.metric import local_metric
from bastion.core.i18n import gettext as _
from bastion.core.marking import visible_to
from bastion.org.models import User

# A border county reaches some tens of km inland; a patrol track farther than this from every
# line is not a border patrol (checked per segment, by its nearest point).
MAX_FROM_BORDER_M = 50_000.0


@dataclass
class SegmentOutcome:
    """One stored chunk: a whole segment, or a part of a very long one."""

    where: str  # trk[0]/trkseg[1]
    client_id: str
    points: int
    kept: int
    duplicate: bool
    removed: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class GpxImport:
    file: str
    converted_from: str | None
    segments: list[SegmentOutcome]  # removed: reasons as in ``cleaning.REASONS``

    @property
    def duplicate(self) -> bool:
        return all(s.duplicate for s in self.segments)

    @property
    def chunks_stored(self) -> int:
        return sum(not s.duplicate for s in self.segments)


def chunk_id(data: bytes, index: int) -> str:
    """The client id of a file's ``index``-th track segment (at most 64 characters; a
    segment longer than one chunk adds ``.<part>``)."""
    return f"gpx:{hashlib.sha256(data).hexdigest()[:48]}:{index}"


def read(data: bytes, *, filename: str, gcj02: bool = False) -> list[tuple[TrackSegment,
                                                                          list[list[Any]]]]:
    """The file's non-empty segments with their points ``[epoch_s, lon, lat, None]``
    (converted to WGS-84 when ``gcj02``); ``Invalid`` on field ``file`` naming the element."""
    try:
        segments = read_gpx_segments(data, filename, require_time_order=True)
    except GeoFileError as error:
        raise Invalid(str(error), field="file") from None
    out = []
    for segment in segments:
        if not segment.points:
            continue
        points: list[list[Any]] = []
        for k, ((lon, lat), when) in enumerate(zip(segment.points, segment.times, strict=True)):
            if when is None:
                raise Invalid(_("%(file)s: %(element)s has no time: a patrol's track needs the "
                                "time of every point (set the unit to log times).")
                              % {"file": filename, "element": f"{segment.where}/trkpt[{k}]"},
                              field="file")
            if gcj02:
                lon, lat = gcj02_to_wgs84(lon, lat)
            points.append([when.timestamp(), lon, lat, None])
        out.append((segment, points))
    if not out:
        raise Invalid(_("%(file)s has no track points (trk/trkseg/trkpt): routes and waypoints "
                        "are not a patrol's track.") % {"file": filename}, field="file")
    return out


def _border(session: Session, user: User) -> BaseGeometry | None:
    lines = session.scalars(select(BorderLine.geometry).where(visible_to(BorderLine, user))).all()
    parts: list[LineString] = []
    for geometry in lines:
        shaped = shape(geometry)
        parts.extend(shaped.geoms if isinstance(shaped, MultiLineString) else [shaped])
    return MultiLineString(parts) if parts else None


def distance_to_border_m(border: BaseGeometry, points: list[list[Any]]) -> float:
    """Geodesic distance (m) from the nearest of ``points`` to the border lines: the nearest
    pair found in a plane centred on the track, then measured on the ellipsoid."""
    track = MultiPoint([(p[1], p[2]) for p in points]) if len(points) > 1 else Point(
        points[0][1], points[0][2])
    plane = local_metric(track)
    near_track, near_line = nearest_points(plane.to_metric(track), plane.to_metric(border))
    a, b = plane.to_lonlat(near_track), plane.to_lonlat(near_line)
    return geodesic_m(a.y, a.x, b.y, b.x)


def import_gpx(session: Session, *, patrol: Patrol, user: User, data: bytes, filename: str,
               gcj02: bool = False) -> GpxImport:
    """Store a GPX file's segments as track chunks of ``patrol`` (the caller has checked that
    the user sees the patrol and may record). Never commits."""
    segments = read(data, filename=filename, gcj02=gcj02)
    border = _border(session, user)
    if border is not None:
        for segment, points in segments:
            distance = distance_to_border_m(border, points)
            if distance > MAX_FROM_BORDER_M:
                raise Invalid(_("%(file)s: %(element)s is %(km).0f km from the border (at most "
                                "%(max).0f km): is it the right file, or a track in GCJ-02 "
                                "coordinates?")
                              % {"file": filename, "element": segment.where,
                                 "km": distance / 1000, "max": MAX_FROM_BORDER_M / 1000},
                              field="file")
    outcomes = []
    for index, (segment, points) in enumerate(segments):
        # a unit logging every second fills a segment past one chunk's limit in 6 hours: such
        # a segment is stored as parts, each judged from the one before it in time
        size = tracks.MAX_POINTS
        parts = [points[i:i + size] for i in range(0, len(points), size)]
        for part, part_points in enumerate(parts):
            client_id = chunk_id(data, index) + (f".{part}" if len(parts) > 1 else "")
            try:
                chunk, created = tracks.add_chunk(
                    session, patrol=patrol, client_id=client_id, points=part_points,
                    source="gpx", converted_from="gcj02" if gcj02 else None,
                    where=f"file.{segment.where}/trkpt")
            except Conflict:
                raise Conflict(_("%(file)s was imported before, to another patrol or with the "
                                 "other GCJ-02 choice: its %(element)s differs from the stored "
                                 "one.") % {"file": filename, "element": segment.where},
                               field="file") from None
            # indices are the trkpt's in its segment (a file in time order keeps its order)
            removed = [{"segment": segment.where, "index": part * size + k, "reason": reason,
                        "time": chunk.points[k][0], "lon": chunk.points[k][1],
                        "lat": chunk.points[k][2]} for k, reason in chunk.removed]
            outcomes.append(SegmentOutcome(segment.where, client_id, len(chunk.points),
                                           chunk.kept, not created, removed))
    result = GpxImport(filename, "gcj02" if gcj02 else None, outcomes)
    if not result.duplicate:
        audit(session, action=AuditAction.CREATE, actor=user, record_kind="patrol",
              record_id=patrol.id,
              summary=f"GPX {filename}: {result.chunks_stored} track segment(s)",
              detail={"file": filename, "sha256": hashlib.sha256(data).hexdigest(),
                      "gcj02": gcj02, "segments": [s.where for s in outcomes]})
    return result


__all__ = ["MAX_FROM_BORDER_M", "GpxImport", "SegmentOutcome", "chunk_id",
           "distance_to_border_m", "import_gpx", "read"]
