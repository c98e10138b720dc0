"""Risk factors, alert thresholds and alert context in the reader's language and time zone.

The engine stores facts (numbers, codes, epoch seconds: ``Factor.params``, an alert's
``thresholds`` and ``context``); these functions write them for a person at display time, so a
reason reads in Chinese with Beijing times for one officer and in English with Hanoi times for
another, and a stored row never holds a sentence in one language.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy, local_time
from bastion.core.labels import term
from bastion.core.reference.countries import country_name

SHIP_TYPE_CATEGORY = {
    "unknown": lazy("not reported or unknown"), "fishing": lazy("fishing"),
    "pleasure": lazy("pleasure craft"), "high_speed": lazy("high-speed craft"),
    "cargo": lazy("cargo"), "tanker": lazy("tanker"), "passenger": lazy("passenger"),
    "other": lazy("other"),
}


def _when(epoch: float | None) -> str:
    if epoch is None:
        return ""
    return local_time(datetime.fromtimestamp(float(epoch), UTC))


def factor_name(factor: dict[str, Any]) -> str:
    """What the factor is: an alert kind, a ship type category or a named factor."""
    kind, _sep, rest = str(factor.get("name", "")).partition(":")
    if kind == "alert":
        return _("Alerts") + ": " + term(rest, "alert_kind")
    if kind == "ship_type":
        text = SHIP_TYPE_CATEGORY.get(rest)
        return _("Ship type") + ": " + (_(text) if text else rest)
    if kind == "invalid_identity":
        return term(kind, "alert_kind")
    return term(factor.get("name"), "risk_factor")


def factor_reason(factor: dict[str, Any]) -> str:
    """Why the factor counts, from its params; a factor stored before params existed shows
    its stored English sentence."""
    params = factor.get("params")
    name = str(factor.get("name", ""))
    if not params:
        return str(factor.get("why") or "")
    kind = name.partition(":")[0]
    if kind == "alert":
        severity = term(params.get("severity"), "severity").lower()  # mid-sentence in English
        state = _("still open") if params.get("ended") is None else \
            _("ended {at}").format(at=_when(params["ended"]))
        return _("{n} alert(s); the latest {severity}, {state}; counts half as much every "
                 "{days:g} days after it ends").format(
            n=params.get("count", 1), severity=severity, state=state,
            days=float(params.get("half_life_days", 7)))
    if kind == "ship_type":
        code = params.get("code")
        return _("AIS ship type {code}").format(code=code) if code else \
            _("AIS ship type not reported")
    if kind == "invalid_identity":
        return problem_text(params.get("problem", ""))
    if name == "flag_watch_list":
        return _("MID {mid} is {country}, on the watch list").format(
            mid=params.get("mid"), country=country_name(params.get("country")))
    if name == "flag_mismatch":
        return _("declared flag {declared}, but MID {mid} is {country}").format(
            declared=params.get("declared"), mid=params.get("mid"),
            country=country_name(params.get("country")))
    return str(factor.get("why") or "")


# Detector settings and context values by key: (label, unit). Units are words of their own.
_UNITS = {"h": lazy("h"), "kn": lazy("kn"), "m": lazy("m"), "km": lazy("km"), "nm": lazy("nm"),
          "days": lazy("days"), "min": lazy("min"), "share": "", "": ""}
SETTINGS: dict[str, tuple[str, str]] = {
    "gap_hours": (lazy("Silence that opens a gap"), "h"),
    "gap_min_prior_positions": (lazy("Positions needed before the silence"), ""),
    "gap_prior_hours": (lazy("Window before the silence"), "h"),
    "gap_min_neighbours": (lazy("Vessels needed nearby to judge reception"), ""),
    "gap_min_neighbours_heard": (lazy("Share of those heard again"), "share"),
    "gap_min_neighbours_silent": (lazy("Neighbours silent with it that make a reception drop"),
                                  ""),
    "encounter_distance_m": (lazy("Distance between the vessels"), "m"),
    "encounter_hours": (lazy("Least duration"), "h"),
    "encounter_max_median_knots": (lazy("Highest median speed"), "kn"),
    "encounter_min_port_distance_m": (lazy("Least distance from a port or anchorage"), "m"),
    "encounter_merge_hours": (lazy("Events closer than this are merged"), "h"),
    "encounter_short_minutes": (lazy("Least time alongside for an early warning"), "min"),
    "encounter_min_seen_minutes": (lazy("Least time seen alongside (silences left out)"), "min"),
    "dark_rendezvous_silence_minutes": (lazy("Silence that counts as falling silent"), "min"),
    "dark_rendezvous_window_minutes": (lazy("Longest time between their last positions"),
                                       "min"),
    "dark_rendezvous_min_alongside_minutes": (lazy("Least time alongside before the silence"),
                                              "min"),
    "loitering_max_knots": (lazy("Highest average speed"), "kn"),
    "loitering_hours": (lazy("Least duration"), "h"),
    "loitering_min_shore_nm": (lazy("Least distance from shore"), "nm"),
    "teleport_max_knots": (lazy("Highest plausible speed"), "kn"),
    "teleport_min_distance_m": (lazy("Smallest jump counted"), "m"),
    "teleport_min_track_fixes": (lazy("Positions of a track before a jump counts"), ""),
    "identity_quiet_hours": (lazy("Episode closes after quiet"), "h"),
    "zone_entry_kinds": (lazy("Zone kinds watched"), ""),
    "on_land_min_inland_m": (lazy("Least distance inland"), "m"),
    "shore_approach_max_knots": (lazy("Highest speed"), "kn"),
    "shore_approach_distance_m": (lazy("Within this distance of shore"), "m"),
    "shore_approach_from_m": (lazy("Came in from at least this far offshore"), "m"),
    "night": (lazy("Night (local hours)"), ""),
    "standard": (lazy("Standard applied"), ""),
    # context
    "median_knots": (lazy("Median speed"), "kn"),
    "mean_knots": (lazy("Average speed"), "kn"),
    "hours": (lazy("Duration"), "h"),
    "joint_silence_hours": (lazy("Both silent, in all"), "h"),
    "alongside_hours": (lazy("Alongside before the silence"), "h"),
    "distance_m": (lazy("Distance between them at their last positions"), "m"),
    "silent_apart_minutes": (lazy("Time between their last positions"), "min"),
    "silent_hours": (lazy("Silent for"), "h"),
    "shore_distance_m": (lazy("Distance from shore"), "m"),
    "shore_distance_nm": (lazy("Distance from shore"), "nm"),
    "shore_distance_km": (lazy("Distance from shore"), "km"),
    "inland_km": (lazy("Distance inland"), "km"),
    "changes": (lazy("Changes"), ""),
    "jumps": (lazy("Jumps"), ""),
    "max_jump_m": (lazy("Longest jump"), "m"),
    "moved_km": (lazy("Moved"), "km"),
    "late_fixes": (lazy("Late positions"), ""),
    "tracks": (lazy("Tracks on one MMSI"), ""),
    "positions_before": (lazy("Positions before the silence"), ""),
    "positions_per_hour_before": (lazy("Positions per hour before"), ""),
    "others_heard_nearby": (lazy("Other vessels heard nearby"), ""),
    "neighbours_before": (lazy("Vessels nearby before"), ""),
    "neighbours_heard_again": (lazy("Of those, heard again"), ""),
    "knots": (lazy("Speed"), "kn"),
    "likely": (lazy("Likely cause"), ""),
    "problem": (lazy("Problem"), ""),
    "first_fix_inside": (lazy("First position already inside"), ""),
    "conflict_min_fixes": (lazy("Positions needed on each track"), ""),
    "zone": (lazy("Zone"), ""),
}
_ZONE_KINDS = {"port": lazy("port"), "anchorage": lazy("anchorage"),
               "restricted": lazy("restricted area"), "controlled_coast": lazy("controlled coast")}
# What the identity checks write (core/reference/ships.mmsi_problem, risk/identity.py).
_PROBLEMS = [(re.compile(p + r"\Z"), m) for p, m in [
    (r"MMSI out of range", lazy("MMSI out of range")),
    (r"MMSI of a coast station or group \(leading 0\), not a ship",
     lazy("MMSI of a coast station or group (leading 0), not a ship")),
    (r"MMSI of a SAR aircraft \(111MID\.\.\.\), not a ship",
     lazy("MMSI of a SAR aircraft (111MID...), not a ship")),
    (r"MMSI with leading 1 is not allocated to ships",
     lazy("MMSI with leading 1 is not allocated to ships")),
    (r"MMSI of a hand-held VHF \(leading 8\), not a ship",
     lazy("MMSI of a hand-held VHF (leading 8), not a ship")),
    (r"MMSI of an aid to navigation or craft associated \(9\.\.\.\), not a ship",
     lazy("MMSI of an aid to navigation or craft associated (9...), not a ship")),
    (r"MMSI of an aid to navigation \(99\.\.\.\), not a ship",
     lazy("MMSI of an aid to navigation (99...), not a ship")),
    (r"MMSI with leading 9 is not allocated to ships",
     lazy("MMSI with leading 9 is not allocated to ships")),
    (r"IMO field (?P<imo>\d+) is in a range not used \(ITU-R M\.1371\)",
     lazy("IMO field {imo} is in a range not used (ITU-R M.1371)")),
    (r"MID (?P<mid>\d+) is not allocated \(ITU-R M\.585\)",
     lazy("MID {mid} is not allocated (ITU-R M.585)")),
    (r"IMO (?P<imo>\d+) fails its check digit", lazy("IMO {imo} fails its check digit")),
]]
_LIKELY = {"going_dark": lazy("going dark"), "in_port": lazy("in port"),
           "coverage_hole": lazy("no reception there"), "coverage_drop": lazy("reception dropped"),
           "left_coverage": lazy("left coverage")}


def problem_text(problem: str) -> str:
    """An identity problem as the checks wrote it (English), in the reader's language."""
    for pattern, message in _PROBLEMS:
        if match := pattern.match(problem):
            return _(message).format(**match.groupdict())
    return problem


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _value(key: str, value: Any, unit: str) -> str:
    if key.endswith("_epoch") or key == "last_t":
        return _when(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key == "night" and isinstance(value, list | tuple) and len(value) == 2:
        return f"{_number(value[0])}:00 – {_number(value[1])}:00"
    if key == "likely":
        text = _LIKELY.get(value)
        return _(text) if text else str(value)
    if key == "zone" and isinstance(value, dict):
        return str(value.get("name") or value.get("id") or "")
    if key == "zone_entry_kinds" and isinstance(value, list):
        return ", ".join(_(_ZONE_KINDS[v]) if v in _ZONE_KINDS else str(v) for v in value)
    if key == "problem" and isinstance(value, str):
        return problem_text(value)
    if unit == "share" and isinstance(value, int | float):
        return f"{value:.0%}"
    if isinstance(value, int | float):
        word = _UNITS.get(unit, "")
        return f"{_number(value)} {_(word)}" if word else _number(value)
    return str(value)


def facts(values: dict[str, Any] | None) -> list[tuple[str, str]]:
    """An alert's thresholds or context as (label, value) rows in the reader's language; a key
    no detector wrote before is shown as it is (times ending in _epoch in the reader's zone)."""
    rows = []
    for key, value in (values or {}).items():
        label, unit = SETTINGS.get(key, ("", ""))
        if key.endswith("_epoch") or key == "last_t":
            label = label or {"last_change_epoch": lazy("Last change"),
                              "last_jump_epoch": lazy("Last jump"),
                              "last_update_epoch": lazy("Last update"),
                              "last_t": lazy("Last update")}.get(key, key)
        rows.append((_(label) if label else key, _value(key, value, unit)))
    return rows


_FIELDS = {"shipname": lazy("Name"), "callsign": lazy("Call sign"), "imo": lazy("IMO"),
           "ship_type": lazy("Ship type")}
# Marks the encounter detector sets on a fix (risk/encounter.py): where a joint silence begins
# and ends inside an encounter.
_MARKS = {"silent_from": lazy("both fell silent after this"),
          "silent_until": lazy("back alongside after both were silent"),
          "back_alongside": lazy("back alongside after both were silent")}


def evidence(items: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    """An alert's evidence fixes as table rows: the time in the reader's zone, the position,
    the speed, and for an identity change what changed (another vessel's fix, in an
    encounter, follows as a row of its own)."""
    rows = []
    for item in items or []:
        rows.append(_evidence_row(item))
        for other in ("other", "other_track"):
            if isinstance(item.get(other), dict):
                rows.append(_evidence_row(item[other], other=True))
    return rows


def _evidence_row(item: dict[str, Any], other: bool = False) -> dict[str, str]:
    when = ""
    if item.get("time"):
        try:
            when = local_time(datetime.fromisoformat(str(item["time"])),
                              "yyyy-MM-dd HH:mm:ss")
        except ValueError:
            when = str(item["time"])
    position = f"{item['lat']:.5f}, {item['lon']:.5f}" if isinstance(item.get("lat"), float | int) \
        and isinstance(item.get("lon"), float | int) and "changes" not in item else ""
    speed = item.get("speed")
    changes = item.get("changes") if isinstance(item.get("changes"), dict) else {}
    change = "; ".join(
        f"{_(_FIELDS[f]) if f in _FIELDS else f}: {c.get('old')} → {c.get('new')}"
        for f, c in changes.items() if isinstance(c, dict))
    marks = "; ".join(_(text) for key, text in _MARKS.items() if item.get(key) is True)
    if marks:
        change = f"{change}; {marks}" if change else marks
    if other:
        change = _("the other vessel") + (f"; {change}" if change else "")
    return {"time": when, "position": position,
            "speed": f"{_number(speed)} {_('kn')}" if isinstance(speed, int | float) else "",
            "change": change}


# Why the engine retracted an alert (risk/encounter.py, risk/motion.py), as it wrote it.
_RETRACTIONS = [(re.compile(p + r"\Z"), m) for p, m in [
    ((r"merged with a later encounter of the same pair less than (?P<h>[\d.]+) h after it "
     r"into (?P<id>\S+) \(GFW\)"),
     lazy("merged into {id}, a later encounter of the same pair less than {h} h after it (GFW)")),
    (r"explained by a second transmitter using MMSI (?P<mmsi>\d+) \(mmsi_conflict (?P<id>\S+)\)",
     lazy("explained by a second transmitter using MMSI {mmsi} (shared MMSI alert {id})")),
    (r"a fix at (?P<time>\S+) arrived late: the silence was only (?P<h>[\d.]+) h",
     lazy("a position of {time} arrived late: the silence was only {h} h")),
    ((r"a late fix at (?P<time>\S+) fills the gap: silences of (?P<a>[\d.]+) h and "
     r"(?P<b>[\d.]+) h"),
     lazy("a late position of {time} fills the gap: silences of {a} h and {b} h")),
]]


def retraction(text: str | None) -> str:
    """A retraction's reason in the reader's language, its time in their zone."""
    if not text:
        return ""
    for pattern, message in _RETRACTIONS:
        if match := pattern.match(text):
            values = match.groupdict()
            if "time" in values:
                try:
                    values["time"] = local_time(datetime.fromisoformat(values["time"]),
                                                "yyyy-MM-dd HH:mm:ss")
                except ValueError:
                    pass
            return _(message).format(**values)
    return text
