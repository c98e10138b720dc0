"""Areas as GeoJSON polygons (lon, lat): checked when given, tested point by point."""

from __future__ import annotations

from typing import Any

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _


def check(area: Any, *, field: str = "area") -> dict[str, Any]:
    """A GeoJSON Polygon or MultiPolygon in WGS84, valid and not empty; 422 naming ``field``."""
    if isinstance(area, dict) and area.get("type") == "Feature":
        area = area.get("geometry")
    if not isinstance(area, dict) or area.get("type") not in ("Polygon", "MultiPolygon"):
        raise Invalid(_("Give the area as a GeoJSON polygon."), field=field)
    try:
        geometry = shape(area)
    except Exception as exc:  # shapely refuses bad input in many ways
        raise Invalid(_("Give the area as a GeoJSON polygon."), field=field) from exc
    west, south, east, north = geometry.bounds if not geometry.is_empty else (0, 0, 0, 0)
    if geometry.is_empty or not geometry.is_valid or geometry.area <= 0:
        raise Invalid(_("The area is not a valid polygon."), field=field)
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise Invalid(_("The area lies outside longitude -180..180 and latitude -90..90."),
                      field=field)
    return {"type": area["type"], "coordinates": area["coordinates"]}


def geometry(area: dict[str, Any]) -> BaseGeometry:
    return shape(area)


def contains(area: dict[str, Any] | BaseGeometry, lat: float | None, lon: float | None) -> bool:
    if lat is None or lon is None:
        return False
    geom = area if isinstance(area, BaseGeometry) else shape(area)
    return bool(geom.covers(Point(lon, lat)))


def box(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north],
                                                [west, north], [west, south]]]}
