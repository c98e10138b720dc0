"""Shapely operations in metres: a local projection centred on the data.

Shapely works in the plane. Buffering a border line by 500 m, simplifying a patrol track to
5 m or measuring an area in square metres needs coordinates in metres, so geometries go through
a transverse Mercator projection centred on the data (``+proj=tmerc`` on WGS 84 with scale 1 at
the centre). Its scale error grows with the square of the distance from the central meridian:
under 0.01 % within 150 km and 0.05 % at 300 km (Snyder, *Map Projections: A Working Manual*,
1987, p. 48: k = 1 + x^2 / 2R^2) — better than a UTM zone for data that straddles a zone edge,
as the China–Vietnam border does at 108 E. For data spanning more than ~1000 km, measure with
``geo.line_length_m`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from bastion.core.geo import wgs84


@dataclass(frozen=True)
class LocalMetric:
    """A transverse Mercator plane centred on (lat0, lon0), metres east and north of it."""

    lat0: float
    lon0: float

    @cached_property
    def crs(self) -> CRS:
        return CRS.from_proj4(f"+proj=tmerc +lat_0={self.lat0:.6f} +lon_0={self.lon0:.6f} "
                              "+k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs")

    @cached_property
    def _forward(self) -> Transformer:
        return Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)

    @cached_property
    def _inverse(self) -> Transformer:
        return Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)

    def to_metric(self, geometry: BaseGeometry) -> BaseGeometry:
        """Lon/lat -> metres (x east, y north)."""
        return _apply(self._forward, geometry)

    def to_lonlat(self, geometry: BaseGeometry) -> BaseGeometry:
        """Metres -> lon/lat."""
        return _apply(self._inverse, geometry)


def _apply(transformer: Transformer, geometry: BaseGeometry) -> BaseGeometry:
    def move(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack((x, y))

    return shapely.transform(geometry, move)


def local_metric(geometry: BaseGeometry) -> LocalMetric:
    """The plane centred on a lon/lat geometry's bounding box."""
    if geometry.is_empty:
        raise ValueError("an empty geometry has no centre")
    west, south, east, north = geometry.bounds
    return LocalMetric((south + north) / 2, (west + east) / 2)


def simplify_m(geometry: BaseGeometry, tolerance_m: float, *,
               preserve_topology: bool = True) -> BaseGeometry:
    """Douglas-Peucker simplification with the tolerance in metres; lon/lat in and out."""
    plane = local_metric(geometry)
    return plane.to_lonlat(plane.to_metric(geometry).simplify(
        tolerance_m, preserve_topology=preserve_topology))


def buffer_m(geometry: BaseGeometry, distance_m: float) -> BaseGeometry:
    """The area within ``distance_m`` metres of a lon/lat geometry, as lon/lat."""
    plane = local_metric(geometry)
    return plane.to_lonlat(plane.to_metric(geometry).buffer(distance_m))


def area_m2(geometry: BaseGeometry) -> float:
    """Area in square metres of a lon/lat polygon (WGS 84 ellipsoid, pyproj)."""
    return abs(float(wgs84().geometry_area_perimeter(geometry)[0]))


__all__ = ["LocalMetric", "area_m2", "buffer_m", "local_metric", "simplify_m"]
