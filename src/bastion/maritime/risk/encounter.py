"""Encounters (rendezvous at sea), after GFW: two vessels within 500 m for at least 2 h at a
median speed under 2 kn, at least 10 km from an anchorage; events less than 4 h apart merge
(Miller et al. 2018; GFW events API "encounter" definition). Besides: ``encounter_short``, the
station's early warning (alongside 15 min inside its own waters), and ``dark_rendezvous`` (two
vessels alongside fall silent together; ``rendezvous.py``).

An event runs from the first close fix to the last, across joint silences. GFW's pipeline
resamples each track to 10 minutes, never across more than an hour without a position, and
keeps a pair's run of adjacent samples going until one vessel has a sample without the other
close by: while both are silent neither has samples, so nothing ends the run, and two vessels
alongside, silent together for eight hours and alongside again are one encounter. Here the
same rule works on the stream: a run ends when both vessels have been heard for
``encounter_break_hours`` after their last close fix without being close again (or one of them
for ``encounter_merge_hours`` while the other stays silent: GFW would merge a reunion within
that time anyway). The ends are judged at each sweep (every ``sweep_minutes`` of data time).

Only slow vessels at sea are indexed (not moored, not inside a port zone, not in a harbour
basin that the land mask counts as land), in a hash grid of 0.01-degree cells (1.1 km
north-south, so the 3x3 neighbourhood covers 500 m in every direction below 63 degrees of
latitude; above that some pairs straddling two cells east-west are missed). Each fix looks at
its own and the 8 neighbouring cells, so the cost is proportional to the local density, never
n^2; a pair is sampled at most every 5 minutes of data time.
"""

from __future__ import annotations

from math import cos, floor, pi
from typing import TYPE_CHECKING

from bastion.core.geo import M_PER_DEG
from bastion.maritime.risk import rendezvous
from bastion.maritime.risk.alerts import SEVERITY_SCORE, Alert, AlertEvent
from bastion.maritime.risk.rendezvous import Pair

if TYPE_CHECKING:
    from bastion.maritime.risk.context import EngineState
    from bastion.maritime.risk.vessel import Vessel

_CELL = 100  # cells per degree
_INDEX_KNOTS = 4.0  # the engine only calls on_fix below this or for an indexed vessel  # index fixes up to twice the median limit: a median tolerates spikes
_SPEEDS = 256  # speed samples kept per pair (halved when full)
_SAMPLE_S = 300.0  # at most one sample per pair per 5 min of data time
_LAG_S = 2 * _SAMPLE_S  # a vessel heard this long after the pair's last close sample: apart
_UPDATE_S = 1800.0  # an open encounter is updated at most twice an hour
_MOORED = 5  # AIS navigational status "moored": alongside a berth, not a rendezvous
_AROUND = tuple((dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1))  # a cell and its 8 around
_RAD = pi / 180.0
_THRESHOLDS = ("encounter_distance_m", "encounter_hours", "encounter_max_median_knots",
               "encounter_min_port_distance_m", "encounter_merge_hours",
               "encounter_min_seen_minutes")


