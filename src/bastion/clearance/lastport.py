"""The last port a vessel's AIS track actually visited, to check a declared last port (#5).

A port call declares its last port as a UN/LOCODE (FAL form 1, box 8). The pre-check compares
it with the track: stops are found in the fixes, each stop is named after the nearest port of
the gazetteer shipped in ``data/ports.csv.gz`` (see ``data/LICENSES.md``), stops at the port
being called at and stops at sea are passed over, and the latest remaining stop is the last
port. Pure: the caller reads the fixes (``maritime.tracks.models.Position`` rows fit as they are)
and stores nothing here.

The gazetteer holds UN/LOCODE port positions, which are towns, not berths, rounded to whole
minutes of arc; so a stop is matched within a radius of kilometres, and a declared code is
judged by distance, not by equality, so that a harbour's several codes are not false alarms.
"""

from __future__ import annotations

import csv
import gzip
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

from bastion.core.geo import EARTH_RADIUS_M, haversine_m

EARTH_KM = EARTH_RADIUS_M / 1000

# A stop: the fixes stay within STOP_RADIUS_KM of the first slow one, and the first and last
# slow fixes are at least STOP_MIN_DURATION apart. GFW calls a vessel stopped in port below
# 0.2 kn and moving again above 0.5 kn (anchorages_pipeline, anchorage_cfg.yaml), and
# stationary when every fix stays within 0.5 km for 12 h (GFW anchorages, 2017). A ship at
# anchor swings on her cable and often reports 0.5-1 kn, so the speed bar is 1 kn and the
# position, not the speed, decides when a stop ends (a speed spike in the swing circle does not
# split it); 2 km holds the swing circle (cable plus length, ~0.5 km) plus re-anchoring and GPS
# noise. 2 h is the shortest stop that counts: short enough for a container call or a bunker
# stop, long enough to leave out a pilot boarding or waiting for a lock or a tide.
STOP_MAX_SPEED_KN = 1.0
STOP_RADIUS_KM = 2.0
STOP_MIN_DURATION = timedelta(hours=2)
STOPPED_STATUSES = frozenset({1, 5})  # AIS navigational status: 1 at anchor, 5 moored
SOG_NOT_AVAILABLE = 102.3  # AIS speed over ground 1023 = not available

# A stop belongs to a port within PORT_RADIUS_KM of the port's gazetteer position. UN/LOCODE
# positions are towns rounded to 1' (up to 1.3 km off); a port's berths and anchorages lie
# around the town: Kwai Chung's terminals 2.5 km from HKHKC, Hong Kong's western anchorages
# about 8 km from Kowloon. 15 km takes those in without naming a stop after a port across a
# strait. GFW names its anchorages within 4 km of a World Port Index position, but WPI
# positions are the harbours themselves.
PORT_RADIUS_KM = 15.0
# The same harbour: a declared code within this distance of the stop is not a mismatch, and a
# stop within it of the port being called at is that port (its approach anchorage).
SAME_HARBOUR_KM = 30.0

_CELL = 1.0  # degrees: the grid of the nearest-port index


@dataclass(frozen=True, slots=True)
class Port:
    code: str
    name: str
    lat: float
    lon: float
    # The position came from Geoapify's geocoder, not UNECE: such positions can be badly wrong,
    # so they only ever confirm a declared code (``mismatch``) and never place a stop.
    geocoded: bool


@dataclass(frozen=True, slots=True)
class Stop:
    arrived: datetime   # the first slow fix
    departed: datetime  # the last slow fix
    lat: float          # mean position of the slow fixes
    lon: float
    fixes: int


@dataclass(frozen=True, slots=True)
class PortVisit:
    code: str
    name: str
    arrived: datetime
    departed: datetime
    lat: float          # where the vessel stopped
    lon: float
    distance_km: float  # from the stop to the port's gazetteer position


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance, from the floor's geometry kit."""
    return haversine_m(lat1, lon1, lat2, lon2) / 1000.0


# --- gazetteer ------------------------------------------------------------------------------

