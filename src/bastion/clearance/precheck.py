"""Advance pre-check (提前预检): evidence about a call → an inspection level with every reason.

The evidence comes from other domains — screening outcomes per person (#4), the vessel's risk
score and recent alerts (#3), the call's history — and the decision from rules kept as data,
so a supervisor can change them without a release. Each rule that fires adds its reason;
the highest level among fired rules wins. Pure: the service layer gathers the evidence and
stores the result with the declaration version it judged.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bastion.core import context
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy


class Level(enum.IntEnum):
    DOCUMENTARY = 1  # papers only
    BOARDING = 2     # officers board for the inspection
    ENHANCED = 3     # boarding with search / joint inspection

    @property
    def code(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Alert:
    kind: str
    severity: str
    start: datetime


@dataclass
class Evidence:
    person_outcomes: dict[str, str]            # person ref -> clear / check / stop
    risk_score: float = 0.0                     # 0-100, from the maritime picture
    alerts: list[Alert] = field(default_factory=list)
    eta: datetime | None = None
    earlier_calls: int = 0
    earlier_violations: int = 0
    declared_last_port: str | None = None
    track_last_port: str | None = None          # the last port the AIS track stopped at
    # Whether they are different places (lastport.mismatch: codes of one harbour are not);
    # None: compare the codes.
    last_port_differs: bool | None = None
    # Declared identity fields that disagree with the ship's AIS static data (identity.py).
    identity_mismatches: list[str] = field(default_factory=list)


# The default rules. Each: an id, what it tests, its parameter, the level it sets, and a
# reason message. Stored as data (a supervisor edits them); these are the shipped defaults.
DEFAULT_RULES: list[dict[str, Any]] = [
    {"id": "person_stop", "test": "persons_with", "value": "stop", "level": "enhanced",
     "reason": lazy("{n} person(s) matched a watchlist and were confirmed or share a document")},
    {"id": "person_check", "test": "persons_with", "value": "check", "level": "boarding",
     "reason": lazy("{n} person(s) resemble a watchlist entry and must be checked")},
    {"id": "risk_high", "test": "risk_at_least", "value": 60, "level": "enhanced",
     "reason": lazy("vessel risk score {score:.0f} is at least {value}")},
    {"id": "risk_medium", "test": "risk_at_least", "value": 30, "level": "boarding",
     "reason": lazy("vessel risk score {score:.0f} is at least {value}")},
    {"id": "dark_before_arrival", "test": "alert_within_days", "value": ["gap", 14],
     "level": "boarding", "reason": lazy("AIS went dark within {days} days before arrival")},
    {"id": "met_at_sea", "test": "alert_within_days", "value": ["encounter", 30],
     "level": "enhanced", "reason": lazy("met another vessel at sea within {days} days")},
    {"id": "identity_changed", "test": "alert_within_days", "value": ["identity_change", 90],
     "level": "boarding", "reason": lazy("changed its name, call sign, IMO or type within "
                                         "{days} days")},
    {"id": "last_port_mismatch", "test": "last_port_mismatch", "value": None,
     "level": "boarding", "reason": lazy("declared last port {declared} but the track last "
                                         "visited {seen}")},
    {"id": "identity_mismatch", "test": "identity_mismatch", "value": None,
     "level": "boarding", "reason": lazy("declared {fields} differ from the ship's AIS")},
    {"id": "past_violations", "test": "violations_at_least", "value": 1, "level": "boarding",
     "reason": lazy("{n} violation(s) recorded against the vessel, its agent or its people")},
    {"id": "first_call", "test": "first_call", "value": None, "level": "boarding",
     "reason": lazy("first call of this vessel at the station")},
]


# The identity fields compared with AIS (identity.py), as the reason names them.
IDENTITY_FIELDS = {"imo": lazy("IMO number"), "vessel_name": lazy("Ship's name"),
                   "callsign": lazy("Call sign"), "flag": lazy("Flag"),
                   "draught_m": lazy("Draught")}


@dataclass(frozen=True)
class Decision:
    level: Level
    reasons: list[tuple[str, str]]           # (rule id, reason in the user's language)
    persons: dict[str, str]                  # person ref -> clear / check / stop


def _fires(rule: dict[str, Any], ev: Evidence) -> dict[str, Any] | None:
    """The values for the reason message when the rule applies, else None."""
    test, value = rule["test"], rule["value"]
    if test == "persons_with":
        n = sum(1 for outcome in ev.person_outcomes.values() if outcome == value)
        return {"n": n} if n else None
    if test == "risk_at_least":
        return {"score": ev.risk_score, "value": value} if ev.risk_score >= value else None
    if test == "alert_within_days":
        kind, days = value
        since = (ev.eta or datetime.max) - timedelta(days=days)
        hit = any(a.kind == kind and (ev.eta is None or a.start >= since) for a in ev.alerts)
        return {"days": days} if hit else None
    if test == "last_port_mismatch":
        declared, seen = ev.declared_last_port, ev.track_last_port
        if not (declared and seen):
            return None
        differs = ev.last_port_differs if ev.last_port_differs is not None else \
            declared.upper() != seen.upper()
        return {"declared": declared, "seen": seen} if differs else None
    if test == "violations_at_least":
        n = ev.earlier_violations
        return {"n": n} if n >= value else None
    if test == "first_call":
        return {} if ev.earlier_calls == 0 else None
    if test == "identity_mismatch":
        return {"fields": ", ".join(_(IDENTITY_FIELDS.get(f, f)) for f in ev.identity_mismatches)
                } if ev.identity_mismatches else None
    raise ValueError(f"unknown pre-check test {test!r} in rule {rule.get('id')!r}")


TESTS = ("persons_with", "risk_at_least", "alert_within_days", "last_port_mismatch",
         "violations_at_least", "first_call", "identity_mismatch")
_DEFAULT_REASON = {rule["id"]: rule["reason"] for rule in DEFAULT_RULES}
_REASON_BY_TEST = {rule["test"]: rule["reason"] for rule in reversed(DEFAULT_RULES)}


def reason_text(rule: dict[str, Any], values: dict[str, Any]) -> str:
    """The rule's reason in the user's language: the supervisor's own wording when the stored
    rule has one ({"en": ..., "zh-CN": ...}), else the shipped message for its id or test."""
    message = rule.get("reason")
    if isinstance(message, dict) and message:
        language = context.current().language
        text = message.get(language) or message.get("en") or next(iter(message.values()))
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError, AttributeError, TypeError):
            pass  # saved before wording was checked strictly: the shipped message still reads
        message = None
    message = message or _DEFAULT_REASON.get(rule["id"]) or _REASON_BY_TEST[rule["test"]]
    return _(message).format(**values)


def decide(ev: Evidence, rules: list[dict[str, Any]] | None = None) -> Decision:
    level, reasons = Level.DOCUMENTARY, []
    for rule in rules if rules is not None else DEFAULT_RULES:
        if not rule.get("enabled", True):
            continue
        values = _fires(rule, ev)
        if values is None:
            continue
        reasons.append((rule["id"], reason_text(rule, values)))
        level = max(level, Level[rule["level"].upper()])
    return Decision(level, reasons, dict(ev.person_outcomes))
