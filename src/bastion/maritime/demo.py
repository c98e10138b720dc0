"""A synthetic day of traffic on the Yangjiang coast for the demo — SYNTHETIC, not real AIS.

There is no real AIS recording of this coast we may ship, so ``make run`` generates one: a
seeded day of coastal traffic with one example of each behaviour the detectors look for (a
vessel going dark, a rendezvous at sea, loitering, a restricted-zone entry, a night landing
approach, an impossible jump, a name change, an invalid MMSI: no alarm, a factor of that
vessel's risk score). It goes through the real pipeline (tracks, detectors, alerts), so what
the demo shows is what the engine concluded.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from bastion.core.reference.ships import imo_number as _imo

STEP = timedelta(minutes=2)
BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Ship:
    mmsi: int
    name: str
    callsign: str
    imo: int | None
    ship_type: int
    route: tuple[tuple[float, float, float], ...]  # (hours from start, lat, lon) waypoints
    silent: tuple[float, float] | None = None       # hours with no reports (going dark)
    jump_at: float | None = None                    # hour of an impossible position jump
    renamed_at: float | None = None


def _night_hour(start: datetime, end: datetime) -> float:
    """Hours from ``start`` to a night-time moment (Beijing 21:00-03:30, half-hour steps) that
    leaves the landing run room on both sides: it needs 2 h before and 3.5 h after. Whatever
    the hour the demo is loaded at, one such moment lies in a day (the latest is taken); a
    shorter window (static data only) gets one anyway."""
    hours = (end - start) / timedelta(hours=1)
    day = end.astimezone(BEIJING).replace(hour=0, minute=0, second=0, microsecond=0)
    best = None
    for days_back in range(3):
        base = day - timedelta(days=days_back)
        for step in range(14):  # 21:00, 21:30, ... 03:30 the next morning
            moment = base + timedelta(hours=21) + step * timedelta(minutes=30)
            offset = (moment.astimezone(UTC) - start) / timedelta(hours=1)
            if 2.5 <= offset <= hours - 4 and (best is None or offset > best):
                best = offset
    return best if best is not None else 2.5  # a window too short for the landing run


def _ships(night: float) -> list[Ship]:
    lane = [  # east-west coastal traffic ~25-40 km off the coast, 10-13 kn
        Ship(412440101, "YUE YANG HUO 1", "BVAA1", _imo(930000), 70, ((0, 21.30, 111.30), (24, 21.28, 112.95))),
        Ship(412440102, "MIN XING 8", "BVAA2", _imo(930001), 70, ((0, 21.33, 112.90), (24, 21.35, 111.25))),
        Ship(477123400, "OCEAN PEARL", "VRAB3", _imo(941234), 80, ((0, 21.26, 111.50), (24, 21.24, 113.00))),
        Ship(636019200, "LIBERTY STAR", "D5AB4", _imo(939876), 70, ((0, 21.36, 113.00), (24, 21.32, 111.40))),
        Ship(574001200, "HAI PHONG 27", "3WAB5", _imo(933456), 70, ((0, 21.22, 111.20), (24, 21.20, 112.80))),
        Ship(351234500, "PACIFIC GRACE", "3EAB6", _imo(928765), 80, ((0, 21.38, 112.70), (24, 21.40, 111.20))),
    ]
    return lane + [
        # goes dark for 7 h in the middle of the lane
        Ship(412440103, "YUE DIAN 3", "BVAA7", _imo(930002), 70,
             ((0, 21.29, 111.35), (24, 21.31, 112.90)), silent=(8.0, 15.0)),
        # two vessels meet 35 km offshore, lie together ~3 h (transshipment pattern)
        Ship(412440104, "LU YU 608", "BVAA8", None, 30,
             ((0, 21.00, 111.60), (9, 21.15, 112.05), (12, 21.152, 112.052), (24, 20.90, 112.60))),
        Ship(667001900, "SEA FORTUNE", "9LAB9", _imo(910111), 70,
             ((0, 20.80, 112.70), (9, 21.151, 112.049), (12, 21.153, 112.051), (24, 20.85, 111.70))),
        # loiters 6 h far from any port
        Ship(412440105, "YUE YANG YU 88", "BVAB1", None, 30,
             ((0, 21.05, 111.40), (6, 21.10, 111.70), (12, 21.11, 111.71), (24, 21.30, 112.20))),
        # crosses the restricted area south-west of Zhapo
        Ship(412440106, "HONG XING 12", "BVAB2", None, 52,
             ((0, 21.35, 111.50), (10, 21.52, 111.735), (11, 21.53, 111.74), (24, 21.40, 112.30))),
        # a night approach to the shore east of Shapa, outside any port: slow, ~1 km off, 01:30
        Ship(412440107, "", "", None, 0,
             ((0, 21.30, 112.60), (night - 2, 21.55, 112.32), (night, 21.697, 112.25),
              (night + 1.5, 21.6975, 112.2505), (night + 3.5, 21.50, 112.40), (24, 21.30, 112.70))),
        # reports a position 90 km away for a few minutes (spoofing / two transmitters)
        Ship(412440108, "ZHE HAI 511", "BVAB3", _imo(930003), 70,
             ((0, 21.31, 111.30), (24, 21.29, 112.90)), jump_at=6.0),
        # changes its name at sea
        Ship(412440109, "XIN HAI AN", "BVAB4", _imo(930004), 70,
             ((0, 21.27, 112.95), (24, 21.25, 111.30)), renamed_at=12.0),
        # an MMSI whose first digits are no country (ITU MID table)
        Ship(100440110, "UNKNOWN", "", 1234567, 30, ((0, 21.20, 111.90), (24, 21.22, 112.30))),
    ]


def _position(ship: Ship, hours: float) -> tuple[float, float, float, float]:
    """Lat, lon, speed (kn), course (deg) at a time, interpolated along the waypoints."""
    route = ship.route
    for (h0, la0, lo0), (h1, la1, lo1) in pairwise(route):
        if h0 <= hours <= h1:
            f = (hours - h0) / (h1 - h0)
            lat, lon = la0 + f * (la1 - la0), lo0 + f * (lo1 - lo0)
            dy = (la1 - la0) * 60.0
            dx = (lo1 - lo0) * 60.0 * math.cos(math.radians(lat))
            return lat, lon, math.hypot(dx, dy) / (h1 - h0), math.degrees(math.atan2(dx, dy)) % 360
    _h, lat, lon = route[-1]
    return lat, lon, 0.0, 0.0


def messages(end: datetime | None = None, hours: int = 24, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Decoded-AIS-shaped messages in time order, ending at ``end`` (default: now)."""
    rng = random.Random(seed)
    end = (end or datetime.now(UTC)).replace(microsecond=0)
    start = end - timedelta(hours=hours)
    ships = _ships(_night_hour(start, end))
    steps = int(timedelta(hours=hours) / STEP)
    for i in range(steps + 1):
        at = start + i * STEP
        h = i * STEP / timedelta(hours=1)
        for ship in ships:
            if ship.silent and ship.silent[0] <= h < ship.silent[1]:
                continue
            if i % 90 == 0 or (ship.renamed_at and abs(h - ship.renamed_at) < 1e-9):
                renamed = ship.renamed_at is not None and h >= ship.renamed_at
                yield {"type": 5, "mmsi": ship.mmsi, "time": at.isoformat(), "imo": ship.imo,
                       "callsign": ship.callsign, "shipname": "XIN HAI 9" if renamed else ship.name,
                       "ship_type": ship.ship_type, "destination": "YANGJIANG", "draught": 6.5}
            lat, lon, speed, course = _position(ship, h)
            if ship.jump_at is not None and ship.jump_at <= h < ship.jump_at + 0.05:
                lat, lon = lat - 0.6, lon - 0.5  # ~80 km away, two minutes later
            yield {"type": 1, "mmsi": ship.mmsi, "time": at.isoformat(),
                   "lat": round(lat + rng.gauss(0, 0.00005), 6),
                   "lon": round(lon + rng.gauss(0, 0.00005), 6),
                   "speed": round(max(speed + rng.gauss(0, 0.2), 0.0), 1),
                   "course": round(course, 1), "heading": int(course) % 360,
                   "status": 0}


def load(picture) -> int:
    """Feed the synthetic day through a :class:`bastion.maritime.picture.Picture`."""
    count = 0
    for message in messages():
        picture.ingest(message)
        count += 1
    picture.finish()
    return count
