"""Movement detectors: teleport, mmsi_conflict and gap.

Teleport and MMSI conflict share one model, after GFW's segmenter (a new track segment starts
when the implied speed from the previous fix is implausible): a vessel keeps a main track head
and, after a jump, the old head as an alternative. Fixes that continue the alternative are a
second transmitter; when both tracks keep reporting (``conflict_min_fixes`` each) the MMSI is
shared (GFW's spoofing list test: segments that overlap in time) and the teleports it caused are
retracted. A single outlier just loses: the track with more fixes stays main.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bastion.maritime.risk.alerts import AlertEvent, fix
from bastion.maritime.zones.geo import KNOT_MS, M_PER_NM, fast_m

if TYPE_CHECKING:
    from bastion.maritime.risk.engine import RiskEngine
    from bastion.maritime.risk.vessel import Vessel


def _plausible(eng: RiskEngine, t0: float, lat0: float, lon0: float, t: float, lat: float,
               lon: float) -> tuple[bool, float, float]:
    d = fast_m(lat0, lon0, lat, lon)
    dt = t - t0
    if d <= eng.settings.teleport_min_distance_m:
        return True, d, dt
    return dt > 0 and d / dt <= eng.max_ms, d, dt


def check_track(eng: RiskEngine, v: Vessel, t: float, lat: float, lon: float,
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
        _maybe_conflict(eng, v, t, lat, lon, out)
        return False
    # A jump neither track explains.
    s = eng.settings
    knots = float("inf") if dt <= 0 else d / dt / KNOT_MS
    book = eng.book
    thresholds = {"teleport_max_knots": s.teleport_max_knots,
                  "teleport_min_distance_m": s.teleport_min_distance_m}
    alert = book.get("teleport", v.mmsi)
    item = fix(t, lat, lon, speed, jump_m=round(d), implied_knots=round(min(knots, 1e6), 1))
    if alert is None and book.get("mmsi_conflict", v.mmsi) is None:
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


def _maybe_conflict(eng: RiskEngine, v: Vessel, t: float, lat: float, lon: float,
                    out: list[AlertEvent]) -> None:
    need = eng.settings.conflict_min_fixes
    if v.main_hits < need or v.alt_hits < need or v.alt is None:
        return
    book = eng.book
    alert = book.get("mmsi_conflict", v.mmsi)
    item = fix(t, lat, lon, None, other_track=fix(*v.alt))
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


def sweep_motion(eng: RiskEngine, v: Vessel, now: float, out: list[AlertEvent]) -> None:
    """Tick work per vessel: close quiet teleports, let a lapsed second track go, open gaps."""
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


def _open_gap(eng: RiskEngine, v: Vessel, now: float, out: list[AlertEvent]) -> None:
    s = eng.settings
    window = s.gap_prior_hours * 3600
    prior = [f for f in v.recent if f[0] >= v.last_t - window]
    rate = v.rate_per_hour(v.last_t, window)
    if len(prior) < s.gap_min_prior_fixes or rate < s.gap_min_positions_per_hour:
        return  # not reporting regularly: silence says nothing (GFW gaps)
    shore_m = eng.shore_m(v, v.lat, v.lon, cap=2 * s.gap_far_offshore_nm * M_PER_NM)
    heard = eng.heard_near(v.lat, v.lon, after=v.last_t + 1800, mmsi=v.mmsi)
    far = shore_m >= s.gap_far_offshore_nm * M_PER_NM
    ahead = _dead_reckoned(v, 3600.0)
    left = ahead is not None and not eng.heard_near(*ahead, after=v.last_t, mmsi=v.mmsi)
    if not heard:
        likely, severity = "coverage_hole", "low"
    elif left:
        likely, severity = "left_coverage", "low"
    elif far:
        likely, severity = "unknown", "medium"
    else:
        likely, severity = "going_dark", "high"
    for alert in (eng.book.get("loitering", v.mmsi),):
        if alert is not None:
            eng.book.close(out, alert, v.last_t, "vessel went silent")
    v.gap_open = True
    eng.book.raise_(
        out, "gap", v.mmsi, now, v.lat, v.lon, severity,
        {"gap_hours": s.gap_hours, "gap_min_positions_per_hour": s.gap_min_positions_per_hour},
        start_t=v.last_t, evidence=[fix(*f) for f in prior[-4:]],
        context={"likely": likely, "shore_distance_km": round(shore_m / 1000, 1), "positions_per_hour_before": round(rate, 2),
                 "others_heard_nearby": heard})


def _dead_reckoned(v: Vessel, seconds: float) -> tuple[float, float] | None:
    """Where a vessel under way would be ``seconds`` after its last fix (None if it was slow).

    A ship that sails out of the receivers' reach goes silent without going dark: if nobody is
    heard where it was heading, the gap is more likely the edge of coverage.
    """
    fixes = [f for f in v.recent if f[0] < v.last_t]
    if not fixes:
        return None
    t0, lat0, lon0, _ = fixes[-1]
    dt = v.last_t - t0
    if dt <= 0 or fast_m(lat0, lon0, v.lat, v.lon) / dt < 3 * KNOT_MS:
        return None
    k = seconds / dt
    return v.lat + (v.lat - lat0) * k, v.lon + (v.lon - lon0) * k


def gap_on_fix(eng: RiskEngine, v: Vessel, t: float, lat: float, lon: float,
               speed: float | None, out: list[AlertEvent]) -> None:
    """A fix from a vessel with an open gap: the gap ends, or was never one (late data)."""
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


def gap_late_fix(eng: RiskEngine, v: Vessel, t: float, lat: float, lon: float,
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
