"""Movement detectors: teleport, mmsi_conflict and gap.

Teleport and MMSI conflict share one model, after GFW's segmenter (a new track segment starts
when the implied speed from the previous fix is implausible): a vessel keeps a main track head
and, after a jump, the old head as an alternative. Fixes that continue the alternative are a
second transmitter; when both tracks keep reporting (``conflict_min_fixes`` each) the MMSI is
shared (GFW's spoofing list test: segments that overlap in time) and the teleports it caused are
retracted. A single outlier just loses: the track with more fixes stays main.

A gap (GFW raw gap: silent for ``gap_hours``) is an alert only when the silence is the vessel's
own: it was reporting regularly, it was not lying in port, others around it are still heard,
the vessels heard with it before were heard again, and it was not sailing out of reception.
Silences explained otherwise are kept in ``RiskEngine.silences`` with the reason (``_open_gap``).
"""

from __future__ import annotations

from math import floor
from typing import TYPE_CHECKING

from bastion.core.geo import KNOT_MS, M_PER_NM, fast_m
from bastion.maritime.risk.alerts import AlertEvent, fix
from bastion.maritime.risk.vessel import RX_CELL

if TYPE_CHECKING:
    from bastion.maritime.risk.context import EngineState
    from bastion.maritime.risk.vessel import Vessel


def _plausible(eng: EngineState, t0: float, lat0: float, lon0: float, t: float, lat: float,
               lon: float) -> tuple[bool, float, float]:
    d = fast_m(lat0, lon0, lat, lon)
    dt = t - t0
    if d <= eng.settings.teleport_min_distance_m:
        return True, d, dt
    return dt > 0 and d / dt <= eng.max_ms, d, dt


def check_track(eng: EngineState, v: Vessel, t: float, lat: float, lon: float,
                speed: float | None, out: list[AlertEvent]) -> bool:
    """True if the fix continues the main track (the caller then moves the vessel there)."""
    if v.lat is None:
        return True
    ok, d, dt = _plausible(eng, v.last_t, v.lat, v.lon, t, lat, lon)
    if ok:
        if v.alt is not None:
            v.main_hits += 1
            _maybe_conflict(eng, v, t, lat, lon, out)
        return True
    if v.alt is not None and _plausible(eng, *v.alt, t, lat, lon)[0]:
        v.alt = (t, lat, lon)
        v.alt_hits += 1
        if v.alt_hits > v.main_hits:  # the other track is the better-supported one: swap
            v.alt, v.main_hits, v.alt_hits = (v.last_t, v.lat, v.lon), v.alt_hits, v.main_hits
            _maybe_conflict(eng, v, t, lat, lon, out)
            return True
        # The fix continues the second track: the other track's latest fix is the main one's.
        _maybe_conflict(eng, v, t, lat, lon, out, other=(v.last_t, v.lat, v.lon))
        return False
    # A jump neither track explains.
    s = eng.settings
    knots = float("inf") if dt <= 0 else d / dt / KNOT_MS
    book = eng.book
    thresholds = {"teleport_max_knots": s.teleport_max_knots,
                  "teleport_min_distance_m": s.teleport_min_distance_m,
                  "teleport_min_track_fixes": s.teleport_min_track_fixes}
    alert = book.get("teleport", v.mmsi)
    item = fix(t, lat, lon, speed, jump_m=round(d), implied_knots=round(min(knots, 1e6), 1))
    if len(v.ring) < 4 * s.teleport_min_track_fixes:  # no track yet to jump from
        eng.stats["jump_before_a_track"] += 1
    elif alert is None and book.get("mmsi_conflict", v.mmsi) is None:
        alert = book.raise_(out, "teleport", v.mmsi, t, lat, lon,
                            "high" if d > 100 * M_PER_NM else "medium", thresholds,
                            evidence=[fix(v.last_t, v.lat, v.lon, v.speed), item],
                            context={"jumps": 1, "max_jump_m": round(d), "last_jump_epoch": t})
    elif alert is not None:
        alert.add_evidence(item)
        alert.context["jumps"] += 1
        alert.context["max_jump_m"] = max(alert.context["max_jump_m"], round(d))
        alert.context["last_jump_epoch"] = t
        alert.lat, alert.lon = lat, lon
        book.update(out, alert, "another jump")
    v.alt = (v.last_t, v.lat, v.lon)
    v.main_hits = v.alt_hits = 1
    v.loiter_t = None  # a run of slow fixes does not span a jump
    return True


