"""Alerts, their change events, and the book that keeps them deduplicated.

An alert's life is ``opened`` -> (``updated``)* -> ``closed``, or ``retracted`` at any point when
later data disproves it (the reason says which data). Nothing is ever deleted, so the lead's
store and the live map can replay exactly what an officer saw. Instant findings (a bad IMO check
digit) are opened and closed in the same call so every alert has the same life.

Ids are a hash of what identifies the finding (kind, vessels, zone, start, and a salt for merged
events), so replaying the same data gives the same ids: the store can upsert.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import blake2b
from typing import Literal

Action = Literal["opened", "updated", "closed", "retracted"]
Severity = Literal["low", "medium", "high"]
Key = tuple[str, int, int | None, str | None]
SEVERITY_SCORE = {"low": 25, "medium": 55, "high": 80}
_HISTORY = 64  # alerts remembered per vessel for its risk score and late-data retractions


def iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fix(t: float, lat: float, lon: float, speed: float | None = None, **extra: object) -> dict:
    """One evidence fix, JSON-ready."""
    out = {"time": iso(t), "lat": round(lat, 6), "lon": round(lon, 6), "speed": speed}
    out.update(extra)
    return out


@dataclass
class Alert:
    id: str
    kind: str
    mmsi: int
    start_t: float
    lat: float
    lon: float
    severity: Severity
    score: float
    thresholds: dict
    other_mmsi: int | None = None
    zone_id: str | None = None
    end_t: float | None = None
    evidence: list[dict] = field(default_factory=list)
    context: dict = field(default_factory=dict)
    status: Literal["open", "closed", "retracted"] = "open"
    reason: str | None = None
    evidence_max: int = 12

    @property
    def key(self) -> Key:
        return (self.kind, self.mmsi, self.other_mmsi, self.zone_id)

    @property
    def start(self) -> datetime:
        return datetime.fromtimestamp(self.start_t, UTC)

    @property
    def end(self) -> datetime | None:
        return None if self.end_t is None else datetime.fromtimestamp(self.end_t, UTC)

    def add_evidence(self, item: dict) -> None:
        """Keep the first half and the most recent half: how it began and how it stands."""
        self.evidence.append(item)
        if len(self.evidence) > self.evidence_max:
            del self.evidence[self.evidence_max // 2]

    def snapshot(self) -> Alert:
        return dataclasses.replace(self, evidence=list(self.evidence), context=dict(self.context))

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "mmsi": self.mmsi,
                "other_mmsi": self.other_mmsi, "zone_id": self.zone_id,
                "start": iso(self.start_t), "end": iso(self.end_t), "lat": round(self.lat, 6),
                "lon": round(self.lon, 6), "severity": self.severity,
                "score": round(self.score, 1), "thresholds": dict(self.thresholds),
                "evidence": list(self.evidence), "context": dict(self.context),
                "status": self.status, "reason": self.reason}


@dataclass(frozen=True)
class AlertEvent:
    action: Action
    alert: Alert  # a snapshot: later changes to the live alert do not rewrite this event
    reason: str | None = None

    def to_dict(self) -> dict:
        return {"action": self.action, "reason": self.reason, "alert": self.alert.to_dict()}


def alert_id(kind: str, mmsi: int, other: int | None, zone: str | None, start_t: float,
             salt: str = "") -> str:
    text = f"{kind}|{mmsi}|{other or ''}|{zone or ''}|{int(start_t)}|{salt}"
    return blake2b(text.encode(), digest_size=8).hexdigest()


class AlertBook:
    """Open alerts by (kind, mmsi, other, zone): at most one open per key."""

    def __init__(self, evidence_max: int = 12) -> None:
        self.open: dict[Key, Alert] = {}
        self.history: dict[int, list[Alert]] = {}
        self.evidence_max = evidence_max

    def get(self, kind: str, mmsi: int, other: int | None = None,
            zone: str | None = None) -> Alert | None:
        return self.open.get((kind, mmsi, other, zone))

    def raise_(self, out: list[AlertEvent], kind: str, mmsi: int, t: float, lat: float,
               lon: float, severity: Severity, thresholds: dict, *, other: int | None = None,
               zone: str | None = None, evidence: list[dict] | None = None,
               context: dict | None = None, score: float | None = None, start_t: float | None = None,
               salt: str = "") -> Alert:
        """Open an alert, or return the one already open for this key (dedup, no event)."""
        key = (kind, mmsi, other, zone)
        current = self.open.get(key)
        if current is not None:
            return current
        start = t if start_t is None else start_t
        alert = Alert(id=alert_id(kind, mmsi, other, zone, start, salt), kind=kind, mmsi=mmsi,
                      start_t=start, lat=lat, lon=lon, severity=severity,
                      score=SEVERITY_SCORE[severity] if score is None else score,
                      thresholds=thresholds, other_mmsi=other, zone_id=zone,
                      context=context or {}, evidence_max=self.evidence_max)
        for item in evidence or ():
            alert.add_evidence(item)
        self.open[key] = alert
        for vessel in (mmsi, other):
            if vessel is not None:
                kept = self.history.setdefault(vessel, [])
                kept.append(alert)
                if len(kept) > _HISTORY:
                    del kept[0]
        out.append(AlertEvent("opened", alert.snapshot()))
        return alert

    def update(self, out: list[AlertEvent], alert: Alert, reason: str | None = None) -> None:
        out.append(AlertEvent("updated", alert.snapshot(), reason))

    def close(self, out: list[AlertEvent], alert: Alert, end_t: float,
              reason: str | None = None) -> None:
        if alert.status != "open":
            return
        alert.end_t = max(end_t, alert.start_t)
        alert.status = "closed"
        self.open.pop(alert.key, None)
        out.append(AlertEvent("closed", alert.snapshot(), reason))

    def retract(self, out: list[AlertEvent], alert: Alert, reason: str) -> None:
        if alert.status == "retracted":
            return
        alert.status = "retracted"
        alert.reason = reason
        if self.open.get(alert.key) is alert:
            del self.open[alert.key]
        out.append(AlertEvent("retracted", alert.snapshot(), reason))

    def instant(self, out: list[AlertEvent], kind: str, mmsi: int, t: float, lat: float,
                lon: float, severity: Severity, thresholds: dict, **kw: object) -> Alert:
        alert = self.raise_(out, kind, mmsi, t, lat, lon, severity, thresholds, **kw)
        self.close(out, alert, t)
        return alert

    def recent(self, mmsi: int, kind: str) -> list[Alert]:
        return [a for a in self.history.get(mmsi, ()) if a.kind == kind]