@cache
def _gazetteer() -> tuple[dict[str, Port], dict[tuple[int, int], tuple[Port, ...]]]:
    """Every port by code, and the UNECE-positioned ones on a 1-degree grid."""
    raw = resources.files("bastion.clearance").joinpath("data/ports.csv.gz").read_bytes()
    reader = csv.reader(gzip.decompress(raw).decode("utf-8").splitlines())
    next(reader)
    ports: dict[str, Port] = {}
    grid: dict[tuple[int, int], list[Port]] = {}
    for code, name, lat, lon, src in reader:
        port = Port(code, name, float(lat), float(lon), src == "g")
        ports[code] = port
        if not port.geocoded:
            grid.setdefault(_cell(port.lat, port.lon), []).append(port)
    return ports, {key: tuple(value) for key, value in grid.items()}


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _CELL), math.floor(lon / _CELL) % round(360 / _CELL)


def _code(value: str) -> str:
    return re.sub(r"[\s\-]", "", value).upper()


def port_position(code: str) -> Port | None:
    """The gazetteer entry for a UN/LOCODE ("VNHPH", "VN HPH"), geocoded or not; None if the
    code is not a port or has no usable position in the shipped code list."""
    return _gazetteer()[0].get(_code(code))


def nearest_port(lat: float, lon: float, max_km: float = PORT_RADIUS_KM
                 ) -> tuple[Port, float] | None:
    """The port with a UNECE position nearest to a point, and its distance, within ``max_km``.

    Geocoded positions are left out: a geocoder's miss would name a stop after the wrong port.
    """
    grid = _gazetteer()[1]
    rows = math.ceil(max_km / (EARTH_KM * math.radians(_CELL)))
    widest = min(89.9, abs(lat) + (rows + 1) * _CELL)
    per_col = EARTH_KM * math.radians(_CELL) * math.cos(math.radians(widest))
    cols = min(math.ceil(max_km / per_col), round(180 / _CELL))
    row0, col0 = _cell(lat, lon)
    best: tuple[Port, float] | None = None
    seen: set[int] = set()
    for dc in range(-cols, cols + 1):
        col = (col0 + dc) % round(360 / _CELL)
        if col in seen:  # the search wrapped all the way round near a pole
            continue
        seen.add(col)
        for dr in range(-rows, rows + 1):
            for port in grid.get((row0 + dr, col), ()):
                km = distance_km(lat, lon, port.lat, port.lon)
                if km <= max_km and (best is None or km < best[1]):
                    best = (port, km)
    return best


# --- stops ----------------------------------------------------------------------------------

def _fields(fix: Any) -> tuple[datetime, float, float, float | None, int | None]:
    """(at, lat, lon, speed, status) from an object with those attributes or a tuple in that
    order (speed and status may be left off)."""
    if hasattr(fix, "at"):
        return fix.at, fix.lat, fix.lon, getattr(fix, "speed", None), getattr(fix, "status", None)
    at, lat, lon, *rest = fix
    return at, lat, lon, (rest[0] if rest else None), (rest[1] if len(rest) > 1 else None)


def _is_slow(fixes: list[tuple[datetime, float, float, float | None, int | None]], i: int,
             max_speed_kn: float) -> bool:
    """Reported speed first; the navigational status only when speed is missing (crews leave
    "moored" set at sea, so it never outweighs a speed); else the speed implied by the distance
    to the previous fix (or the next, for the first one or a duplicate time), as in tracks
    that carry no speed."""
    at, lat, lon, speed, status = fixes[i]
    if speed is not None and speed < SOG_NOT_AVAILABLE - 0.05:
        return speed < max_speed_kn
    if status is not None and status != 15:  # 15 = not defined
        return status in STOPPED_STATUSES
    for j in (i - 1, i + 1):
        if 0 <= j < len(fixes):
            other = fixes[j]
            hours = abs((at - other[0]).total_seconds()) / 3600
            if hours > 0:
                return distance_km(lat, lon, other[1], other[2]) / 1.852 / hours < max_speed_kn
    return False