def _maybe_conflict(eng: EngineState, v: Vessel, t: float, lat: float, lon: float,
                    out: list[AlertEvent], other: tuple[float, float, float] | None = None
                    ) -> None:
    """Evidence pairs the fix with the latest fix of the OTHER track: ``other`` when the fix
    itself continues the second track (``v.alt`` is then this very fix), else ``v.alt``."""
    need = eng.settings.conflict_min_fixes
    if v.main_hits < need or v.alt_hits < need or v.alt is None:
        return
    book = eng.book
    alert = book.get("mmsi_conflict", v.mmsi)
    item = fix(t, lat, lon, None, other_track=fix(*(other or v.alt)))
    if alert is None:
        alert = book.raise_(out, "mmsi_conflict", v.mmsi, t, lat, lon, "high",
                            {"teleport_max_knots": eng.settings.teleport_max_knots,
                             "conflict_min_fixes": need},
                            evidence=[item], context={"tracks": 2})
        for teleport in book.recent(v.mmsi, "teleport"):
            if teleport.status != "retracted" and teleport.start_t >= t - eng.conflict_window_s:
                book.retract(out, teleport, f"explained by a second transmitter using MMSI "
                             f"{v.mmsi} (mmsi_conflict {alert.id})")
    elif len(alert.evidence) < alert.evidence_max or v.alt_hits % 10 == 0:
        alert.add_evidence(item)
        alert.context["last_t"] = t


def sweep_motion(eng: EngineState, v: Vessel, now: float, out: list[AlertEvent]) -> None:
    """Tick work per vessel: close quiet teleports, let a lapsed second track go, judge gaps."""
    book = eng.book
    s = eng.settings
    if v.alt is not None and now - v.alt[0] > eng.conflict_window_s:
        conflict = book.get("mmsi_conflict", v.mmsi)
        if conflict is not None:
            book.close(out, conflict, v.alt[0], "second track silent")
        v.alt = None
        v.main_hits = v.alt_hits = 0
    teleport = book.get("teleport", v.mmsi)
    if teleport is not None:
        last = teleport.context.get("last_jump_epoch", teleport.start_t)
        if now - last > s.teleport_quiet_hours * 3600:
            book.close(out, teleport, last, "no further jumps")
    if v.last_t is None or now - v.last_t < eng.gap_s or v.gap_judged_t == v.last_t:
        return
    v.gap_judged_t = v.last_t
    _open_gap(eng, v, now, out)


# A gap is judged once, when the silence reaches gap_hours, in this order (first match wins):
#   not reporting regularly before           -> nothing: silence says nothing (GFW gaps)
#   in a port or at an anchorage             -> in_port: a port gap, not going dark (GFW port
#                                               visits: a silence during a visit is its PORT_GAP,
#                                               moving or not)
#   nobody else heard around it since        -> coverage_hole
#   its neighbours went silent with it       -> coverage_drop (a receiver or feed outage:
#                                               several of them, not one)
#   under way into water nobody is heard in  -> left_coverage
#   otherwise                                -> going_dark: the `gap` alert
# Only going_dark raises an alert; the others are kept in ``eng.silences`` as context.
_HEARD_AFTER_S = 1800.0  # "heard since": from 30 min into the silence (a late position or two)
_NEIGHBOUR_BEFORE_S = 7200.0  # neighbours: heard around it in the 2 h before it went silent
_MOTION_BASE_S = 600.0  # motion before the silence: over at least the last 10 minutes
_LINE_STEP_M = 5000.0  # the dead-reckoned line is looked up every 5 km (cells are ~11 km)
_SILENCES_KEPT = 16  # silence records per vessel


