"""The explained 0-100 vessel risk score.

The score is a sum of points, capped at 100, and every point is a listed factor with a reason:
an officer must be able to say why a vessel is red. Alerts count with their severity and halve
every ``half_life_days`` after they end (open alerts count in full); retracted alerts count
nothing. Static factors come from the MMSI (flag by MID), GFW's public lists, the ship type
and an identity that cannot be right (``Vessel.problems``: counted while it is sent, never
through invalid_identity alerts).
The weights are illustrative defaults in ``RiskWeights``, to be tuned by each unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bastion.core.reference.ships import mid_table, mmsi_mid
from bastion.maritime.risk.alerts import iso
from bastion.maritime.risk.reference import reefers, ship_type_category, spoofing_mmsis

if TYPE_CHECKING:
    from bastion.maritime.risk.context import EngineState

_SEVERITY_FACTOR = {"high": 1.0, "medium": 0.6, "low": 0.3}


@dataclass(frozen=True)
class Factor:
    """One listed reason for points. ``why`` is an English sentence for the API and logs;
    ``params`` are the same facts as data (times as epoch seconds), from which the pages write
    the reason in the reader's language and time zone (maritime/reasons.py)."""

    name: str
    points: float
    why: str
    params: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"name": self.name, "points": round(self.points, 1), "why": self.why,
                "params": dict(self.params)}


@dataclass
class VesselRisk:
    mmsi: int
    score: int
    at: str | None
    factors: list[Factor] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"mmsi": self.mmsi, "score": self.score, "at": self.at,
                "factors": [f.to_dict() for f in self.factors]}


def _same_flag(declared: str, mid_flag: tuple[str, str]) -> bool:
    d = declared.strip().lower()
    iso2, name = mid_flag
    return d == iso2.lower() or d in name.lower() or name.lower().startswith(d)


def score_vessel(eng: EngineState, mmsi: int, now: float,
                 declared_flag: str | None = None) -> VesselRisk:
    w = eng.settings.risk
    factors: list[Factor] = []
    by_kind: dict[str, list] = {}
    for alert in eng.book.history.get(mmsi, ()):
        if alert.status == "retracted" or alert.start_t > now or \
                alert.kind == "invalid_identity":  # counted from the vessel, below
            continue
        age_days = 0.0 if alert.end_t is None else max(0.0, now - alert.end_t) / 86400
        points = w.alert_points.get(alert.kind, 0.0) * _SEVERITY_FACTOR[alert.severity] * \
            0.5 ** (age_days / w.half_life_days)
        by_kind.setdefault(alert.kind, []).append((points, alert, age_days))
    for kind, items in sorted(by_kind.items()):
        # Repeats add up, but one kind cannot exceed twice its weight on its own.
        total = min(sum(p for p, _, _ in items), 2 * w.alert_points.get(kind, 0.0))
        latest = max(items, key=lambda i: i[1].start_t)[1]
        state = "open" if latest.end_t is None else f"ended {iso(latest.end_t)}"
        factors.append(Factor(f"alert:{kind}", total,
                              f"{len(items)} {kind} alert(s); latest {latest.severity}, "
                              f"{state}; halves every {w.half_life_days:g} days after it ends",
                              {"count": len(items), "severity": latest.severity,
                               "ended": latest.end_t, "half_life_days": w.half_life_days}))
    mid = mmsi_mid(mmsi)
    mid_flag = mid_table().get(mid) if mid is not None else None
    if mid_flag and mid_flag[0] in w.watch_flags:
        factors.append(Factor("flag_watch_list", w.watch_flag_points,
                              f"MID {mid} is {mid_flag[1]} ({mid_flag[0]}), on the watch list",
                              {"mid": mid, "country": mid_flag[0]}))
    reefer = reefers().get(mmsi)
    declared = declared_flag or (reefer or {}).get("flag")
    if declared and declared.lower() != "unknown" and mid_flag and \
            not _same_flag(declared, mid_flag):
        factors.append(Factor("flag_mismatch", w.flag_mismatch_points,
                              f"declared flag {declared} but MID {mid} is {mid_flag[1]}",
                              {"declared": declared, "mid": mid, "country": mid_flag[0]}))
    if reefer is not None:
        factors.append(Factor("reefer_list", w.reefer_points,
                              "on GFW's list of refrigerated cargo carriers (transshipment)"))
    if mmsi in spoofing_mmsis():
        factors.append(Factor("spoofing_list", w.spoofing_list_points,
                              "on GFW's 2018 list of MMSIs used by several vessels at once"))
    vessel = eng.vessels.get(mmsi)
    for sent, problem in sorted((vessel.problems or {}).items() if vessel else ()):
        # While it is sent, in full: an MMSI that is not a ship's as a medium alert, an IMO
        # field that cannot be right as a low one (as the invalid_identity alert would count).
        points = w.alert_points.get("invalid_identity", 0.0) * \
            _SEVERITY_FACTOR["medium" if sent == "mmsi" else "low"]
        factors.append(Factor(f"invalid_identity:{sent}", points,
                              f"transmits an identity that cannot be right: {problem}",
                              {"problem": problem}))
    category = ship_type_category(vessel.ship_type if vessel is not None else None)
    if category in w.ship_type_points:
        code = vessel.ship_type if vessel is not None else None
        factors.append(Factor(f"ship_type:{category}", w.ship_type_points[category],
                              f"AIS ship type {code if code else 'not reported'} ({category})",
                              {"code": code or None, "category": category}))
    factors.sort(key=lambda f: -f.points)
    total = min(100, round(sum(f.points for f in factors)))
    return VesselRisk(mmsi=mmsi, score=total, at=iso(now), factors=factors)
