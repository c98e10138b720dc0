"""The risk engine: decoded AIS dicts in, alert change events out, all in memory.

Data time drives the clock: ``now`` is the latest message time seen (or the latest ``tick``), so
replaying a recorded day behaves as the live feed did. Every ``sweep_minutes`` of data time the
engine sweeps all vessels (open gaps, close quiet episodes, age the encounter grid); ``tick``
does the same when the feed is quiet. ``observe`` never raises on input: a message it cannot
use is counted in ``stats`` and ignored.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from math import cos, floor, isfinite, pi, sqrt

from bastion.maritime.risk import identity, motion, places
from bastion.maritime.risk.alerts import AlertBook, AlertEvent
from bastion.maritime.risk.encounter import _CELL as _ENC_CELL
from bastion.maritime.risk.encounter import _INDEX_KNOTS, _MOORED, _SAMPLE_S, EncounterGrid
from bastion.maritime.risk.reference import reefers
from bastion.maritime.risk.score import VesselRisk, score_vessel
from bastion.maritime.risk.settings import DetectorSettings
from bastion.maritime.risk.vessel import CRUMB_S, RECENT, Vessel
from bastion.maritime.zones.geo import KNOT_MS, M_PER_DEG, fast_m
from bastion.maritime.zones.land import LandMask, natural_earth_land
from bastion.maritime.zones.zoneset import ZoneSet

POSITION_TYPES = frozenset({1, 2, 3, 18, 19, 27})  # ship position reports (ITU-R M.1371)
STATIC_TYPES = frozenset({5, 19, 24})  # ship static and voyage data
_NUM = (int, float)
_HEARD_CELL = 5  # cells per degree (0.2 degree, ~22 km) for "were others heard nearby"
_LAND_REUSE = places.LAND_REUSE
_RAD_HALF = pi / 360.0  # degrees -> radians, halved (for the mean latitude)
_DAY_RECHECK_S = 900.0  # a slow vessel seen by day is looked at again every 15 min
_RING = 4 * RECENT  # Vessel.ring: t, lat, lon, speed per fix (filled inline on the hot path)
_SHORE_REUSE_M = 200.0  # reuse a vessel's shore distance while it moved less than this


def _epoch(value: object) -> float | None:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.timestamp()
    if isinstance(value, _NUM) and not isinstance(value, bool) and isfinite(value):
        return float(value)
    return None


class RiskEngine:
    """Per-vessel detectors over a stream of decoded AIS messages (see the package docstring)."""

    def __init__(self, settings: DetectorSettings | None = None, zones: ZoneSet | None = None,
                 land: LandMask | bool | None = True) -> None:
        self.settings = s = settings or DetectorSettings()
        self.zones = zones if zones is not None and len(zones) else None
        self.land = natural_earth_land() if land is True else (land or None)
        self.book = AlertBook(evidence_max=s.evidence_max)
        self.vessels: dict[int, Vessel] = {}
        self.encounters = EncounterGrid(self)
        self.stats: Counter = Counter()
        self.now: float | None = None
        self.max_ms = s.teleport_max_knots * KNOT_MS
        self._jump_m = s.teleport_min_distance_m
        self._shore_knots = s.shore_approach_max_knots
        self._loiter_knots = s.loitering_max_knots
        self._loiter_s = s.loitering_hours * 3600
        self.gap_s = s.gap_hours * 3600
        self.conflict_window_s = s.conflict_window_hours * 3600
        self.zone_kinds = frozenset(s.zone_entry_kinds)
        self.loiter_exempt = frozenset(s.loitering_exempt_ship_types)
        self.reefers = reefers()
        self._sweep_s = s.sweep_minutes * 60
        self._next_sweep: float | None = None
        self._heard: dict[tuple[int, int], tuple[float, int]] = {}
        self._times: dict[str, float | None] = {}

    # -- public API -------------------------------------------------------------------------
    def tick(self, now: datetime | float) -> list[AlertEvent]:
        """Advance the clock to ``now`` (never backwards) and run the periodic sweep."""
        when = _epoch(now)
        out: list[AlertEvent] = []
        if when is None:
            return out
        if self.now is None or when > self.now:
            self.now = when
        self._sweep(self.now, out)
        return out

    def finish(self) -> list[AlertEvent]:
        """End of a replay: sweep, then close every open alert that has an end (not gaps)."""
        out: list[AlertEvent] = []
        if self.now is None:
            return out
        self._sweep(self.now, out)
        for pair in list(self.encounters.pairs.values()):
            self.encounters._end(pair, out)
        for alert in list(self.book.open.values()):
            if alert.kind == "gap":
                continue
            vessel = self.vessels.get(alert.mmsi)
            end = vessel.last_t if vessel is not None and vessel.last_t else alert.start_t
            self.book.close(out, alert, end, "end of replay")
        return out

    def risk(self, mmsi: int, now: datetime | float | None = None,
             declared_flag: str | None = None) -> VesselRisk:
        when = _epoch(now) if now is not None else self.now
        return score_vessel(self, mmsi, when if when is not None else 0.0, declared_flag)

    def alerts(self, mmsi: int) -> list:
        """The alerts remembered for a vessel (latest 64), newest last."""
        return list(self.book.history.get(mmsi, ()))

    # -- internals ----------------------------------------------------------------------------
    def _time(self, msg: dict, t: object) -> float | None:
        if t is not None:
            return _epoch(t)
        text = msg.get("time")
        if type(text) is not str:
            return None
        when = self._times.get(text, -1.0)
        if when == -1.0:
            try:
                moment = datetime.fromisoformat(text)
                when = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
            except ValueError:
                when = None
            if len(self._times) > 4096:
                self._times.clear()
            self._times[text] = when
        return when

    def observe(self, msg: dict, t: datetime | float | None = None) -> list[AlertEvent]:
        """One decoded AIS message (position or static); ``t`` overrides ``msg["time"]``."""
        try:
            return self._observe(msg, t)
        except (TypeError, ValueError, OverflowError, AttributeError, KeyError):
            self.stats["bad_message"] += 1
            return []

    def _observe(self, msg: dict, t: object) -> list[AlertEvent]:
        if type(msg) is not dict:
            self.stats["bad_message"] += 1
            return []
        mmsi = msg.get("mmsi")
        if type(mmsi) is not int or not 0 < mmsi <= 999_999_999:
            self.stats["bad_mmsi"] += 1
            return []
        when = t if type(t) is float else self._time(msg, t)
        now = self.now
        if when is None:
            when = now
            if when is None:
                self.stats["no_time"] += 1
                return []
        out: list[AlertEvent] = []
        if now is None or when > now:
            self.now = when
            if self._next_sweep is None:
                self._next_sweep = when + self._sweep_s
            elif when >= self._next_sweep:
                self._sweep(when, out)
        kind = msg.get("type")
        if kind in POSITION_TYPES:
            lat, lon = msg.get("lat"), msg.get("lon")
            if type(lat) in _NUM and type(lon) in _NUM and -90 <= lat <= 90 and \
                    -180 <= lon <= 180 and (lat or lon):
                v = self.vessels.get(mmsi) or self._vessel(mmsi, when, lat, lon, out)
                self._position(v, when, lat, lon, msg, out)
        if kind in STATIC_TYPES or "shipname" in msg:  # CSV history repeats static fields
            v = self.vessels.get(mmsi) or self._vessel(mmsi, when, None, None, out)
            identity.on_static(self, v, when, msg, out)
        return out

    def _vessel(self, mmsi: int, t: float, lat: float | None, lon: float | None,
                out: list[AlertEvent]) -> Vessel:
        v = self.vessels[mmsi] = Vessel(mmsi)
        identity.check_mmsi(self, v, t, lat, lon, out)
        return v

    def _position(self, v: Vessel, t: float, lat: float, lon: float, msg: dict,
                  out: list[AlertEvent]) -> None:
        """The hot path: cheap inline guards decide which detectors a fix needs at all."""
        status = msg.get("status")
        v.status = status if type(status) is int else None
        sog = msg.get("speed")
        if type(sog) not in _NUM or not 0 <= sog < 102.2:
            sog = None
        last_t = v.last_t
        if last_t is not None and t < last_t:
            self.stats["late"] += 1
            motion.gap_late_fix(self, v, t, lat, lon, out)
            return
        if v.gap_open:
            motion.gap_on_fix(self, v, t, lat, lon, sog, out)
        speed = sog
        if last_t is not None:
            dlat, dlon = lat - v.lat, lon - v.lon
            if -1.0 < dlat < 1.0 and -1.0 < dlon < 1.0:  # fast_m inline: the usual case
                dlon *= cos((lat + v.lat) * _RAD_HALF)
                d = sqrt(dlat * dlat + dlon * dlon) * M_PER_DEG
            else:
                d = fast_m(v.lat, v.lon, lat, lon)
            dt = t - last_t
            suspect = d > self._jump_m and (dt <= 0 or d > self.max_ms * dt)
            if (suspect or v.alt is not None) and \
                    not motion.check_track(self, v, t, lat, lon, sog, out):
                return  # the fix belongs to a second transmitter's track
            if speed is None and dt > 0:
                speed = d / dt / KNOT_MS
        zones = self.zones
        if zones is not None:
            b = zones.bounds
            if v.zones or (b[1] <= lat <= b[3] and b[0] <= lon <= b[2]):
                places.zones_on_fix(self, v, t, lat, lon, speed, out)
        if self.land is not None:
            cached = v.land_at
            if cached is None:
                # First fix: remember it, test only once the vessel moves. Most vessels in a
                # busy feed are moored or anchored; a stationary one cannot wander onto land.
                v.land_at = (lat, lon, None)
            elif abs(cached[0] - lat) >= _LAND_REUSE or abs(cached[1] - lon) >= _LAND_REUSE:
                places.land_on_fix(self, v, t, lat, lon, speed, out)
            far_t = v.far_t
            if speed is None or speed >= self._shore_knots:
                v.far_t = None
            elif (far_t is None or (far_t < 0 and t + far_t >= _DAY_RECHECK_S)) and \
                    not v.in_port:
                places.shore_on_fix(self, v, t, lat, lon, speed, out)
        if last_t is not None and speed is not None:
            loiter_t = v.loiter_t
            if loiter_t is not None and speed < self._loiter_knots and \
                    t - loiter_t < self._loiter_s and t - last_t < self.gap_s:
                dt = t - last_t  # inside a young slow run: just accumulate (hot path)
                if dt > 0:
                    v.loiter_sum += speed * dt
                    v.loiter_dt += dt
            elif loiter_t is not None or speed < self._loiter_knots:
                places.loiter_on_fix(self, v, t, lat, lon, speed, out)
        v.last_t, v.lat, v.lon, v.speed = t, lat, lon, speed
        ring = v.ring
        if len(ring) < _RING:
            ring += (t, lat, lon, speed)
        else:
            i = v.ri
            ring[i], ring[i + 1], ring[i + 2], ring[i + 3] = t, lat, lon, speed
            v.ri = (i + 4) % _RING
        crumbs = v.crumbs
        if (not crumbs or t - crumbs[-1][0] >= CRUMB_S) and v.crumb(t, lat, lon):
            # "Who was heard where", at breadcrumb pace: enough to tell a coverage hole (nobody
            # heard for hours) from one vessel going dark among others still reporting.
            self._heard[(floor(lat * _HEARD_CELL), floor(lon * _HEARD_CELL))] = (t, v.mmsi)
        cell = v.cell
        if cell is not None and speed is not None and speed < _INDEX_KNOTS and \
                0 <= t - v.scan_t < _SAMPLE_S and not v.in_port and v.status != _MOORED and \
                cell == (floor(lat * _ENC_CELL), floor(lon * _ENC_CELL)):
            return  # still indexed in the same cell and scanned recently: nothing to do
        if (speed is not None and speed < _INDEX_KNOTS) or cell is not None:
            self.encounters.on_fix(v, out)

    def _sweep(self, now: float, out: list[AlertEvent]) -> None:
        self._next_sweep = now + self._sweep_s
        for v in self.vessels.values():
            motion.sweep_motion(self, v, now, out)
            identity.sweep_identity(self, v, now, out)
        self.encounters.sweep(now, out)
        stale = now - 2 * self.gap_s
        if len(self._heard) > 50_000:
            self._heard = {k: e for k, e in self._heard.items() if e[0] >= stale}

    def heard_near(self, lat: float, lon: float, *, after: float, mmsi: int) -> bool:
        """Was any other vessel heard within ~20 km after ``after``? (coverage vs going dark)"""
        r, c = floor(lat * _HEARD_CELL), floor(lon * _HEARD_CELL)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                entry = self._heard.get((r + dr, c + dc))
                if entry is not None and entry[0] >= after and entry[1] != mmsi:
                    return True
        return False

    def shore_m(self, v: Vessel, lat: float, lon: float, cap: float) -> float:
        """Distance to shore (capped), reused while the vessel stays within 200 m."""
        if self.land is None:
            return float("inf")
        if v.shore_lat is not None and (v.shore_cap >= cap or v.shore_m < v.shore_cap) and \
                fast_m(v.shore_lat, v.shore_lon, lat, lon) <= _SHORE_REUSE_M:
            return v.shore_m
        v.shore_m = self.land.shore_distance_m(lat, lon, cap)
        v.shore_lat, v.shore_lon, v.shore_cap = lat, lon, cap
        return v.shore_m