def _open_gap(eng: EngineState, v: Vessel, now: float, out: list[AlertEvent]) -> None:
    s = eng.settings
    t0 = v.last_t
    positions = v.positions_before()
    if positions < s.gap_min_prior_positions:
        return  # not reporting regularly: silence says nothing (GFW gaps)
    for alert in (eng.book.get("loitering", v.mmsi),):
        if alert is not None:
            eng.book.close(out, alert, t0, "vessel went silent")
    window = s.gap_prior_hours * 3600
    prior = [f for f in v.recent if f[0] >= t0 - window]
    rate = v.rate_per_hour(t0, window)
    heard, neighbours, again = _reception(eng, v)
    motion = _recent_motion(v)
    knots = motion[0] if motion is not None else 0.0
    context = {"positions_before": positions, "positions_per_hour_before": round(rate, 2),
               "others_heard_nearby": heard, "neighbours_before": neighbours,
               "neighbours_heard_again": again, "knots": round(knots, 1)}
    if v.in_port:
        likely = "in_port"
    elif not heard:
        likely = "coverage_hole"
    elif neighbours >= s.gap_min_neighbours and again < s.gap_min_neighbours_heard * neighbours \
            and neighbours - again >= s.gap_min_neighbours_silent:
        likely = "coverage_drop"
    elif _left_coverage(eng, v, now, motion):
        likely = "left_coverage"
    else:
        likely = "going_dark"
    context["likely"] = likely
    if likely != "going_dark":
        record = {"start_t": t0, "end_t": None, "lat": v.lat, "lon": v.lon, **context}
        v.silence = record
        kept = eng.silences.setdefault(v.mmsi, [])
        kept.append(record)
        if len(kept) > _SILENCES_KEPT:
            del kept[0]
        eng.stats[f"gap_{likely}"] += 1
        return
    shore_m = eng.shore_m(v, v.lat, v.lon, cap=2 * s.gap_far_offshore_nm * M_PER_NM)
    context["shore_distance_km"] = round(shore_m / 1000, 1)
    # With fewer neighbours than needed the reception is known only from others heard nearby.
    severity = "high" if neighbours >= s.gap_min_neighbours else "medium"
    v.gap_open = True
    eng.stats["gap_going_dark"] += 1
    eng.book.raise_(
        out, "gap", v.mmsi, now, v.lat, v.lon, severity,
        {"gap_hours": s.gap_hours, "gap_min_prior_positions": s.gap_min_prior_positions,
         "gap_prior_hours": s.gap_prior_hours, "gap_min_neighbours": s.gap_min_neighbours,
         "gap_min_neighbours_heard": s.gap_min_neighbours_heard,
         "gap_min_neighbours_silent": s.gap_min_neighbours_silent},
        start_t=t0, evidence=[fix(*f) for f in prior[-4:]], context=context)


def _reception(eng: EngineState, v: Vessel) -> tuple[int, int, int]:
    """Around the silent vessel (3x3 reception cells): how many others were heard during the
    silence; of those heard there shortly before it went silent, how many were heard again
    since (anywhere) and how many fell silent there too. A neighbour last heard somewhere else
    (it sailed on, maybe out of coverage itself) says nothing about reception here."""
    t0 = v.last_t
    after = t0 + _HEARD_AFTER_S
    before = t0 - _NEIGHBOUR_BEFORE_S
    r, c = floor(v.lat * RX_CELL), floor(v.lon * RX_CELL)
    during: set[int] = set()
    around: set[int] = set()
    rx = eng.rx
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            heard = rx.get((r + dr, c + dc))
            if not heard:
                continue
            for mmsi, (first, last) in heard.items():
                if last >= after:
                    during.add(mmsi)
                if first <= t0 and last >= before:
                    around.add(mmsi)
    during.discard(v.mmsi)
    around.discard(v.mmsi)
    vessels = eng.vessels
    again = silent = 0
    for mmsi in around:
        o = vessels.get(mmsi)
        if o is None:
            continue
        if o.last_t >= after:
            again += 1
        elif abs(floor(o.lat * RX_CELL) - r) <= 1 and abs(floor(o.lon * RX_CELL) - c) <= 1:
            silent += 1
    return len(during), again + silent, again


