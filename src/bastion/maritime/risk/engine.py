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

from bastion.core.geo import KNOT_MS, M_PER_DEG, fast_m
from bastion.maritime.places.known import Places
from bastion.maritime.risk import identity, motion, places
from bastion.maritime.risk.alerts import AlertBook, AlertEvent
from bastion.maritime.risk.encounter import _CELL as _ENC_CELL
from bastion.maritime.risk.encounter import _INDEX_KNOTS, _MOORED, _SAMPLE_S, EncounterGrid
from bastion.maritime.risk.reference import reefers
from bastion.maritime.risk.score import VesselRisk, score_vessel
from bastion.maritime.risk.settings import DetectorSettings
from bastion.maritime.risk.vessel import RECENT, RX_CELL, Vessel
from bastion.maritime.zones.land import LandMask, natural_earth_land
from bastion.maritime.zones.zoneset import PORT_KINDS, ZoneSet

POSITION_TYPES = frozenset({1, 2, 3, 18, 19, 27})  # ship position reports (ITU-R M.1371)
STATIC_TYPES = frozenset({5, 19, 24})  # ship static and voyage data
_NUM = (int, float)
_LAND_REUSE = places.LAND_REUSE
_RAD_HALF = pi / 360.0  # degrees -> radians, halved (for the mean latitude)
_DAY_RECHECK_S = 900.0  # a slow vessel seen by day is looked at again every 15 min
_RING = 4 * RECENT  # Vessel.ring: t, lat, lon, speed per fix (filled inline on the hot path)
_RING_MASK = _RING - 1  # RECENT is a power of two: the ring index wraps with a mask
_SHORE_REUSE_M = 200.0  # reuse a vessel's shore distance while it moved less than this
_MAX_EPOCH = 1e11  # a float ``t`` outside +-this (or NaN) is no time: the message's own is used
# Reception grid (vessel.RX_CELL): who was heard in which cell, at breadcrumb pace. A gap is
# judged against it: were others heard around the silent vessel, did its neighbours go silent
# with it, was it heading into water where nobody is heard (see motion._open_gap).
_RX_KEEP_S = 24 * 3600.0  # "anyone heard in this cell" is remembered a day
_RX_PRUNE_S = 3600.0  # the grid is pruned hourly (data time)


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
                 land: LandMask | bool | None = True, places: Places | None = None) -> None:
        self.settings = s = settings or DetectorSettings()
        self.zones = zones if zones is not None and len(zones) else None
        # Ports, learned anchorages and water (maritime/places): none unless given, so a bare
        # engine behaves as drawn zones alone say; ``feeds.build_engine`` gives the known ones.
        self.places = places if places is not None and len(places) else None
        self.land = natural_earth_land() if land is True else (land or None)
        self.book = AlertBook(evidence_max=s.evidence_max)
        self.vessels: dict[int, Vessel] = {}
        self.encounters = EncounterGrid(self)
        self.stats: Counter = Counter()
        self.now: float | None = None
        self.max_ms = s.teleport_max_knots * KNOT_MS
        self._jump_m = s.teleport_min_distance_m
        # Below this squared span in degrees a fix cannot be a jump (cos(lat) <= 1): no trig.
        self._jump_deg2 = (s.teleport_min_distance_m / M_PER_DEG) ** 2
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
        # Reception grid (RX_CELL): cell -> {mmsi: (first, last) breadcrumb time there}, kept
        # while a gap may still be judged against it, and cell -> last time anyone was heard.
        self.rx: dict[tuple[int, int], dict[int, tuple[float, float]]] = {}
        self.rx_seen: dict[tuple[int, int], float] = {}
        self._rx_keep_s = self.gap_s + 2 * 3600.0
        self._rx_prune: float | None = None
        # Silences judged not to be going dark (coverage, in port): kept per vessel as context.
        self.silences: dict[int, list[dict]] = {}
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
        self.encounters.finish(self.now, out)
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
            if type(msg) is not dict:
                self.stats["bad_message"] += 1
                return []
            mmsi = msg.get("mmsi")
            if type(mmsi) is not int or not 0 < mmsi <= 999_999_999:
                self.stats["bad_mmsi"] += 1
                return []
            # The picture and the benchmark pass epoch seconds: no conversion on the hot path.
            when = t if type(t) is float and -_MAX_EPOCH < t < _MAX_EPOCH else self._time(msg, t)
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
            if kind not in STATIC_TYPES and "shipname" not in msg:  # CSV rows repeat statics
                return out
            v = self.vessels.get(mmsi) or self._vessel(mmsi, when, None, None, out)
            identity.on_static(self, v, when, msg, out)
            return out
        except (TypeError, ValueError, OverflowError, AttributeError, KeyError):
            self.stats["bad_message"] += 1
            return []

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
        if v.gap_open or v.silence is not None:
            motion.gap_on_fix(self, v, t, lat, lon, sog, out)
        speed = sog
        if last_t is not None:
            dt = t - last_t
            dlat, dlon = lat - v.lat, lon - v.lon
            # Most fixes are a few hundred metres from the last: below the jump threshold even
            # without cos(lat), so the distance is only worked out when it could matter.
            if dlat * dlat + dlon * dlon > self._jump_deg2 or (speed is None and dt > 0):
                if -1.0 < dlat < 1.0 and -1.0 < dlon < 1.0:  # fast_m inline: the usual case
                    dlon *= cos((lat + v.lat) * _RAD_HALF)
                    d = sqrt(dlat * dlat + dlon * dlon) * M_PER_DEG
                else:
                    d = fast_m(v.lat, v.lon, lat, lon)
                if (d > self._jump_m and (dt <= 0 or d > self.max_ms * dt) or
                        v.alt is not None) and not motion.check_track(self, v, t, lat, lon, sog,
                                                                       out):
                    return  # the fix belongs to a second transmitter's track
                if speed is None and dt > 0:
                    speed = d / dt / KNOT_MS
            elif v.alt is not None and not motion.check_track(self, v, t, lat, lon, sog, out):
                return
        zones = self.zones
        if zones is not None:
            b = zones.bounds
            if v.zones or (b[1] <= lat <= b[3] and b[0] <= lon <= b[2]):
                places.zones_on_fix(self, v, t, lat, lon, speed, out)
        known = self.places
        if known is not None:
            at = v.place_at
            if at is None or not (-_LAND_REUSE < at[0] - lat < _LAND_REUSE and
                                  -_LAND_REUSE < at[1] - lon < _LAND_REUSE):
                at = v.place_at = (lat, lon, known.near(lat, lon))
            v.in_port = v.zone_port or at[2]
        if self.land is not None:
            cached = v.land_at
            if cached is None:
                # First fix: remember it, test only once the vessel moves. Most vessels in a
                # busy feed are moored or anchored; a stationary one cannot wander onto land.
                v.land_at = (lat, lon, None, None)
            elif not (-_LAND_REUSE < cached[0] - lat < _LAND_REUSE and
                      -_LAND_REUSE < cached[1] - lon < _LAND_REUSE):
                places.land_on_fix(self, v, t, lat, lon, speed, out)
            if speed is None or speed >= self._shore_knots:
                v.far_t = None
            else:
                far_t = v.far_t
                if (far_t is None or (far_t < 0 and t + far_t >= _DAY_RECHECK_S)) and \
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
        v.last_t = t
        v.lat = lat
        v.lon = lon
        v.speed = speed
        ring = v.ring
        if len(ring) < _RING:
            ring += (t, lat, lon, speed)
        else:
            i = v.ri
            ring[i] = t
            ring[i + 1] = lat
            ring[i + 2] = lon
            ring[i + 3] = speed
            v.ri = (i + 4) & _RING_MASK
        if t < v.hour_end:
            v.hour_n += 1  # positions per clock hour: "reporting regularly" before a gap
        else:
            v.new_hour(t)
        if t >= v.crumb_due:
            # Breadcrumbs, and "who was heard where" at the same pace: what a gap is judged on.
            v.crumb(t, lat, lon)
            key = (floor(lat * RX_CELL), floor(lon * RX_CELL))
            heard = self.rx.get(key)
            if heard is None:
                heard = self.rx[key] = {}
            seen = heard.get(v.mmsi)
            heard[v.mmsi] = (t, t) if seen is None else (seen[0], t)
            self.rx_seen[key] = t
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
        if self._rx_prune is None or now >= self._rx_prune:
            self._rx_prune = now + _RX_PRUNE_S
            keep = now - self._rx_keep_s
            for key, heard in list(self.rx.items()):
                for mmsi, (_first, last) in list(heard.items()):
                    if last < keep:
                        del heard[mmsi]
                if not heard:
                    del self.rx[key]
            seen = now - _RX_KEEP_S
            self.rx_seen = {k: last for k, last in self.rx_seen.items() if last >= seen}

    def anchorage_m(self, lat: float, lon: float) -> float:
        """Metres to the nearest known port or anchorage: a learned or UN/LOCODE one
        (``places``) or a drawn port/anchorage zone; 0 inside one, inf when none is known
        (within 50 km). The encounter detector excludes encounters near one (GFW: 10 km)."""
        best = self.places.anchorage_m(lat, lon) if self.places is not None else float("inf")
        if self.zones is not None and best > 0:
            best = min(best, self.zones.distance_m(lat, lon, PORT_KINDS))
        return best

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
