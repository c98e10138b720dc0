"""Encounters (rendezvous at sea), after GFW: two vessels within 500 m for at least 2 h at a
median speed under 2 kn, at least 10 km from an anchorage; events less than 4 h apart merge
(Miller et al. 2018; GFW events API "encounter" definition).

Only slow vessels at sea are indexed (not moored, not inside a port zone, not in a harbour
basin that the land mask counts as land: GFW likewise drops encounters at anchorages), in a hash grid of 0.01-degree cells (1.1 km north-south, so the
3x3 neighbourhood covers 500 m in every direction below 63 degrees of latitude; above that some
pairs straddling two cells east-west are missed, noted in the report). Each fix looks at its own
and the 8 neighbouring cells, so the cost is proportional to the local density, never n^2.
"""

from __future__ import annotations

from math import cos, floor, pi
from statistics import median
from typing import TYPE_CHECKING

from bastion.core.geo import M_PER_DEG
from bastion.maritime.risk.alerts import Alert, AlertEvent, fix

if TYPE_CHECKING:
    from bastion.maritime.risk.context import EngineState
    from bastion.maritime.risk.vessel import Vessel

_CELL = 100  # cells per degree
_INDEX_KNOTS = 4.0  # the engine only calls on_fix below this or for an indexed vessel  # index fixes up to twice the median limit: a median tolerates spikes
_SPEEDS = 256  # speed samples kept per pair (halved when full)
_SAMPLE_S = 300.0  # at most one sample per pair per 5 min of data time
_MOORED = 5  # AIS navigational status "moored": alongside a berth, not a rendezvous
_AROUND = tuple((dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1))  # a cell and its 8 around
_RAD = pi / 180.0


class Pair:
    __slots__ = ("a", "alert", "b", "first", "last_t", "port_ok", "prev", "speeds", "start_t")

    def __init__(self, a: int, b: int, t: float, first: tuple) -> None:
        self.a, self.b = a, b
        self.start_t = self.last_t = t
        self.speeds: list[float] = []
        self.first = first
        self.alert: Alert | None = None
        self.prev: Alert | None = None  # the pair's last closed event, for GFW's 4 h merge
        self.port_ok: bool | None = None


