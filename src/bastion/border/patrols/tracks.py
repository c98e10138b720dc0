"""Storing track fixes: one chunk per upload (a phone's batch, one GPX ``trkseg``, a short
message's position), idempotent by the chunk's client id, cleaned on arrival, with the
patrol's running totals (distance, last position) kept up to date so the live picture and the
measures never read the points.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.border.patrols import cleaning
from bastion.border.patrols.models import Patrol, TrackChunk
from bastion.core.errors import Conflict, Invalid
from bastion.core.i18n import gettext as _

MAX_POINTS = 20_000  # one upload; a 12-hour patrol at one fix every 5 s is 8,640


def _check(points: Sequence[Sequence[Any]], where: str) -> list[list[Any]]:
    if not points:
        raise Invalid(_("A track needs at least one point."), field=where)
    if len(points) > MAX_POINTS:
        raise Invalid(_("At most %(n)d points in one upload.") % {"n": MAX_POINTS}, field=where)
    checked = []
    for index, point in enumerate(points):
        at = f"{where}[{index}]"
        if not isinstance(point, list | tuple) or len(point) not in (3, 4):
            raise Invalid(_("A point is [time, longitude, latitude] or [time, longitude, "
                            "latitude, accuracy]."), field=at)
        t, lon, lat = point[0], point[1], point[2]
        accuracy = point[3] if len(point) == 4 else None
        values = [t, lon, lat] + ([accuracy] if accuracy is not None else [])
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            raise Invalid(_("A point's values must be numbers."), field=at)
        if not -180 <= lon <= 180:
            raise Invalid(_("Longitude %(value)s is out of range (-180 to 180).")
                          % {"value": lon}, field=f"{at}[1]")
        if not -90 <= lat <= 90:
            raise Invalid(_("Latitude %(value)s is out of range (-90 to 90).")
                          % {"value": lat}, field=f"{at}[2]")
        if not 946_684_800 <= t <= 4_102_444_800:  # 2000-01-01 .. 2100-01-01
            # a unit with the GPS week-rollover bug logs 1999; a phone may send milliseconds
            raise Invalid(_("Time %(value)s (%(when)s) is not plausible: a fix is timed in Unix "
                            "seconds between 2000 and 2100 (is the unit's clock wrong?).")
                          % {"value": t, "when": _iso(t)}, field=f"{at}[0]")
        checked.append([float(t), float(lon), float(lat),
                        None if accuracy is None else float(accuracy)])
    return checked


def _iso(seconds: float) -> str:
    try:
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return "?"


def _last_kept(session: Session, patrol: Patrol, before: float) -> list[Any] | None:
    """The last kept fix of the patrol's chunk that ended before ``before`` (Unix seconds).

    The chunk before *in time*, not the newest: an offline phone's batches may arrive out of
    order, and a GPX file of a morning may come after the phone's afternoon; judged against
    the newest chunk, every fix of an earlier one would be dropped as ``time``."""
    previous = session.scalars(
        select(TrackChunk).where(TrackChunk.patrol_id == patrol.id,
                                 TrackChunk.last_at < datetime.fromtimestamp(before, UTC))
        .order_by(TrackChunk.last_at.desc(), TrackChunk.id.desc()).limit(1)).first()
    if previous is None:
        return None
    kept = cleaning.kept(previous.points, previous.removed)
    return list(kept[-1]) if kept else None


def add_chunk(session: Session, *, patrol: Patrol, client_id: str,
              points: Sequence[Sequence[Any]], source: str = "phone",
              converted_from: str | None = None,
              where: str = "points",
              max_speed_mps: float | None = None) -> tuple[TrackChunk, bool]:
    """Store one chunk of fixes (checked, cleaned); ``(chunk, False)`` when this client id
    was stored before with the same points (a re-upload changes nothing), a 409 when it was
    stored with different ones. The caller has already checked the user may record.
    ``max_speed_mps`` overrides the transport's limit in cleaning (a unit's setting)."""
    checked = _check(points, where)
    existing = session.scalars(select(TrackChunk).where(TrackChunk.client_id == client_id)).first()
    if existing is not None:
        if existing.patrol_id != patrol.id or existing.points != checked:
            raise Conflict(_("Track chunk %(id)s was uploaded before with other points.")
                           % {"id": client_id}, field="client_id")
        return existing, False
    if source == "gpx":  # a hand-held unit's file: its own order is not evidence of time
        checked.sort(key=lambda p: p[0])
    start_from = _last_kept(session, patrol, checked[0][0])
    removed = cleaning.clean(checked, transport=patrol.transport.value, start_from=start_from,
                             max_speed_mps=max_speed_mps)
    kept = cleaning.kept(checked, removed)
    chunk = TrackChunk(
        client_id=client_id, patrol_id=patrol.id, source=source, converted_from=converted_from,
        points=checked, removed=removed, kept=len(kept),
        first_at=datetime.fromtimestamp(checked[0][0], UTC),
        last_at=datetime.fromtimestamp(checked[-1][0], UTC),
        distance_m=cleaning.length_m(kept, start_from if source == "phone" else None))
    session.add(chunk)
    patrol.distance_m = (patrol.distance_m or 0.0) + chunk.distance_m
    if kept:
        newest = max(kept, key=lambda p: p[0])
        newest_at = datetime.fromtimestamp(newest[0], UTC)
        if patrol.last_fix_at is None or newest_at >= patrol.last_fix_at:
            patrol.last_lon, patrol.last_lat, patrol.last_fix_at = newest[1], newest[2], newest_at
    session.flush()
    return chunk, True


def kept_lines(chunks: Sequence[TrackChunk]) -> list[list[tuple[float, float]]]:
    """The kept fixes of each chunk as (lon, lat) polylines, for the map and the measures."""
    return [[(p[1], p[2]) for p in cleaning.kept(c.points, c.removed)] for c in chunks]
