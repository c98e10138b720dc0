"""The border map's services, in one place for the other parts of #12 to call.

The work lives in short modules (``imports``, ``markers``, ``segments``, ``posts``,
``places``, ``checkpoints``, ``mapdata``); this module re-exports the writes and holds the
need-to-know queries that patrols, plans, measures and the field kit read the map through, so
they never filter a geo model themselves.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bastion.border.geo import access
from bastion.border.geo.checkpoints import (
    create_checkpoint,
    for_sheet,
    parse_qr,
    qr_matches,
    qr_text,
    renew_token,
)
from bastion.border.geo.imports import import_line
from bastion.border.geo.mapdata import bounds as map_bounds
from bastion.border.geo.mapdata import map_payload
from bastion.border.geo.markers import import_markers
from bastion.border.geo.models import (
    BorderLine,
    BorderPlace,
    BorderPost,
    BoundaryMarker,
    Checkpoint,
    DefenceSegment,
    PlaceKind,
)
from bastion.border.geo.places import create_place
from bastion.border.geo.posts import save_post
from bastion.border.geo.segments import create_segment, line_for
from bastion.core.marking import AreaAssignment
from bastion.org.models import User

__all__ = ["checkpoints_query", "create_checkpoint", "create_place", "create_segment",
           "for_sheet", "get_checkpoint", "get_segment", "import_line", "import_markers",
           "line_for", "lines_query", "map_bounds", "map_payload", "markers_query",
           "my_segment_ids", "parse_qr", "places_query", "posts_query", "qr_matches", "qr_text",
           "renew_token", "save_post", "segments_query", "visible_checkpoints",
           "visible_segments"]


def lines_query(*, user: User) -> Select:
    return access.visible(BorderLine, user).order_by(BorderLine.id)


def markers_query(*, user: User, line_id: int | None = None) -> Select:
    query = access.visible(BoundaryMarker, user)
    if line_id is not None:
        query = query.where(BoundaryMarker.line_id == line_id)
    return query.order_by(BoundaryMarker.line_id, BoundaryMarker.chainage_m, BoundaryMarker.id)


def segments_query(*, user: User, post_agency_id: int | None = None) -> Select:
    query = access.visible(DefenceSegment, user)
    if post_agency_id is not None:
        query = query.where(DefenceSegment.post_agency_id == post_agency_id)
    return query.order_by(DefenceSegment.code)


def checkpoints_query(*, user: User, segment_id: int | None = None,
                      post_agency_id: int | None = None, active_only: bool = True) -> Select:
    query = access.visible(Checkpoint, user)
    if active_only:
        query = query.where(Checkpoint.active.is_(True))
    if segment_id is not None:
        query = query.where(Checkpoint.segment_id == segment_id)
    if post_agency_id is not None:
        query = query.where(Checkpoint.post_agency_id == post_agency_id)
    return query.order_by(Checkpoint.code)


def posts_query(*, user: User) -> Select:
    return access.visible(BorderPost, user).order_by(BorderPost.id)


def places_query(*, user: User, kind: PlaceKind | None = None) -> Select:
    query = access.visible(BorderPlace, user)
    if kind is not None:
        query = query.where(BorderPlace.kind == kind)
    return query.order_by(BorderPlace.kind, BorderPlace.name)


def visible_segments(session: Session, *, user: User,
                     post_agency_id: int | None = None) -> list[DefenceSegment]:
    """The segments the user may see (a post's own when ``post_agency_id`` is given)."""
    return list(session.scalars(segments_query(user=user, post_agency_id=post_agency_id)))


def visible_checkpoints(session: Session, *, user: User, segment_id: int | None = None,
                        post_agency_id: int | None = None) -> list[Checkpoint]:
    return list(session.scalars(checkpoints_query(user=user, segment_id=segment_id,
                                                  post_agency_id=post_agency_id)))


def get_segment(session: Session, *, user: User, segment_id: int) -> DefenceSegment:
    """A segment the user may see, else NotFound (404)."""
    return access.get_visible(session, DefenceSegment, user, segment_id)


def get_checkpoint(session: Session, *, user: User, checkpoint_id: int) -> Checkpoint:
    return access.get_visible(session, Checkpoint, user, checkpoint_id)


def my_segment_ids(session: Session, *, user: User) -> list[int]:
    """The segments of the user's unit: its area assignments of kind "segment", else those
    it is the responsible post of; empty for a unit with neither (the command: all)."""
    assigned = list(session.scalars(select(AreaAssignment.area_id).where(
        AreaAssignment.agency_id == user.agency_id, AreaAssignment.area_kind == "segment")))
    if assigned:
        return assigned
    return list(session.scalars(select(DefenceSegment.id).where(
        DefenceSegment.post_agency_id == user.agency_id)))