def find_stops(fixes: Iterable[Any], *, max_speed_kn: float = STOP_MAX_SPEED_KN,
               radius_km: float = STOP_RADIUS_KM,
               min_duration: timedelta = STOP_MIN_DURATION) -> list[Stop]:
    """The stops in a time-ordered track, oldest first (see the constants for the rule)."""
    track = sorted((_fields(f) for f in fixes), key=lambda f: f[0])
    slow = [_is_slow(track, i, max_speed_kn) for i in range(len(track))]
    stops: list[Stop] = []
    i = 0
    while i < len(track):
        if not slow[i]:
            i += 1
            continue
        _, lat0, lon0, _, _ = track[i]
        j, members = i, []
        while j < len(track) and distance_km(lat0, lon0, track[j][1], track[j][2]) <= radius_km:
            if slow[j]:
                members.append(j)
            j += 1
        first, last = track[members[0]][0], track[members[-1]][0]
        if last - first >= min_duration:
            lat = sum(track[k][1] for k in members) / len(members)
            # Longitudes are averaged as offsets from the first, so a stop on the 180th
            # meridian is not put on the other side of the world.
            dlon = sum((track[k][2] - lon0 + 180) % 360 - 180 for k in members) / len(members)
            lon = (lon0 + dlon + 180) % 360 - 180
            stops.append(Stop(first, last, lat, lon, len(members)))
        i = j
    return stops


def track_last_port(fixes: Iterable[Any], *, own_port: str | None, before: datetime | None,
                    max_km: float = PORT_RADIUS_KM, own_port_km: float = SAME_HARBOUR_KM,
                    max_speed_kn: float = STOP_MAX_SPEED_KN, radius_km: float = STOP_RADIUS_KM,
                    min_duration: timedelta = STOP_MIN_DURATION) -> PortVisit | None:
    """The latest port stop that ended before ``before``, other than at ``own_port``.

    ``fixes`` are time-ordered, with ``at`` (UTC), ``lat``, ``lon``, ``speed`` (knots or None)
    and ``status`` (AIS navigational status or None). Fixes from ``before`` on are ignored, so
    a stop still going on then ends at the last fix before it. A stop is at ``own_port`` when
    it is within ``own_port_km`` of that port's position (its approach anchorage lies outside
    the town: waiting there is part of this call, not a previous port) or is matched to that
    code. Stops with no port within ``max_km`` are at sea and are skipped. None when the track
    shows no such stop: then the declaration cannot be checked, which is not a mismatch.
    """
    if before is not None:
        fixes = [f for f in fixes if _fields(f)[0] < before]
    own = _code(own_port) if own_port else None
    own_at = port_position(own) if own else None
    stops = find_stops(fixes, max_speed_kn=max_speed_kn, radius_km=radius_km,
                       min_duration=min_duration)
    for stop in reversed(stops):
        if own_at is not None and \
                distance_km(stop.lat, stop.lon, own_at.lat, own_at.lon) <= own_port_km:
            continue
        found = nearest_port(stop.lat, stop.lon, max_km)
        if found is None or found[0].code == own:
            continue
        port, km = found
        return PortVisit(port.code, port.name, stop.arrived, stop.departed, stop.lat, stop.lon,
                         km)
    return None


def mismatch(declared: str, visit: PortVisit, *, tolerance_km: float = SAME_HARBOUR_KM) -> bool:
    """Whether a declared last port disagrees with the port the track last stopped at.

    Not a code comparison: one harbour has several codes (HKHKG, HKKWN for Kowloon, HKHKC for
    Kwai Chung), and the stop was named after whichever is nearest. So the declared code
    agrees when its gazetteer position lies within ``tolerance_km`` of the stop (a geocoded
    position may confirm it: at worst a misplaced one hides a mismatch, it never raises one).
    Only a declared code with no position at all falls back to comparing codes. Ports closer
    together than the tolerance (Shekou and Hong Kong, 25 km) are not told apart.
    """
    code = _code(declared)
    if code == visit.code:
        return False
    port = port_position(code)
    if port is None:
        return True
    return distance_km(port.lat, port.lon, visit.lat, visit.lon) > tolerance_km
