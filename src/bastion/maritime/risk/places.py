"""Where-the-vessel-is detectors: zone_entry, on_land, shore_approach, loitering.

"On land" means on the land mask, farther inland than its accuracy (``on_land_min_inland_m``),
outside known ports and anchorages (``v.in_port``) and outside water learned from traffic
(``maritime/places``: Natural Earth has no canals or harbour basins). Loitering and shore
approaches are not raised at a known port or learned anchorage either.

Distance to shore is the costly question (a nearest-coastline search), so the engine caches it
per vessel and reuses it while the vessel has moved less than the margin that could change the
answer (distance to shore changes by at most the distance moved).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bastion.core.geo import M_PER_NM, fast_m
from bastion.maritime.risk.alerts import AlertEvent, fix
from bastion.maritime.zones.zoneset import PORT_KINDS

if TYPE_CHECKING:
    from bastion.maritime.risk.context import EngineState
    from bastion.maritime.risk.vessel import Vessel

LAND_REUSE = 0.005  # degrees (~500 m, a quarter of on_land_min_inland_m): reuse the land answer
_ZONE_SEVERITY = {"restricted": "high", "controlled_coast": "medium", "port": "low",
                  "anchorage": "low"}


def zones_on_fix(eng: EngineState, v: Vessel, t: float, lat: float, lon: float,
                 speed: float | None, out: list[AlertEvent]) -> None:
    found = eng.zones.at(lat, lon)
    ids = tuple(z.id for z in found)
    v.zone_port = any(z.kind in PORT_KINDS for z in found)
    v.in_port = v.zone_port or (v.place_at is not None and v.place_at[2])
    if ids == v.zones:
        return
    book = eng.book
    kinds = eng.zone_kinds
    for zone in found:
        if zone.id not in v.zones and zone.kind in kinds:
            book.raise_(out, "zone_entry", v.mmsi, t, lat, lon, _ZONE_SEVERITY[zone.kind],
                        {"zone_entry_kinds": sorted(kinds)}, zone=zone.id,
                        evidence=[fix(*f) for f in v.recent[-1:]] +
                        [fix(t, lat, lon, speed)],
                        context={"zone": zone.to_dict(), "first_fix_inside": not v.ring})
    for zone_id in v.zones:
        if zone_id not in ids:
            alert = book.get("zone_entry", v.mmsi, zone=zone_id)
            if alert is not None:
                alert.add_evidence(fix(t, lat, lon, speed, left=True))
                book.close(out, alert, t, "left the zone")
    v.zones = ids


def _land(eng: EngineState, lat: float, lon: float) -> tuple[bool, bool]:
    """(on land for the detector, on the land mask). Learned water (many vessels crossed it at
    speed) is not land for the detector; but only the mask's sea makes a vessel "seen at sea":
    a canal ship first seen in the canal stays "never seen at sea" wherever the water learned
    so far stops (a stretch nobody crossed in the history is no reason to alarm)."""
    if not eng.land.is_land(lat, lon):
        return False, False
    return eng.places is None or not eng.places.is_water(lat, lon), True


def land_on_fix(eng: EngineState, v: Vessel, t: float, lat: float, lon: float,
                speed: float | None, out: list[AlertEvent]) -> None:
    book = eng.book
    cached = v.land_at
    if cached is not None and cached[2] is None and not eng.land.is_land(cached[0], cached[1]):
        v.seen_sea = True  # the first position, never tested until the vessel moved, was at sea
    if cached is not None and cached[2] is not None and abs(cached[0] - lat) < LAND_REUSE and \
            abs(cached[1] - lon) < LAND_REUSE:
        on_land, mask_land = cached[2], cached[3]
    else:
        on_land, mask_land = _land(eng, lat, lon)
        v.land_at = (lat, lon, on_land, mask_land)
    if not on_land or v.in_port:
        if not mask_land and not v.in_port:
            v.seen_sea = True
        # Learned water or a known port on the mask's land does not end an open alert: a
        # canal stretch the history lacks between two it has is one excursion, not several.
        if v.on_land_open and (not mask_land or v.zone_port):
            v.on_land_open = False
            alert = book.get("on_land", v.mmsi)
            if alert is not None:
                book.close(out, alert, t, "back at sea")
        return
    if not v.seen_sea:
        return  # never seen at sea: a river or lake the land mask lacks, not a spoofed fix
    alert = book.get("on_land", v.mmsi)
    if alert is not None:
        if len(alert.evidence) < alert.evidence_max:
            alert.add_evidence(fix(t, lat, lon, speed))
        return
    need = eng.settings.on_land_min_inland_m
    inland = eng.shore_m(v, lat, lon, cap=2 * need)
    if inland < need:
        return
    known = eng.places
    if known is not None and known.anchorage_m(lat, lon, cap=known.near_m) <= known.near_m:
        return  # by a port's basins and quays, where a 1:10m coast is least right
    v.on_land_open = True
    book.raise_(out, "on_land", v.mmsi, t, lat, lon, "medium",
                {"on_land_min_inland_m": need},
                evidence=[fix(*f) for f in v.recent[-2:]] + [fix(t, lat, lon, speed)],
                context={"inland_km": round(inland / 1000, 1)})


def is_night(eng: EngineState, t: float, lon: float) -> bool:
    s = eng.settings
    offset = s.night_utc_offset_hours if s.night_utc_offset_hours is not None else lon / 15.0
    # UTC hour and minute of the day by arithmetic (as datetime's .hour + .minute / 60): this
    # runs on the first slow fix of every vessel.
    hour = ((t % 86400.0) // 60.0 / 60.0 + offset) % 24
    if s.night_start_hour > s.night_end_hour:
        return hour >= s.night_start_hour or hour < s.night_end_hour
    return s.night_start_hour <= hour < s.night_end_hour


def shore_on_fix(eng: EngineState, v: Vessel, t: float, lat: float, lon: float,
                 speed: float | None, out: list[AlertEvent]) -> None:
    """A slow night stop near shore, outside ports, by a vessel that came in from offshore.

    Each stop is judged once (``v.far_t`` holds the judgement): boats moored all night near a
    quay are checked on their first slow night fix and then cost nothing.
    """
    if not is_night(eng, t, lon):
        v.far_t = -t  # negative: seen by day, look again in a while (it may stay into the night)
        return
    v.far_t = t
    if not v.crumbs:
        return  # first sight of it: it came from nowhere we know of
    s = eng.settings
    lookback = s.shore_approach_lookback_hours * 3600
    crumbs = [c for c in v.crumbs if t - c[0] <= lookback]
    # Distance to shore changes by at most the distance moved: a vessel that has stayed within
    # (from - distance) of here cannot have come in from ``from`` metres out. This settles
    # almost every moored or anchored vessel without a coastline search.
    reach = s.shore_approach_from_m - s.shore_approach_distance_m
    if all(fast_m(c[1], c[2], lat, lon) < reach for c in crumbs):
        return
    if eng.land.is_land(lat, lon):
        return
    distance = eng.shore_m(v, lat, lon, cap=2 * s.shore_approach_from_m)
    if distance > s.shore_approach_distance_m:
        return
    came = None
    for crumb in crumbs:
        if eng.land.shore_distance_m(crumb[1], crumb[2], s.shore_approach_from_m) \
                >= s.shore_approach_from_m:
            came = crumb
            break
    if came is None:
        return
    eng.book.instant(out, "shore_approach", v.mmsi, t, lat, lon, "high",
                     {"shore_approach_max_knots": s.shore_approach_max_knots,
                      "shore_approach_distance_m": s.shore_approach_distance_m,
                      "shore_approach_from_m": s.shore_approach_from_m,
                      "night": [s.night_start_hour, s.night_end_hour]},
                     evidence=[fix(*came[:3]), *(fix(*f) for f in v.recent[-3:]),
                               fix(t, lat, lon, speed)],
                     context={"shore_distance_m": round(distance)})


def loiter_on_fix(eng: EngineState, v: Vessel, t: float, lat: float, lon: float,
                  speed: float | None, out: list[AlertEvent]) -> None:
    """Time-weighted mean speed of the current slow run (GFW loitering: < 2 kn for >= 4 h)."""
    s = eng.settings
    book = eng.book
    dt = t - v.last_t
    if dt <= 0:
        return
    if dt >= eng.gap_s:  # a silence is not loitering
        v.loiter_t = None
    limit = s.loitering_max_knots
    if v.loiter_t is None:
        if speed < limit:
            v.loiter_t, v.loiter_sum, v.loiter_dt = t, 0.0, 0.0
            v.loiter_fix = (t, lat, lon, speed)
        return
    total = v.loiter_sum + speed * dt
    if speed >= limit and total / (v.loiter_dt + dt) >= limit:
        alert = book.get("loitering", v.mmsi)
        if alert is not None:
            alert.add_evidence(fix(t, lat, lon, speed, left=True))
            book.close(out, alert, v.last_t, "under way again")
        v.loiter_t = None
        return
    v.loiter_sum, v.loiter_dt = total, v.loiter_dt + dt
    if t - v.loiter_t < s.loitering_hours * 3600 or v.in_port:
        return
    if v.ship_type in eng.loiter_exempt or book.get("loitering", v.mmsi) is not None:
        return
    if eng.land is not None and eng.land.is_land(lat, lon):
        return  # a distance "from shore" on land is inland, not offshore
    shore = eng.shore_m(v, lat, lon, cap=2 * s.loitering_min_shore_nm * M_PER_NM)
    if shore < s.loitering_min_shore_nm * M_PER_NM:
        return
    book.raise_(out, "loitering", v.mmsi, t, lat, lon, "medium",
                {"loitering_max_knots": limit, "loitering_hours": s.loitering_hours,
                 "loitering_min_shore_nm": s.loitering_min_shore_nm},
                start_t=v.loiter_t, evidence=[fix(*v.loiter_fix), fix(t, lat, lon, speed)],
                context={"mean_knots": round(v.loiter_sum / max(v.loiter_dt, 1.0), 2),
                         "shore_distance_nm": round(shore / M_PER_NM, 1)})
