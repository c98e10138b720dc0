"""The map as GeoJSON: one FeatureCollection per layer the user may see, and where to look.

Each layer is a query filtered by need-to-know (``access.visible``), so a layer whose records
the user may not see is simply absent: a village committee's map has no cameras and no
checkpoints layer, an auxiliary's none of the AMBER cameras. Feature properties carry the
fields a popup shows, already in the user's language (field names in ``FIELDS``), because the
page only draws them. No QR token is ever on the map.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.border.geo import access
from bastion.border.geo.models import (
    BorderLine,
    BorderPlace,
    BorderPost,
    BoundaryMarker,
    Checkpoint,
    DefenceSegment,
    PlaceKind,
)
from bastion.border.geo.posts import village_ids
from bastion.core import context
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import label
from bastion.core.marking import AreaAssignment
from bastion.org.models import Agency, User

PLACE_LAYERS = {PlaceKind.CAMERA: "cameras", PlaceKind.BRIDGE: "bridges",
                PlaceKind.PIER: "piers", PlaceKind.BARRIER: "barriers",
                PlaceKind.VILLAGE: "villages", PlaceKind.CROSSING: "crossings"}
LAYERS = {
    "line": lazy("Border line"), "markers": lazy("Boundary markers"),
    "segments": lazy("Defence segments"), "posts": lazy("Joint-defence posts"),
    "checkpoints": lazy("Checkpoints"), "cameras": lazy("Cameras"), "bridges": lazy("Bridges"),
    "piers": lazy("Piers"), "barriers": lazy("Barrier posts"), "villages": lazy("Villages"),
    "crossings": lazy("Crossings"),
}
FIELDS = {
    "length_km": lazy("Length (km)"), "kind": lazy("Kind"), "chainage_km": lazy("Chainage (km)"),
    "offset_m": lazy("Off the line (m)"), "elevation_m": lazy("Elevation (m)"),
    "note": lazy("Note"), "from_marker": lazy("From marker"), "to_marker": lazy("To marker"),
    "chief": lazy("Segment chief"), "chief_phone": lazy("Phone"), "post": lazy("Post"),
    "grade": lazy("Grade"), "staff": lazy("Staff"), "villages": lazy("Linked villages"),
    "radius_m": lazy("Radius (m)"), "windows": lazy("Time windows"), "segment": lazy("Segment"),
}


def _point(layer: str, text: str, lon: float, lat: float, record_id: int,
           **fields: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"layer": layer, "label": text, "id": record_id,
                           **{k: v for k, v in fields.items() if v not in (None, "", [])}}}


def _line(layer: str, text: str, geometry: dict, record_id: int, **fields: Any) -> dict:
    return {"type": "Feature", "geometry": geometry,
            "properties": {"layer": layer, "label": text, "id": record_id,
                           **{k: v for k, v in fields.items() if v not in (None, "", [])}}}


class _Names:
    """Agency, segment and marker names looked up once per map."""

    def __init__(self, session: Session, language: str) -> None:
        self.session, self.language = session, language
        self.agencies: dict[int, str] = {}

    def agency(self, agency_id: int | None) -> str | None:
        if agency_id is None:
            return None
        if agency_id not in self.agencies:
            agency = self.session.get(Agency, agency_id)
            self.agencies[agency_id] = agency.display_name(self.language) if agency else ""
        return self.agencies[agency_id]


def layers(session: Session, *, user: User) -> dict[str, dict[str, Any]]:
    """Every non-empty layer the user may see, in drawing order."""
    names = _Names(session, context.current().language)
    found: dict[str, list[dict]] = {key: [] for key in LAYERS}
    for line in session.scalars(access.visible(BorderLine, user).order_by(BorderLine.id)):
        found["line"].append(_line("line", line.name, line.geometry, line.id,
                                   length_km=round(line.length_m / 1000, 2)))
    markers = {m.id: m for m in session.scalars(
        access.visible(BoundaryMarker, user).order_by(BoundaryMarker.chainage_m))}
    kind_word = _("Marker")
    for m in markers.values():
        found["markers"].append(_point(
            "markers", f"{kind_word} {m.number}", m.lon, m.lat, m.id, kind=label(m.kind),
            chainage_km=None if m.chainage_m is None else round(m.chainage_m / 1000, 3),
            offset_m=None if m.offset_m is None else round(m.offset_m), elevation_m=m.elevation_m,
            note=m.note))
    segments = {s.id: s for s in session.scalars(
        access.visible(DefenceSegment, user).order_by(DefenceSegment.code))}
    number = dict(session.execute(select(BoundaryMarker.id, BoundaryMarker.number).where(
        BoundaryMarker.id.in_({i for s in segments.values()
                               for i in (s.from_marker_id, s.to_marker_id)}))).all())
    for s in segments.values():
        found["segments"].append(_line(
            "segments", f"{s.code} {s.name}", s.geometry, s.id,
            length_km=round(s.length_m / 1000, 2), from_marker=number.get(s.from_marker_id),
            to_marker=number.get(s.to_marker_id), chief=s.chief_name, chief_phone=s.chief_phone,
            post=names.agency(s.post_agency_id)))
    places = list(session.scalars(access.visible(BorderPlace, user).order_by(BorderPlace.name)))
    place_names = {p.id: p.name for p in places}
    posts = list(session.scalars(access.visible(BorderPost, user).order_by(BorderPost.id)))
    links = village_ids(session, [p.id for p in posts])
    for p in posts:
        found["posts"].append(_point(
            "posts", names.agency(p.agency_id) or "", p.lon, p.lat, p.id, grade=p.grade,
            staff=p.staff, villages=", ".join(place_names[v] for v in links.get(p.id, [])
                                              if v in place_names)))
    segment_name = {s.id: f"{s.code} {s.name}" for s in segments.values()}
    for c in session.scalars(access.visible(Checkpoint, user).where(
            Checkpoint.active.is_(True)).order_by(Checkpoint.code)):
        found["checkpoints"].append(_point(
            "checkpoints", f"{c.code} {c.name}", c.lon, c.lat, c.id, radius_m=c.radius_m,
            windows=", ".join(f"{a}–{b}" for a, b in c.windows),
            segment=segment_name.get(c.segment_id), post=names.agency(c.post_agency_id)))
    for p in places:
        layer = PLACE_LAYERS[p.kind]
        extra = {str(k): v for k, v in (p.properties or {}).items()
                 if isinstance(v, str | int | float) and k not in ("layer", "label", "id")}
        found[layer].append(_point(layer, p.name, p.lon, p.lat, p.id,
                                   segment=segment_name.get(p.segment_id), **extra))
    return {key: {"type": "FeatureCollection", "title": _(LAYERS[key]), "features": items}
            for key, items in found.items() if items}


def bounds(session: Session, *, user: User) -> list[float] | None:
    """[west, south, east, north] of the user's area: a unit given segments (area
    assignments) or responsible for segments sees those; everyone else the whole map."""
    access.require_read(user)
    own = select(AreaAssignment.area_id).where(AreaAssignment.agency_id == user.agency_id,
                                               AreaAssignment.area_kind == "segment")
    visible = access.visible(DefenceSegment, user)
    for query in (visible.where(DefenceSegment.id.in_(own)),
                  visible.where(DefenceSegment.post_agency_id == user.agency_id)):
        found = _box(session.scalars(query).all())
        if found:
            return found
    return _box(session.scalars(access.visible(BorderLine, user)).all()) or _box(
        session.scalars(access.visible(DefenceSegment, user)).all())


def _box(rows: Any) -> list[float] | None:
    if not rows:
        return None
    return [min(r.min_lon for r in rows), min(r.min_lat for r in rows),
            max(r.max_lon for r in rows), max(r.max_lat for r in rows)]


def map_payload(session: Session, *, user: User) -> dict[str, Any]:
    access.require_read(user)
    return {"layers": layers(session, user=user), "bounds": bounds(session, user=user),
            "fields": {k: _(v) for k, v in FIELDS.items()}}
