"""A pair's run alongside (``Pair``), where an encounter counts, and the ``dark_rendezvous``:
two vessels alongside fall silent together.

Two ships that switch their transponders off together while alongside hide what they do next;
GFW's encounter pipeline sees the same pair as one encounter across the silence, and
``encounter.py`` does too. The silence itself is raised as it becomes established (both silent
for ``dark_rendezvous_silence_minutes`` and for four of their usual reporting intervals), with
both vessels, at high severity, when it is the pair's own: their last positions were close and
within ``dark_rendezvous_window_minutes`` of each other, after at least
``dark_rendezvous_min_alongside_minutes`` alongside at a median speed under
``encounter_max_median_knots``, away from ports and anchorages, and others around them are still
heard (a receiver or feed outage silences everyone: the same test as a gap's, ``motion.py``).
"""

from __future__ import annotations

from itertools import pairwise
from math import floor
from statistics import median
from typing import TYPE_CHECKING

import shapely

from bastion.core.geo import fast_m
from bastion.maritime.risk.alerts import Alert, AlertEvent, fix
from bastion.maritime.risk.vessel import RX_CELL

if TYPE_CHECKING:
    from collections.abc import Callable

    from bastion.maritime.risk.context import EngineState
    from bastion.maritime.risk.settings import DetectorSettings
    from bastion.maritime.risk.vessel import Vessel

_HEARD_AFTER_S = 1800.0  # others "heard since": from 30 min into the silence (as for gaps)
_NEIGHBOUR_BEFORE_S = 7200.0  # neighbours: heard around them in the 2 h before the silence
_INTERVALS = 4  # a silence is at least this many usual reporting intervals
THRESHOLDS = ("dark_rendezvous_silence_minutes", "dark_rendezvous_window_minutes",
              "dark_rendezvous_min_alongside_minutes", "encounter_distance_m",
              "encounter_max_median_knots", "encounter_min_port_distance_m",
              "gap_min_neighbours", "gap_min_neighbours_heard")


class Pair:
    """One run of close samples of two vessels (a < b), from the first to the latest: the
    encounter grid keeps them, the silence judgement here reads them."""

    __slots__ = ("a", "alert", "apart_a", "apart_b", "b", "dark", "dark_judged", "first",
                 "last", "last_t", "own", "port_ok", "seen_t", "short", "silent_s", "speeds",
                 "start_t")

    def __init__(self, a: int, b: int, t: float, first: tuple) -> None:
        self.a, self.b = a, b
        self.start_t = self.last_t = self.seen_t = t  # first close; close until; last sampled
        self.speeds: list[float] = []
        # The first close sample and the latest: (t, lat, lon, speed) of a, then of b.
        self.first = first
        self.last = first
        self.alert: Alert | None = None  # the encounter, once it qualifies
        self.short: Alert | None = None  # the early warning inside the station's waters
        self.dark: Alert | None = None  # an open dark_rendezvous (silent together now)
        self.dark_judged: float | None = None  # the silence (its start) already judged
        self.apart_a: float | None = None  # a heard after the last close sample, since
        self.apart_b: float | None = None
        self.silent_s = 0.0  # seconds both were silent inside the run
        self.port_ok: bool | None = None  # away from ports and anchorages (judged once)
        self.own: bool | None = None  # inside the station's own waters (judged once)

    def seen_s(self) -> float:
        """Seconds seen alongside: first close fix to the last, joint silences left out."""
        return self.last_t - self.start_t - self.silent_s

    def median_knots(self) -> float:
        return median(self.speeds) if self.speeds else 0.0


def evidence(sample: tuple, **marks: bool) -> dict:
    """A close sample as an evidence fix of the first vessel, the other's beside it."""
    return fix(*sample[:4], other=fix(*sample[4:]), **marks)


def own_waters(s: DetectorSettings) -> shapely.Geometry | None:
    """The station's own waters drawn in the settings (a polygon), prepared for lookups."""
    if len(s.encounter_short_waters) < 3:
        return None
    polygon = shapely.Polygon(s.encounter_short_waters)
    shapely.prepare(polygon)
    return polygon


def in_own_waters(eng: EngineState, waters: shapely.Geometry | None, lat: float,
                  lon: float) -> bool:
    """Inside a zone of ``encounter_short_zone_kinds`` or the settings' polygon."""
    kinds = frozenset(eng.settings.encounter_short_zone_kinds)
    if eng.zones is not None and kinds and eng.zones.in_kinds(lat, lon, kinds):
        return True
    return waters is not None and bool(shapely.intersects_xy(waters, lon, lat))


