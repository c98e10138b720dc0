"""Identity detectors: invalid_identity (MMSI structure, MID allocation, the IMO field) and
identity_change (name, call sign, IMO or ship type changed for one MMSI).

An invalid identity is kept on the vessel (``Vessel.problems``) and counts in its risk score;
it is raised as an alert only when ``invalid_identity_alerts`` is on (see its description): a
changed identity is behaviour and always alerts, a malformed one is a fact about the vessel.

A changed field is only a change when both the old and the new value are real: AIS "not
available" values (empty text, IMO 0, type 0) and Class B part A/B halves that carry half the
fields are not changes. Names are compared after upper-casing and squeezing spaces and the
six-bit '@' padding, the way they appear on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bastion.core.reference.ships import ais_imo_problem, mmsi_problem
from bastion.maritime.risk.alerts import AlertEvent, fix

if TYPE_CHECKING:
    from bastion.maritime.risk.context import EngineState
    from bastion.maritime.risk.vessel import Vessel

FIELDS = ("shipname", "callsign", "imo", "ship_type")
_SEVERITY = {"shipname": "medium", "imo": "medium", "callsign": "low", "ship_type": "low"}


def _clean_text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.replace("@", " ").upper().split())
    return text or None


def _clean(field: str, value: object) -> object:
    if field in ("shipname", "callsign"):
        return _clean_text(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value


def _note(v: Vessel, field: str, problem: str | None) -> None:
    """Keep (or clear) what is wrong with one identity field: a risk-score factor."""
    if problem is not None:
        v.problems = {**(v.problems or {}), field: problem}
    elif v.problems and field in v.problems:
        v.problems = {k: p for k, p in v.problems.items() if k != field} or None


def check_mmsi(eng: EngineState, v: Vessel, t: float, lat: float | None, lon: float | None,
               out: list[AlertEvent]) -> None:
    problem = mmsi_problem(v.mmsi)
    if problem is None:
        return
    _note(v, "mmsi", problem)
    if not eng.settings.invalid_identity_alerts:
        return
    eng.book.instant(out, "invalid_identity", v.mmsi, t, lat or 0.0, lon or 0.0,
                     "medium", {"standard": "ITU-R M.585-9"}, zone="mmsi",
                     evidence=[] if lat is None else [fix(t, lat, lon)],
                     context={"problem": problem})


def on_static(eng: EngineState, v: Vessel, t: float, msg: dict,
              out: list[AlertEvent]) -> None:
    book = eng.book
    lat = v.lat if v.lat is not None else 0.0
    lon = v.lon if v.lon is not None else 0.0
    changes = {}
    for name in FIELDS:
        if name not in msg:
            continue
        new = _clean(name, msg[name])
        if new is None:
            continue
        old = getattr(v, name)
        if old is not None and old != new:
            changes[name] = (old, new)
        setattr(v, name, new)
    imo = v.imo
    if imo is not None and imo != v.checked_imo:
        v.checked_imo = imo
        problem = ais_imo_problem(imo)
        _note(v, "imo", problem)
        if problem is not None and eng.settings.invalid_identity_alerts:
            book.instant(out, "invalid_identity", v.mmsi, t, lat, lon, "low",
                         {"standard": "ITU-R M.1371-5 table 50; IMO resolution A.1117(30)"},
                         zone=f"imo:{imo}", context={"problem": problem})
    if not changes:
        return
    severity = "medium" if any(_SEVERITY[f] == "medium" for f in changes) else "low"
    item = {"time": fix(t, lat, lon)["time"],
            "changes": {f: {"old": o, "new": n} for f, (o, n) in changes.items()}}
    alert = book.get("identity_change", v.mmsi)
    if alert is None:
        book.raise_(out, "identity_change", v.mmsi, t, lat, lon, severity,
                    {"identity_quiet_hours": eng.settings.identity_quiet_hours},
                    evidence=[item], context={"changes": 1, "last_change_epoch": t})
        return
    alert.add_evidence(item)
    alert.context["changes"] += 1
    alert.context["last_change_epoch"] = t
    if severity == "medium":
        alert.severity = "medium"
    book.update(out, alert, "another change")


def sweep_identity(eng: EngineState, v: Vessel, now: float, out: list[AlertEvent]) -> None:
    alert = eng.book.get("identity_change", v.mmsi)
    if alert is not None:
        last = alert.context["last_change_epoch"]
        if now - last > eng.settings.identity_quiet_hours * 3600:
            eng.book.close(out, alert, last, "no further changes")