class EncounterGrid:
    def __init__(self, eng: EngineState) -> None:
        self.eng = eng
        self.cells: dict[tuple[int, int], dict[int, Vessel]] = {}
        self.pairs: dict[tuple[int, int], Pair] = {}
        s = eng.settings
        self._skew = s.encounter_max_skew_minutes * 60
        # Squared limit in degrees of latitude, longitude scaled by cos(lat): the inner loop
        # runs for every slow neighbour, so it stays plain arithmetic.
        self._limit2 = (s.encounter_distance_m / M_PER_DEG) ** 2

    def on_fix(self, v: Vessel, out: list[AlertEvent]) -> None:
        """Index a vessel's latest fix (already stored on ``v``) and look for neighbours."""
        cells = self.cells
        speed = v.speed
        land = v.land_at
        if speed is None or speed >= _INDEX_KNOTS or v.in_port or v.status == _MOORED or \
                (land is not None and land[2] is True):
            if v.cell is not None:
                old = cells.get(v.cell)
                if old is not None:
                    old.pop(v.mmsi, None)
                v.cell = None
            return
        t, lat, lon = v.last_t, v.lat, v.lon
        key = (floor(lat * _CELL), floor(lon * _CELL))
        me = v.mmsi
        if key != v.cell:
            if v.cell is not None:
                old = cells.get(v.cell)
                if old is not None:
                    old.pop(me, None)
                    if not old:
                        del cells[v.cell]
            v.cell = key
            bucket = cells.get(key)
            if bucket is None:
                cells[key] = {me: v}
            else:
                bucket[me] = v
        if v.scan_t is not None and 0 <= t - v.scan_t < _SAMPLE_S:
            return  # scanned recently; neighbours scanning meanwhile see this fresh fix
        v.scan_t = t
        skew = self._skew
        limit2 = self._limit2
        scale = cos(lat * _RAD)
        pairs = self.pairs
        r, c = key
        for dr, dc in _AROUND:
            bucket = cells.get((r + dr, c + dc))
            if not bucket:
                continue
            for other, o in bucket.items():
                if other == me:
                    continue
                ot = o.last_t
                if not -skew <= t - ot <= skew:
                    continue
                dx = (o.lon - lon) * scale
                dy = o.lat - lat
                if dx * dx + dy * dy > limit2:
                    continue
                pair = pairs.get((me, other) if me < other else (other, me))
                if pair is not None and 0 <= t - pair.last_t < _SAMPLE_S:
                    continue  # GFW resamples tracks to 10 min; 5 min is fine-grained enough
                self._close(me, other, t, (t, lat, lon, speed), (ot, o.lat, o.lon, o.speed), out)

    def _close(self, m1: int, m2: int, t: float, e1: tuple, e2: tuple,
               out: list[AlertEvent]) -> None:
        s = self.eng.settings
        a, b = (m1, m2) if m1 < m2 else (m2, m1)
        pair = self.pairs.get((a, b))
        if pair is not None and t - pair.last_t > s.encounter_break_hours * 3600:
            self._end(pair, out)
            pair = None if pair.prev is None else self._restart(pair, t, e1)
        if pair is None:
            pair = self.pairs[(a, b)] = Pair(a, b, t, e1)
        pair.last_t = max(pair.last_t, t)
        pair.speeds.append(e1[3])
        pair.speeds.append(e2[3])
        if len(pair.speeds) > _SPEEDS:
            del pair.speeds[::2]
        if pair.alert is not None:
            if t - pair.alert.context.get("last_update_epoch", 0) >= 1800:  # <= 2 events/hour
                pair.alert.context["last_update_epoch"] = t
                pair.alert.add_evidence(fix(*e1, other=fix(*e2)))
                pair.alert.context["hours"] = round((t - pair.alert.start_t) / 3600, 2)
                self.eng.book.update(out, pair.alert)
            return
        if t - pair.start_t < s.encounter_hours * 3600:
            return
        if median(pair.speeds) >= s.encounter_max_median_knots:
            return
        if pair.port_ok is None:
            zones, land = self.eng.zones, self.eng.land
            pair.port_ok = (zones is None or zones.distance_m(e1[1], e1[2]) >=
                            s.encounter_min_port_distance_m) and \
                (land is None or not (land.is_land(e1[1], e1[2]) or land.is_land(e2[1], e2[2])))
        if not pair.port_ok:
            return
        thresholds = {k: getattr(s, k) for k in (
            "encounter_distance_m", "encounter_hours", "encounter_max_median_knots",
            "encounter_min_port_distance_m", "encounter_merge_hours")}
        book = self.eng.book
        start, salt, evidence = pair.start_t, "", [fix(*pair.first)]
        prev = pair.prev
        if prev is not None and prev.status == "closed" and \
                start - prev.end_t < s.encounter_merge_hours * 3600:
            start, salt = prev.start_t, f"merged:{int(pair.start_t)}"
            evidence = prev.evidence[:2] + evidence
        pair.alert = book.raise_(out, "encounter", a, t, e1[1], e1[2], "medium", thresholds,
                                 other=b, start_t=start, salt=salt,
                                 evidence=[*evidence, fix(*e1, other=fix(*e2))],
                                 context={"median_knots": round(median(pair.speeds), 2),
                                          "hours": round((t - start) / 3600, 2),
                                          "last_update_epoch": t})
        if salt:
            book.retract(out, prev, f"merged with a later encounter of the same pair less than "
                         f"{s.encounter_merge_hours:g} h after it into {pair.alert.id} (GFW)")
        for mmsi in (a, b):
            if mmsi in self.eng.reefers:
                pair.alert.severity = "high"

    def _restart(self, pair: Pair, t: float, e1: tuple) -> Pair:
        fresh = Pair(pair.a, pair.b, t, e1)
        fresh.prev = pair.prev
        self.pairs[(pair.a, pair.b)] = fresh
        return fresh

    def _end(self, pair: Pair, out: list[AlertEvent]) -> None:
        if pair.alert is not None:
            self.eng.book.close(out, pair.alert, pair.last_t, "vessels apart")
            pair.prev, pair.alert = pair.alert, None

    def sweep(self, now: float, out: list[AlertEvent]) -> None:
        s = self.eng.settings
        brk = s.encounter_break_hours * 3600
        keep = s.encounter_merge_hours * 3600 + brk
        for key, pair in list(self.pairs.items()):
            if now - pair.last_t > brk:
                self._end(pair, out)
                if now - pair.last_t > keep:
                    del self.pairs[key]
        skew = s.encounter_max_skew_minutes * 60
        for key, bucket in list(self.cells.items()):
            for mmsi, vessel in list(bucket.items()):
                if now - vessel.last_t > skew:
                    del bucket[mmsi]
                    if vessel.cell == key:
                        vessel.cell = None
            if not bucket:
                del self.cells[key]