def away_from_anchorages(eng: EngineState, lat: float, lon: float, lat2: float,
                         lon2: float) -> bool:
    """At least ``encounter_min_port_distance_m`` from a port or anchorage (GFW: 10 km), and
    not inland.

    The station's port and anchorage zones count first; then the places the engine knows
    without drawing (``anchorage_m``: ports of the gazetteer and anchorages learned from
    traffic, in metres, inf when none), when it has them. GFW's pipeline also drops encounters
    whose position is inland (its ``filter_inland`` mask): here the land mask, which likewise
    takes a harbour basin it lacks for land.
    """
    need = eng.settings.encounter_min_port_distance_m
    zones = eng.zones
    if zones is not None and zones.distance_m(lat, lon) < need:
        return False
    anchorage_m = getattr(eng, "anchorage_m", None)
    if anchorage_m is not None and anchorage_m(lat, lon) < need:
        return False
    land = eng.land
    return land is None or not (land.is_land(lat, lon) or land.is_land(lat2, lon2))


def usual_interval(v: Vessel, before: float) -> float:
    """The median time between the vessel's recent fixes up to ``before`` (seconds; 0 with
    fewer than two): the silence that follows is not part of its usual rate."""
    times = sorted(t for t in v.ring[0::4] if t <= before)
    steps = [b - a for a, b in pairwise(times) if b > a]
    return median(steps) if steps else 0.0


def silence_s(eng: EngineState, since: float, *vessels: Vessel) -> float:
    """How long a joint silence from ``since`` must last: ``dark_rendezvous_silence_minutes``
    and at least four of the slower reporter's usual intervals (a ship heard hourly is not
    silent at 1 h)."""
    usual = max(usual_interval(v, since) for v in vessels)
    return max(eng.settings.dark_rendezvous_silence_minutes * 60, _INTERVALS * usual)


def coverage(eng: EngineState, pair: Pair, t0: float, lat: float,
             lon: float) -> tuple[int, int, int]:
    """Around the pair (3x3 reception cells): others heard during the silence; others heard
    there in the 2 h before it; how many of those were heard again since."""
    after = t0 + _HEARD_AFTER_S
    before = t0 - _NEIGHBOUR_BEFORE_S
    r, c = floor(lat * RX_CELL), floor(lon * RX_CELL)
    during: set[int] = set()
    around: set[int] = set()
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            for mmsi, (first, last) in eng.rx.get((r + dr, c + dc), {}).items():
                if last >= after:
                    during.add(mmsi)
                if first <= t0 and last >= before:
                    around.add(mmsi)
    during -= {pair.a, pair.b}
    around -= {pair.a, pair.b}
    vessels = eng.vessels
    again = sum(1 for m in around if m in vessels and vessels[m].last_t >= after)
    return len(during), len(around), again


def judge_silence(eng: EngineState, pair: Pair, now: float, port_ok: Callable[[Pair], bool],
                  out: list[AlertEvent]) -> None:
    """Both vessels of a run unheard since its last close sample: is it a dark rendezvous?
    Each silence is judged once, when it has lasted long enough; ``port_ok`` (the grid's
    judgement of the pair's place, cached) last, as it is the costly question."""
    s = eng.settings
    va, vb = eng.vessels[pair.a], eng.vessels[pair.b]
    t0 = max(va.last_t, vb.last_t)  # both silent since
    silent = now - t0
    if pair.dark_judged == t0 or silent < s.dark_rendezvous_silence_minutes * 60 or \
            silent < silence_s(eng, t0, va, vb):
        return
    pair.dark_judged = t0
    apart_s = abs(va.last_t - vb.last_t)
    distance = fast_m(va.lat, va.lon, vb.lat, vb.lon)
    alongside = pair.seen_s()
    if apart_s > s.dark_rendezvous_window_minutes * 60 or distance > s.encounter_distance_m or \
            alongside < s.dark_rendezvous_min_alongside_minutes * 60 or \
            pair.median_knots() >= s.encounter_max_median_knots or not port_ok(pair):
        return
    heard, neighbours, again = coverage(eng, pair, t0, va.lat, va.lon)
    if not heard:
        eng.stats["dark_rendezvous_coverage_hole"] += 1
        return  # nobody else heard there either: reception, not the pair, may have failed
    if neighbours >= s.gap_min_neighbours and again < s.gap_min_neighbours_heard * neighbours:
        eng.stats["dark_rendezvous_coverage_drop"] += 1
        return
    eng.stats["dark_rendezvous"] += 1
    last = fix(va.last_t, va.lat, va.lon, va.speed,
               other=fix(vb.last_t, vb.lat, vb.lon, vb.speed), silent_from=True)
    pair.dark = eng.book.raise_(
        out, "dark_rendezvous", pair.a, now, va.lat, va.lon, "high",
        {k: getattr(s, k) for k in THRESHOLDS}, other=pair.b, start_t=t0,
        evidence=[evidence(pair.first), last],
        context={"alongside_hours": round(alongside / 3600, 2),
                 "median_knots": round(pair.median_knots(), 2),
                 "distance_m": round(distance), "silent_apart_minutes": round(apart_s / 60, 1),
                 "silent_hours": round((now - t0) / 3600, 2), "others_heard_nearby": heard,
                 "neighbours_before": neighbours, "neighbours_heard_again": again})
