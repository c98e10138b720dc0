"""Keep learned places, learn them from stored positions, and hand the detectors what is known.

Reading needs ``vessels.read`` (the map layer); learning and replacing are operator commands
(``bastion ais learn-places``) that own their transaction, as every CLI command does.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.maritime.places.known import Places, unlocode_ports
from bastion.maritime.places.learn import Cell, Learner
from bastion.maritime.places.models import LearnedPlace
from bastion.maritime.places.settings import PlaceSettings
from bastion.org import capabilities
from bastion.org.models import User

_MAX_BOX_DEG2 = 400.0  # a map asks for at most 20 x 20 degrees of places at once


def _when(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)


def replace(session: Session, *, cells: list[Cell], cell_m: float, source: str) -> int:
    """The learned set becomes ``cells`` (the old set is dropped in the same transaction)."""
    session.execute(delete(LearnedPlace))
    session.add_all(LearnedPlace(kind=c.kind, lat=c.lat, lon=c.lon, cell_m=cell_m,
                                 vessels=c.vessels, first_seen=_when(c.first_t),
                                 last_seen=_when(c.last_t), source=source[:255])
                    for c in cells)
    session.flush()
    return len(cells)


def stored_cells(session: Session) -> list[Cell]:
    """The learned cells as the detectors take them (row/col are re-derived by ``Places``)."""
    rows = session.execute(select(LearnedPlace.kind, LearnedPlace.lat, LearnedPlace.lon,
                                  LearnedPlace.vessels, LearnedPlace.first_seen,
                                  LearnedPlace.last_seen))
    return [Cell(kind, 0, 0, lat, lon, vessels, first.timestamp(), last.timestamp())
            for kind, lat, lon, vessels, first, last in rows]


def known_places(session: Session | None, settings: PlaceSettings | None = None) -> Places:
    """UN/LOCODE ports and, with a session, the learned cells in the database."""
    return Places.known(stored_cells(session) if session is not None else (), settings)


def learn_from_positions(session: Session, *, since: datetime | None = None,
                         settings: PlaceSettings | None = None) -> Learner:
    """Feed every stored vessel's positions (oldest first, one vessel at a time) to a learner."""
    from bastion.maritime.tracks.models import Position

    query = select(Position.mmsi, Position.at, Position.lat, Position.lon, Position.speed
                   ).order_by(Position.mmsi, Position.at)
    if since is not None:
        query = query.where(Position.at >= since)
    learner = Learner(settings)
    mmsi, fixes = None, []
    for row_mmsi, at, lat, lon, speed in session.execute(
            query.execution_options(yield_per=10_000)):
        if row_mmsi != mmsi:
            if fixes:
                learner.vessel(mmsi, fixes)
            mmsi, fixes = row_mmsi, []
        fixes.append((at.timestamp(), lat, lon, speed))
    if fixes:
        learner.vessel(mmsi, fixes)
    return learner


def geojson(session: Session, *, user: User, bbox: tuple[float, float, float, float],
            settings: PlaceSettings | None = None) -> dict:
    """Ports, learned anchorages and learned water inside ``bbox`` (west, south, east, north)
    as a GeoJSON FeatureCollection for the map."""
    capabilities.require(user, "vessels.read")
    west, south, east, north = bbox
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise Invalid(_("bbox must be west,south,east,north in degrees, west < east and "
                        "south < north"), field="bbox")
    if (east - west) * (north - south) > _MAX_BOX_DEG2:
        raise Invalid(_("bbox is too large: zoom in to see ports and learned places"),
                      field="bbox")
    s = settings or PlaceSettings()
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
         "properties": {"kind": "port", "name": p.name, "locode": p.locode,
                        "radius_m": s.port_radius_m}}
        for p in unlocode_ports() if south <= p.lat <= north and west <= p.lon <= east]
    rows = session.scalars(select(LearnedPlace).where(
        LearnedPlace.lat.between(south, north), LearnedPlace.lon.between(west, east)))
    for row in rows:
        features.append({
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [row.lon, row.lat]},
            "properties": {"kind": f"learned_{row.kind}", "vessels": row.vessels,
                           "cell_m": row.cell_m, "radius_m": (s.near_m if row.kind == "anchorage"
                                                              else row.cell_m / 2),
                           "first_seen": row.first_seen.isoformat(),
                           "last_seen": row.last_seen.isoformat(), "source": row.source}})
    return {"type": "FeatureCollection", "features": features}
