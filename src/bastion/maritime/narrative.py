"""An alert told as a few sentences an officer reads: what, where, when, which thresholds and
which positions, in the reader's language and time zone.

The engine stores facts (``thresholds``, ``context``, ``evidence``: numbers, codes, ISO times);
``reasons`` turns each into a labelled value for the raw tables, and this module writes the
story from the same facts at display time, so a stored alert never holds a sentence in one
language. A kind without a story of its own (a detector added later) still gets the generic
sentence; a fact an older alert lacks shows as "?", never as "None".
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bastion.core.i18n import gettext as _
from bastion.core.i18n import local_time
from bastion.core.labels import term
from bastion.maritime import reasons


def where(lat: float | None, lon: float | None) -> str:
    """A position with its hemispheres, in the reader's language (北纬 21.5123°, 东经 ...)."""
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return _("an unknown position")
    ns = _("{deg}° N") if lat >= 0 else _("{deg}° S")
    ew = _("{deg}° E") if lon >= 0 else _("{deg}° W")
    return _("{lat}, {lon}").format(lat=ns.format(deg=f"{abs(lat):.4f}"),
                                    lon=ew.format(deg=f"{abs(lon):.4f}"))


def _at(value: datetime | str | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        value = datetime.fromtimestamp(float(value), UTC)
    elif isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return local_time(value, "yyyy-MM-dd HH:mm")


def _n(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _hours(alert: Any) -> float | None:
    hours = (alert.context or {}).get("hours")
    if isinstance(hours, int | float):
        return hours
    if alert.start is not None and alert.end is not None:
        return round((alert.end - alert.start).total_seconds() / 3600, 1)
    return None


def narrate(alert: Any) -> list[str]:
    """The alert as sentences (first: what, where and when; then the thresholds; then the
    evidence), for the alert page and its notifications."""
    story = _STORIES.get(alert.kind, _generic)
    sentences = [s for s in story(alert, alert.thresholds or {}, alert.context or {}) if s]
    count = len(alert.evidence or [])
    if count:
        times = [t for t in (_first_time(alert.evidence), _last_time(alert.evidence)) if t]
        span = _(" from {first} to {last}").format(first=times[0], last=times[-1]) \
            if len(times) == 2 and times[0] != times[-1] else ""
        sentences.append(_("Evidence: {n} position report(s){span}, drawn on the map with the "
                           "vessel's track.").format(n=count, span=span))
    return sentences


def _first_time(evidence: list[dict]) -> str:
    return next((_at(e["time"]) for e in evidence if isinstance(e, dict) and e.get("time")), "")


def _last_time(evidence: list[dict]) -> str:
    return next((_at(e["time"]) for e in reversed(evidence)
                 if isinstance(e, dict) and e.get("time")), "")


def _when_end(alert: Any) -> str:
    return _at(alert.end) if alert.end is not None else _("still going on")


def _generic(alert, th, ctx) -> list[str]:
    return [_("{kind} for vessel {mmsi} from {start} at {where}.").format(
        kind=term(alert.kind, "alert_kind"), mmsi=alert.mmsi, start=_at(alert.start),
        where=where(alert.lat, alert.lon))]


def _gap(alert, th, ctx) -> list[str]:
    out = [_("Vessel {mmsi} stopped transmitting at {start} at {where} and stayed silent for "
             "more than {hours} h.").format(mmsi=alert.mmsi, start=_at(alert.start),
                                            where=where(alert.lat, alert.lon),
                                            hours=_n(th.get("gap_hours", "?")))]
    if "positions_before" in ctx:
        out.append(_("Before that it sent {n} positions in {window} h ({rate} an hour): it was "
                     "reporting regularly.").format(
            n=ctx["positions_before"], window=_n(th.get("gap_prior_hours", "?")),
            rate=_n(ctx.get("positions_per_hour_before", "?"))))
    if "others_heard_nearby" in ctx:
        out.append(_("Meanwhile {heard} other vessel(s) were heard around it; of {before} "
                     "nearby before, {again} were heard again, so reception there did not "
                     "fail.").format(heard=ctx["others_heard_nearby"],
                                     before=ctx.get("neighbours_before", 0),
                                     again=ctx.get("neighbours_heard_again", 0)))
    if alert.end is not None:
        moved = ctx.get("moved_km")
        out.append(_("It was heard again at {end}.").format(end=_at(alert.end)) if moved is None
                   else _("It was heard again at {end}, {km} km away.").format(
                       end=_at(alert.end), km=_n(moved)))
    return out


def _encounter(alert, th, ctx) -> list[str]:
    out = [_("Vessels {mmsi} and {other} stayed within {distance} m of each other from {start} "
             "to {end} ({hours} h) near {where}, at a median speed of {knots} kn.").format(
        mmsi=alert.mmsi, other=alert.other_mmsi, distance=_n(th.get("encounter_distance_m", "?")),
        start=_at(alert.start), end=_when_end(alert), hours=_n(_hours(alert) or "?"),
        where=where(alert.lat, alert.lon), knots=_n(ctx.get("median_knots", "?")))]
    if "encounter_hours" in th:
        out.append(_("An encounter is at least {hours} h within {distance} m at a median speed "
                     "under {knots} kn, at least {km} km from any port or anchorage (Global "
                     "Fishing Watch's definition).").format(
            hours=_n(th["encounter_hours"]), distance=_n(th.get("encounter_distance_m", "?")),
            knots=_n(th.get("encounter_max_median_knots", "?")),
            km=_n(th.get("encounter_min_port_distance_m", 0) / 1000)))
    return out


def _loitering(alert, th, ctx) -> list[str]:
    return [_("Vessel {mmsi} moved at an average {knots} kn from {start} to {end} near {where}, "
              "{shore} nm from shore.").format(
        mmsi=alert.mmsi, knots=_n(ctx.get("mean_knots", "?")), start=_at(alert.start),
        end=_when_end(alert), where=where(alert.lat, alert.lon),
        shore=_n(ctx.get("shore_distance_nm", "?"))),
        _("Loitering is an average speed under {knots} kn for at least {hours} h, at least "
          "{shore} nm from shore.").format(knots=_n(th.get("loitering_max_knots", "?")),
                                           hours=_n(th.get("loitering_hours", "?")),
                                           shore=_n(th.get("loitering_min_shore_nm", "?")))]


def _teleport(alert, th, ctx) -> list[str]:
    jump = next((e for e in (alert.evidence or []) if isinstance(e, dict) and "jump_m" in e), {})
    out = [_("At {start} vessel {mmsi} reported a position at {where}, {km} km from its "
             "previous one, which would need {knots} kn.").format(
        start=_at(alert.start), mmsi=alert.mmsi, where=where(alert.lat, alert.lon),
        km=_n(round(jump.get("jump_m", ctx.get("max_jump_m", 0)) / 1000, 1)),
        knots=_n(jump.get("implied_knots", "?")))]
    out.append(_("{n} jump(s) in all, the longest {km} km; no vessel is taken to sail faster "
                 "than {max} kn.").format(n=ctx.get("jumps", 1),
                                          km=_n(round(ctx.get("max_jump_m", 0) / 1000, 1)),
                                          max=_n(th.get("teleport_max_knots", "?"))))
    return out


def _mmsi_conflict(alert, th, ctx) -> list[str]:
    item = next((e for e in (alert.evidence or []) if isinstance(e, dict)
                 and isinstance(e.get("other_track"), dict)), None)
    out = [_("From {start} two transmitters use MMSI {mmsi}: two tracks are heard at once, each "
             "with at least {n} positions that fit only its own track.").format(
        start=_at(alert.start), mmsi=alert.mmsi, n=th.get("conflict_min_fixes", "?"))]
    if item is not None:
        from bastion.core.geo import fast_m

        other = item["other_track"]
        out.append(_("At {time} one was at {a} and the other at {b}, {km} km apart.").format(
            time=_at(item.get("time")), a=where(item.get("lat"), item.get("lon")),
            b=where(other.get("lat"), other.get("lon")),
            km=_n(round(fast_m(item["lat"], item["lon"], other["lat"], other["lon"]) / 1000,
                        1))))
    return out


def _invalid_identity(alert, th, ctx) -> list[str]:
    problem = dict(reasons.facts({"problem": ctx.get("problem", "")})).popitem()[1] \
        if ctx.get("problem") else ""
    return [_("Vessel {mmsi} transmits an identity that cannot be right: {problem} (checked "
              "against {standard}).").format(mmsi=alert.mmsi, problem=problem,
                                             standard=th.get("standard", "?"))]


def _identity_change(alert, th, ctx) -> list[str]:
    changes = "; ".join(row["change"] for row in reasons.evidence(alert.evidence) if row["change"])
    return [_("Vessel {mmsi} changed its broadcast identity {n} time(s) from {start}: "
              "{changes}.").format(mmsi=alert.mmsi, n=ctx.get("changes", 1),
                                   start=_at(alert.start), changes=changes or "?")]


def _zone_entry(alert, th, ctx) -> list[str]:
    zone = ctx.get("zone") if isinstance(ctx.get("zone"), dict) else {}
    name = zone.get("name") or zone.get("id") or "?"
    kind = dict(reasons.facts({"zone_entry_kinds": [zone.get("kind", "")]})).popitem()[1]
    out = [_("Vessel {mmsi} entered {zone} ({kind}) at {start} at {where}.").format(
        mmsi=alert.mmsi, zone=name, kind=kind, start=_at(alert.start),
        where=where(alert.lat, alert.lon))]
    if alert.end is not None:
        out.append(_("It left at {end}.").format(end=_at(alert.end)))
    return out


def _shore_approach(alert, th, ctx) -> list[str]:
    came = next((e for e in (alert.evidence or []) if isinstance(e, dict)), {})
    night = th.get("night") or ["?", "?"]
    return [_("At {start}, at night, vessel {mmsi} slowed to under {knots} kn {distance} m from "
              "shore at {where}.").format(
        start=_at(alert.start), mmsi=alert.mmsi, knots=_n(th.get("shore_approach_max_knots", "?")),
        distance=_n(ctx.get("shore_distance_m", "?")), where=where(alert.lat, alert.lon)),
        _("It had come in from more than {km} km offshore (at {came}, at {place}); night is "
          "{start_h}:00 to {end_h}:00 local time.").format(
            km=_n(th.get("shore_approach_from_m", 0) / 1000), came=_at(came.get("time")),
            place=where(came.get("lat"), came.get("lon")), start_h=night[0], end_h=night[1])]


def _on_land(alert, th, ctx) -> list[str]:
    return [_("At {start} vessel {mmsi}, seen at sea before, reported a position {km} km inland "
              "at {where}; positions less than {min} m inland are not counted, for the coastline's "
              "accuracy.").format(start=_at(alert.start), mmsi=alert.mmsi,
                                  km=_n(ctx.get("inland_km", "?")),
                                  where=where(alert.lat, alert.lon),
                                  min=_n(th.get("on_land_min_inland_m", "?")))]


def _dark_rendezvous(alert, th, ctx) -> list[str]:
    out = [_("Vessels {mmsi} and {other}, {distance} m apart after {alongside} h alongside at a "
             "median {knots} kn, both fell silent at {start} near {where}.").format(
        mmsi=alert.mmsi, other=alert.other_mmsi, distance=_n(ctx.get("distance_m", "?")),
        alongside=_n(ctx.get("alongside_hours", "?")), knots=_n(ctx.get("median_knots", "?")),
        start=_at(alert.start), where=where(alert.lat, alert.lon))]
    if "others_heard_nearby" in ctx:
        out.append(_("Their silences began {minutes} min apart, while {heard} other vessel(s) "
                     "were still heard around them: the pair went quiet, not the reception."
                     ).format(minutes=_n(ctx.get("silent_apart_minutes", "?")),
                              heard=ctx["others_heard_nearby"]))
    if alert.end is not None:
        out.append(_("One of them was heard again at {end}.").format(end=_at(alert.end)))
    return out


def _encounter_short(alert, th, ctx) -> list[str]:
    return [_("Vessels {mmsi} and {other} have been within {distance} m of each other since "
              "{start} ({hours} h) near {where}, in the station's own waters, at a median "
              "{knots} kn.").format(
        mmsi=alert.mmsi, other=alert.other_mmsi, distance=_n(th.get("encounter_distance_m", "?")),
        start=_at(alert.start), hours=_n(_hours(alert) or "?"),
        where=where(alert.lat, alert.lon), knots=_n(ctx.get("median_knots", "?"))),
        _("An early warning: alongside for {minutes} min away from any anchorage; it becomes "
          "an encounter at {hours} h.").format(
            minutes=_n(th.get("encounter_short_minutes", "?")),
            hours=_n(th.get("encounter_hours", "?")))]


_STORIES = {"dark_rendezvous": _dark_rendezvous, "encounter_short": _encounter_short,
            "gap": _gap, "encounter": _encounter, "loitering": _loitering,
            "teleport": _teleport, "mmsi_conflict": _mmsi_conflict,
            "invalid_identity": _invalid_identity, "identity_change": _identity_change,
            "zone_entry": _zone_entry, "shore_approach": _shore_approach, "on_land": _on_land}
