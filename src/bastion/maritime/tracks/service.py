"""Reading the picture: vessels (current state, risk) and their stored tracks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from bastion.core.errors import NotFound
from bastion.core.i18n import gettext as _
from bastion.maritime.tracks.models import Position, Vessel
from bastion.org import capabilities
from bastion.org.models import User


def list_vessels(
    session: Session, *, user: User, search: str | None = None, min_risk: float | None = None,
    bbox: tuple[float, float, float, float] | None = None, since: datetime | None = None,
    limit: int = 100, offset: int = 0,
) -> tuple[Sequence[Vessel], int]:
    capabilities.require(user, "vessels.read")
    query = select(Vessel)
    if search:
        like = f"%{search.strip().upper()}%"
        clauses = [func.upper(Vessel.name).like(like), func.upper(Vessel.callsign).like(like)]
        if search.strip().isdigit():
            clauses += [Vessel.mmsi == int(search), Vessel.imo == int(search)]
        query = query.where(or_(*clauses))
    if min_risk is not None:
        query = query.where(Vessel.risk_score >= min_risk)
    if bbox is not None:
        west, south, east, north = bbox
        query = query.where(Vessel.lon.between(west, east), Vessel.lat.between(south, north))
    if since is not None:
        query = query.where(Vessel.last_seen >= since)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Vessel.risk_score.desc(), Vessel.last_seen.desc())
                           .limit(limit).offset(offset)).all()
    return rows, total


def get_vessel(session: Session, *, user: User, mmsi: int) -> Vessel:
    capabilities.require(user, "vessels.read")
    vessel = session.get(Vessel, mmsi)
    if vessel is None:
        raise NotFound(_("No such vessel."))
    return vessel


def track_query(*, user: User, mmsi: int, since: datetime | None = None,
                until: datetime | None = None) -> Select[tuple[Position]]:
    """A vessel's fixes, newest first: the first page is the latest stretch of its track."""
    capabilities.require(user, "vessels.read")
    query = select(Position).where(Position.mmsi == mmsi)
    if since:
        query = query.where(Position.at >= since)
    if until:
        query = query.where(Position.at < until)
    return query.order_by(Position.at.desc(), Position.id.desc())


def track(session: Session, *, user: User, mmsi: int, since: datetime | None = None,
          until: datetime | None = None, limit: int = 5000) -> Sequence[Position]:
    query = track_query(user=user, mmsi=mmsi, since=since, until=until)
    # The newest fixes when there are too many, returned oldest first for drawing.
    rows = session.scalars(query.limit(limit)).all()
    return list(reversed(rows))


# --- for other domains' services -----------------------------------------------------------
# Port clearance's pre-check reads a vessel's risk and its recent track here rather than from
# maritime's models (a domain never imports another's models). The calling service decides
# who may ask; these functions only read.

def find_vessel(session: Session, *, mmsi: int) -> Vessel | None:
    """The vessel as the picture knows it (its risk score, last position), or None."""
    return session.get(Vessel, mmsi)


def positions(session: Session, *, mmsi: int, since: datetime,
              until: datetime) -> Sequence[Position]:
    """Every stored fix of the vessel from ``since`` up to and including ``until``, oldest
    first (no limit: a month of fixes is what a last-port check reads)."""
    return session.scalars(select(Position).where(
        Position.mmsi == mmsi, Position.at >= since, Position.at <= until)
        .order_by(Position.at)).all()
