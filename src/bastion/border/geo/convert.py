"""ORM rows to the API's public models (names looked up in one query per list)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.border.geo.checkpoints import qr_text
from bastion.border.geo.models import (
    BorderLine,
    BorderPlace,
    BorderPost,
    BoundaryMarker,
    Checkpoint,
    DefenceSegment,
)
from bastion.border.geo.posts import village_ids
from bastion.border.geo.schemas import (
    CheckpointPublic,
    LinePublic,
    MarkerPublic,
    PlacePublic,
    PostPublic,
    SegmentPublic,
)
from bastion.core import context
from bastion.org.models import Agency


def line(row: BorderLine) -> LinePublic:
    return LinePublic(id=row.id, name=row.name, source=row.source, length_m=row.length_m,
                      bounds=[row.min_lon, row.min_lat, row.max_lon, row.max_lat])


def marker(row: BoundaryMarker) -> MarkerPublic:
    return MarkerPublic(id=row.id, number=row.number, kind=row.kind, lon=row.lon, lat=row.lat,
                        elevation_m=row.elevation_m, line_id=row.line_id,
                        chainage_m=row.chainage_m, offset_m=row.offset_m, note=row.note)


def segments(session: Session, rows: Sequence[DefenceSegment]) -> list[SegmentPublic]:
    ids = {i for s in rows for i in (s.from_marker_id, s.to_marker_id)}
    numbers = dict(session.execute(select(BoundaryMarker.id, BoundaryMarker.number)
                                   .where(BoundaryMarker.id.in_(ids))).all())
    return [SegmentPublic(id=s.id, code=s.code, name=s.name, line_id=s.line_id,
                          from_marker=numbers.get(s.from_marker_id, ""),
                          to_marker=numbers.get(s.to_marker_id, ""), length_m=s.length_m,
                          chief_name=s.chief_name, chief_phone=s.chief_phone,
                          post_agency_id=s.post_agency_id, geometry=s.geometry) for s in rows]


def posts(session: Session, rows: Sequence[BorderPost]) -> list[PostPublic]:
    language = context.current().language
    names = {a.id: a.display_name(language) for a in session.scalars(
        select(Agency).where(Agency.id.in_([p.agency_id for p in rows])))}
    links = village_ids(session, [p.id for p in rows])
    return [PostPublic(id=p.id, agency_id=p.agency_id, name=names.get(p.agency_id, ""),
                       grade=p.grade, lon=p.lon, lat=p.lat, staff=p.staff,
                       village_ids=links.get(p.id, [])) for p in rows]


def checkpoint(row: Checkpoint, *, with_token: bool) -> CheckpointPublic:
    return CheckpointPublic(id=row.id, code=row.code, name=row.name, lon=row.lon, lat=row.lat,
                            radius_m=row.radius_m, windows=row.windows, segment_id=row.segment_id,
                            post_agency_id=row.post_agency_id, active=row.active,
                            qr_text=qr_text(row) if with_token else None)


def place(row: BorderPlace) -> PlacePublic:
    return PlacePublic(id=row.id, kind=row.kind, name=row.name, lon=row.lon, lat=row.lat,
                       segment_id=row.segment_id, properties=row.properties or {})
