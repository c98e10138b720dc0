"""The land border's dashboard tile: "my area" — the segments a user's unit answers for (a
post: the segments given to it as areas; the command and its partners: every segment they
may see), their length, the patrols there this week and those under way, with the way to the
map and the patrol pages. Counts obey need-to-know like every read."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bastion.border.geo.models import DefenceSegment
from bastion.border.patrols.models import Patrol, PatrolStatus
from bastion.core import context
from bastion.core.db import utcnow
from bastion.core.i18n import lazy
from bastion.core.marking import AreaAssignment, visible_to
from bastion.org.capabilities import can
from bastion.org.models import User

# (capability, label, url): the pages a land-border user goes on to, shown when allowed
LINKS = [("border.map.read", lazy("Border map"), "/border/map"),
         ("patrols.record", lazy("Record a patrol"), "/patrols/field"),
         ("patrols.live", lazy("Patrols under way"), "/patrols/live"),
         ("patrols.measures", lazy("Patrol measures"), "/patrols/measures")]


def my_area(session: Session, user: User) -> dict[str, Any] | None:
    """The tile's figures, or None (no tile) for users with no part in the land border."""
    if not can(user, "border.map.read"):
        return None
    query = select(DefenceSegment.id, DefenceSegment.length_m).where(
        visible_to(DefenceSegment, user))
    given = select(AreaAssignment.area_id).where(AreaAssignment.agency_id == user.agency_id,
                                                 AreaAssignment.area_kind == "segment")
    if session.scalar(select(func.count()).select_from(given.subquery())):
        query = query.where(DefenceSegment.id.in_(given))
    segments = session.execute(query).all()
    if not segments:
        return None
    tile: dict[str, Any] = {
        "segments": len(segments), "km": sum(length for _id, length in segments) / 1000.0,
        "links": [(label, url) for capability, label, url in LINKS if can(user, capability)]}
    if can(user, "patrols.read"):
        zone = ZoneInfo(context.current().timezone)  # the week as the user lives it
        today = utcnow().astimezone(zone).date()
        monday = datetime.combine(today - timedelta(days=today.weekday()),
                                  datetime.min.time(), zone)
        mine = select(func.count(Patrol.id)).where(
            visible_to(Patrol, user), Patrol.segment_id.in_([s for s, _l in segments]))
        tile["week"] = session.scalar(mine.where(Patrol.started_at >= monday)) or 0
        tile["under_way"] = session.scalar(mine.where(Patrol.status.in_(
            [PatrolStatus.UNDER_WAY, PatrolStatus.PAUSED]))) or 0
    return tile