def _recent_motion(v: Vessel) -> tuple[float, float, float] | None:
    """(knots, dlat, dlon per second) from the latest recent fix at least 10 minutes before the
    last one (or the oldest kept): long enough that GPS jitter is not mistaken for motion."""
    t1 = v.last_t
    base = None
    for f in reversed(v.recent):
        if f[0] < t1:
            base = f
            if t1 - f[0] >= _MOTION_BASE_S:
                break
    if base is None:
        return None
    dt = t1 - base[0]
    knots = fast_m(base[1], base[2], v.lat, v.lon) / dt / KNOT_MS
    return knots, (v.lat - base[1]) / dt, (v.lon - base[2]) / dt


def _left_coverage(eng: EngineState, v: Vessel, now: float,
                   motion: tuple[float, float, float] | None) -> bool:
    """Was it under way toward open water where nobody has been heard for a day?

    A ship that sails out of the receivers' reach goes silent without going dark. The line it
    was on is looked up in the reception grid every few kilometres: it left coverage if, within
    the distance it could cover soon, it reaches water where nobody was heard and nobody is
    heard anywhere further along that line either (a patch of water that ships merely do not
    cross, inside coverage, is not an edge). Positions on land (a canal bend, a headland) say
    nothing and are skipped.
    """
    s = eng.settings
    if motion is None or motion[0] < s.gap_left_min_knots:
        return False
    knots, vlat, vlon = motion
    speed = knots * KNOT_MS  # metres per second
    near = min(s.gap_left_within_hours * 3600.0 * speed, s.gap_left_look_km * 1000.0)
    dlat, dlon = vlat / speed, vlon / speed  # degrees per metre along the line
    seen = eng.rx_seen
    since = now - 24 * 3600.0
    land = eng.land
    unheard = 0  # water where nobody was heard, from the first such point on
    for k in range(1, int(s.gap_left_look_km * 1000.0 / _LINE_STEP_M) + 1):
        d = k * _LINE_STEP_M
        lat = v.lat + dlat * d
        lon = (v.lon + dlon * d + 180.0) % 360.0 - 180.0
        if not -90.0 < lat < 90.0:
            break
        if land is not None and land.is_land(lat, lon):
            continue
        if seen.get((floor(lat * RX_CELL), floor(lon * RX_CELL)), since - 1) >= since:
            unheard = 0  # heard here: what came before was a gap in the traffic, not the edge
        elif unheard or d <= near:
            unheard += 1
    return unheard >= 2  # open water to the end, not one unheard point before the line runs ashore


def gap_on_fix(eng: EngineState, v: Vessel, t: float, lat: float, lon: float,
               speed: float | None, out: list[AlertEvent]) -> None:
    """A fix from a vessel with an open gap: the gap ends, or was never one (late data)."""
    silence = v.silence
    if silence is not None:
        v.silence = None
        silence["end_t"] = t
    alert = eng.book.get("gap", v.mmsi)
    v.gap_open = False
    if alert is None:
        return
    if t - alert.start_t < eng.gap_s:
        eng.book.retract(out, alert, f"a fix at {fix(t, lat, lon)['time']} arrived late: the "
                         f"silence was only {(t - alert.start_t) / 3600:.1f} h")
        return
    alert.add_evidence(fix(t, lat, lon, speed, reappeared=True))
    alert.context["moved_km"] = round(fast_m(alert.lat, alert.lon, lat, lon) / 1000, 1)
    eng.book.close(out, alert, t, "vessel reappeared")


def gap_late_fix(eng: EngineState, v: Vessel, t: float, lat: float, lon: float,
                 out: list[AlertEvent]) -> None:
    """A fix older than the vessel's last one: does it fill a gap reported earlier?"""
    for alert in eng.book.recent(v.mmsi, "gap"):
        if alert.status == "retracted" or not alert.start_t < t < (alert.end_t or eng.now):
            continue
        before = t - alert.start_t
        after = (alert.end_t or eng.now) - t
        if before < eng.gap_s and after < eng.gap_s:
            eng.book.retract(out, alert, f"a late fix at {fix(t, lat, lon)['time']} fills the "
                             f"gap: silences of {before / 3600:.1f} h and {after / 3600:.1f} h")
        else:
            alert.add_evidence(fix(t, lat, lon, None, late=True))
            alert.context["late_fixes"] = alert.context.get("late_fixes", 0) + 1
            eng.book.update(out, alert, "late fix inside the gap")