class EncounterGrid:
    def __init__(self, eng: EngineState) -> None:
        self.eng = eng
        self.cells: dict[tuple[int, int], dict[int, Vessel]] = {}
        self.pairs: dict[tuple[int, int], Pair] = {}
        self.ended: dict[tuple[int, int], Alert] = {}  # closed encounters, for GFW's 4 h merge
        s = eng.settings
        self._skew = s.encounter_max_skew_minutes * 60
        # Squared limit in degrees of latitude, longitude scaled by cos(lat): the inner loop
        # runs for every slow neighbour, so it stays plain arithmetic.
        self._limit2 = (s.encounter_distance_m / M_PER_DEG) ** 2
        self._waters = rendezvous.own_waters(s)

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
                if pair is not None and 0 <= t - pair.seen_t < _SAMPLE_S:
                    continue  # GFW resamples tracks to 10 min; 5 min is fine-grained enough
                self._close(v, o, out)

    # -- a close sample -----------------------------------------------------------------------
    def _close(self, v: Vessel, o: Vessel, out: list[AlertEvent]) -> None:
        s = self.eng.settings
        va, vb = (v, o) if v.mmsi < o.mmsi else (o, v)
        key = (va.mmsi, vb.mmsi)
        # Kept as plain values: most pairs never become evidence (JSON-ready fixes cost more).
        sample = (va.last_t, va.lat, va.lon, va.speed, vb.last_t, vb.lat, vb.lon, vb.speed)
        # Close at the later fix's time; known close until the earlier one's: past a silent
        # vessel's last fix nothing is claimed (GFW never extrapolates a track either).
        t, older = (va.last_t, vb.last_t) if va.last_t >= vb.last_t else (vb.last_t, va.last_t)
        pair = self.pairs.get(key)
        if pair is None:
            pair = self.pairs[key] = Pair(va.mmsi, vb.mmsi, t, sample)
        else:
            # Back alongside after both were silent (the run went on): how long they were.
            back = min(pair.apart_a or t, pair.apart_b or t)
            if back - pair.seen_t >= rendezvous.silence_s(self.eng, pair.seen_t, va, vb):
                # Unseen alongside: from the last fix known close to the first known again.
                pair.silent_s += max(0.0, older - pair.last_t)
                if pair.alert is not None:
                    pair.alert.add_evidence(rendezvous.evidence(pair.last, silent_from=True))
                    pair.alert.add_evidence(rendezvous.evidence(sample, silent_until=True))
                    pair.alert.context["last_update_epoch"] = 0.0  # report the reunion now
            if pair.dark is not None:
                pair.dark.add_evidence(rendezvous.evidence(sample, back_alongside=True))
                self.eng.book.close(out, pair.dark, back, "back alongside")
                pair.dark = None
            pair.apart_a = pair.apart_b = None
            pair.last_t = max(pair.last_t, older)
            pair.seen_t = max(pair.seen_t, t)
        pair.last = sample
        speeds = pair.speeds
        speeds.append(va.speed)
        speeds.append(vb.speed)
        if len(speeds) > _SPEEDS:
            del speeds[::2]
        if pair.alert is not None:
            if t - pair.alert.context.get("last_update_epoch", 0) >= _UPDATE_S:
                self._update(pair, t, sample, out)
            return
        span = pair.last_t - pair.start_t
        seen = pair.seen_s()
        if span < s.encounter_short_minutes * 60 or pair.median_knots() >= \
                s.encounter_max_median_knots or not self.port_ok(pair):
            return
        if span >= s.encounter_hours * 3600 and seen >= s.encounter_min_seen_minutes * 60:
            self._raise(pair, t, sample, out)
        elif pair.short is None and seen >= s.encounter_short_minutes * 60 and self._own(pair):
            pair.short = self.eng.book.raise_(
                out, "encounter_short", pair.a, t, va.lat, va.lon, "medium",
                {k: getattr(s, k) for k in (
                    "encounter_distance_m", "encounter_short_minutes",
                    "encounter_max_median_knots", "encounter_min_port_distance_m")},
                other=pair.b, start_t=pair.start_t,
                evidence=[rendezvous.evidence(pair.first), rendezvous.evidence(sample)],
                context=self._context(pair, t))

    def _context(self, pair: Pair, t: float) -> dict:
        context = {"median_knots": round(pair.median_knots(), 2),
                   "hours": round((pair.last_t - pair.start_t) / 3600, 2),
                   "last_update_epoch": t}
        if pair.silent_s:
            context["joint_silence_hours"] = round(pair.silent_s / 3600, 2)
        return context

    def _raise(self, pair: Pair, t: float, sample: tuple, out: list[AlertEvent]) -> None:
        s = self.eng.settings
        book = self.eng.book
        start, salt, evidence = pair.start_t, "", [rendezvous.evidence(pair.first)]
        prev = self.ended.pop((pair.a, pair.b), None)
        if prev is not None and (prev.status != "closed" or
                                 start - prev.end_t >= s.encounter_merge_hours * 3600):
            prev = None
        if prev is not None:
            start, salt = prev.start_t, f"merged:{int(pair.start_t)}"
            evidence = prev.evidence[:2] + evidence
        context = self._context(pair, t)
        context["hours"] = round((pair.last_t - start) / 3600, 2)
        pair.alert = book.raise_(out, "encounter", pair.a, t, sample[1], sample[2],
                                 "medium", {k: getattr(s, k) for k in _THRESHOLDS},
                                 other=pair.b, start_t=start, salt=salt,
                                 evidence=[*evidence, rendezvous.evidence(sample)],
                                 context=context)
        if prev is not None:
            book.retract(out, prev, f"merged with a later encounter of the same pair less than "
                         f"{s.encounter_merge_hours:g} h after it into {pair.alert.id} (GFW)")
        if self._severe(pair):
            pair.alert.severity, pair.alert.score = "high", SEVERITY_SCORE["high"]
        if pair.short is not None:
            book.close(out, pair.short, pair.last_t, "grew into an encounter")
            pair.short = None

    def _severe(self, pair: Pair) -> bool:
        """A reefer (GFW's transshipment partners) or a joint silence inside the event."""
        reefers = self.eng.reefers
        silence = self.eng.settings.dark_rendezvous_silence_minutes * 60
        return pair.a in reefers or pair.b in reefers or pair.silent_s >= silence

    def _update(self, pair: Pair, t: float, sample: tuple, out: list[AlertEvent]) -> None:
        alert = pair.alert
        alert.add_evidence(rendezvous.evidence(sample))
        alert.context.update(self._context(pair, t))
        alert.context["hours"] = round((pair.last_t - alert.start_t) / 3600, 2)
        if alert.severity != "high" and self._severe(pair):
            alert.severity, alert.score = "high", SEVERITY_SCORE["high"]
        self.eng.book.update(out, alert)

    # -- where -------------------------------------------------------------------------------
    def port_ok(self, pair: Pair) -> bool:
        """Away from ports and anchorages (GFW: 10 km), judged once per run."""
        if pair.port_ok is None:
            e = pair.last
            pair.port_ok = rendezvous.away_from_anchorages(self.eng, e[1], e[2], e[5], e[6])
        return pair.port_ok

    def _own(self, pair: Pair) -> bool:
        if pair.own is None:
            pair.own = rendezvous.in_own_waters(self.eng, self._waters, pair.last[1],
                                                pair.last[2])
        return pair.own

    # -- ends ----------------------------------------------------------------------------------
    def _end(self, pair: Pair, out: list[AlertEvent], now: float) -> None:
        """The run is over: close what it raised at its last close sample."""
        book = self.eng.book
        key = (pair.a, pair.b)
        if self.pairs.get(key) is pair:
            del self.pairs[key]
        if pair.dark is not None:
            book.close(out, pair.dark, now, "no longer watched")
        if pair.short is not None:
            book.close(out, pair.short, pair.last_t, "vessels apart")
        if pair.alert is not None:
            pair.alert.context["hours"] = round((pair.last_t - pair.alert.start_t) / 3600, 2)
            book.close(out, pair.alert, pair.last_t, "vessels apart")
            self.ended[key] = pair.alert

    def finish(self, now: float, out: list[AlertEvent]) -> None:
        """End of a replay: every run ends here."""
        for pair in list(self.pairs.values()):
            self._end(pair, out, now)

    def sweep(self, now: float, out: list[AlertEvent]) -> None:
        s = self.eng.settings
        brk = s.encounter_break_hours * 3600
        wait = s.encounter_merge_hours * 3600
        cap = s.encounter_max_joint_silence_hours * 3600
        quiet = min(s.dark_rendezvous_silence_minutes * 60, cap)
        vessels = self.eng.vessels
        for pair in list(self.pairs.values()):
            ta, tb = vessels[pair.a].last_t, vessels[pair.b].last_t
            lag = pair.seen_t + _LAG_S
            if ta <= lag and tb <= lag and pair.apart_a is None and pair.apart_b is None:
                # Neither heard since the last close sample: together, or silent together.
                if now - max(ta, tb) < quiet:
                    continue  # the usual case, kept cheap: sweeps see every pair
                if now - pair.seen_t >= cap:
                    self._end(pair, out, now)
                elif pair.dark is None:
                    rendezvous.judge_silence(self.eng, pair, now, self.port_ok, out)
                continue
            if pair.apart_a is None and ta > lag:
                pair.apart_a = ta
            if pair.apart_b is None and tb > lag:
                pair.apart_b = tb
            pa, pb = pair.apart_a, pair.apart_b
            heard = max(ta, tb)
            if pa is not None and pb is not None:
                over = heard - max(pa, pb) >= brk  # both heard, not close: they parted
            else:
                over = heard - (pa if pa is not None else pb) >= wait  # one heard, one silent
            if pair.dark is not None:
                self.eng.book.close(out, pair.dark, min(x for x in (pa, pb) if x is not None),
                                    "vessel heard again")
                pair.dark = None
            if over:
                self._end(pair, out, now)
        keep = wait + brk
        for key, alert in list(self.ended.items()):
            if alert.end_t is None or now - alert.end_t > keep:
                del self.ended[key]
        skew = self._skew
        for key, bucket in list(self.cells.items()):
            for mmsi, vessel in list(bucket.items()):
                if now - vessel.last_t > skew:
                    del bucket[mmsi]
                    if vessel.cell == key:
                        vessel.cell = None
            if not bucket:
                del self.cells[key]
