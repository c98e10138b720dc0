"""Alert rules: store what the risk engine says, and let officers work the queue.

Engine events arrive as dicts (``Alert.to_dict()``) keyed by the engine's deterministic id, so
a replay or restart updates the same row. Retraction keeps the row with its reason.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.marking import TLP, Distribution, visible_to
from bastion.maritime.alerts.models import AlertStatus, VesselAlert
from bastion.org import capabilities
from bastion.org.models import User
from bastion.org.sharing import MarkingIn, apply_marking

KIND = VesselAlert.record_kind


@dataclass(frozen=True)
class AlertOwner:
    """Who a machine-raised alert belongs to, and how it is marked (from settings)."""

    org_id: int
    author_id: int
    tlp: TLP = TLP.AMBER
    distribution: Distribution = Distribution.ALL


def _when(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


# How many engine-state fingerprints an alert keeps (an alert is updated a few times at most).
_KEEP_STATES = 64


def engine_state(action: str, alert: dict[str, Any], reason: str | None) -> str:
    """A fingerprint of one engine event: the same event replayed gives the same one."""
    text = json.dumps([action, alert, reason], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def apply_engine_event(session: Session, *, owner: AlertOwner, action: str,
                       alert: dict[str, Any], reason: str | None = None) -> VesselAlert:
    """Store one engine event. An event this alert has already taken (a replay after a crash,
    the same file twice) changes nothing and writes no event: the engine's alert ids and its
    events are deterministic, so ingest is idempotent."""
    row = session.scalar(select(VesselAlert).where(VesselAlert.key == str(alert["id"])))
    created = row is None
    state = engine_state(action, alert, reason)
    if row is not None and state in (row.engine_states or ()):
        return row
    if row is None:
        row = VesselAlert(key=str(alert["id"]), owner_org_id=owner.org_id,
                          created_by_id=owner.author_id)
        session.add(row)
    row.engine_states = [*(row.engine_states or ())[-(_KEEP_STATES - 1):], state]
    row.kind = alert["kind"]
    row.mmsi = int(alert["mmsi"])
    row.other_mmsi = alert.get("other_mmsi")
    row.start = _when(alert["start"])
    row.end = _when(alert.get("end"))
    row.lat, row.lon = alert.get("lat"), alert.get("lon")
    row.severity = str(alert.get("severity") or "medium")
    row.score = float(alert.get("score") or 0.0)
    row.thresholds = alert.get("thresholds") or {}
    row.evidence = alert.get("evidence") or []
    row.context = alert.get("context") or {}
    if action == "retracted":
        row.status, row.retracted_reason = AlertStatus.RETRACTED, reason or alert.get("reason")
    elif row.status not in (AlertStatus.CLOSED, AlertStatus.RETRACTED):
        row.status = AlertStatus.ENDED if row.end else AlertStatus.OPEN
    session.flush()
    if created:
        apply_marking(session, row, MarkingIn(tlp=owner.tlp, distribution=owner.distribution))
    events.emit(session, kind=f"alert.{action}", record_kind=KIND, record_id=row.id,
                payload={"kind": row.kind, "mmsi": row.mmsi, "severity": row.severity})
    return row


@dataclass
class AlertFilter:
    kind: str | None = None
    status: AlertStatus | None = None
    mmsi: int | None = None
    severity: str | None = None
    active_only: bool = False
    mmsi_in: tuple[int, ...] | None = None  # any of these vessels (the workbench: ships calling)


def list_visible(session: Session, *, user: User, flt: AlertFilter, limit: int = 100,
                 offset: int = 0) -> tuple[Sequence[VesselAlert], int]:
    capabilities.require(user, "alerts.read")
    query = select(VesselAlert).where(visible_to(VesselAlert, user))
    if flt.kind:
        query = query.where(VesselAlert.kind == flt.kind)
    if flt.status:
        query = query.where(VesselAlert.status == flt.status)
    if flt.active_only:
        query = query.where(VesselAlert.status.in_([AlertStatus.OPEN, AlertStatus.ENDED]))
    if flt.mmsi:
        query = query.where(VesselAlert.mmsi == flt.mmsi)
    if flt.severity:
        query = query.where(VesselAlert.severity == flt.severity)
    if flt.mmsi_in is not None:
        query = query.where(VesselAlert.mmsi.in_(flt.mmsi_in))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(VesselAlert.start.desc(), VesselAlert.id.desc())
                           .limit(limit).offset(offset)).all()
    return rows, total


def get(session: Session, *, user: User, alert_id: int) -> VesselAlert:
    row = get_or_none(session, user=user, alert_id=alert_id)
    if row is None:
        raise NotFound(_("No such alert."))
    return row


def _require_officer(user: User) -> None:
    capabilities.require(user, "alerts.act")


def acknowledge(session: Session, *, user: User, alert: VesselAlert) -> VesselAlert:
    _require_officer(user)
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by_id = utcnow(), user.id
        _changed(session, user, alert, "acknowledged")
    return alert


def assign(session: Session, *, user: User, alert: VesselAlert, assignee: User) -> VesselAlert:
    _require_officer(user)
    if not may_act(session, user=assignee, alert=alert):
        raise Invalid(_("That person may not work on this alert."), field="assignee_id")
    alert.assigned_to_id = assignee.id
    _changed(session, user, alert, f"assigned to {assignee.username}")
    return alert


def close(session: Session, *, user: User, alert: VesselAlert, note: str) -> VesselAlert:
    _require_officer(user)
    if not note.strip():
        raise Invalid(_("Say why the alert is closed."), field="note")
    if alert.status in (AlertStatus.CLOSED, AlertStatus.RETRACTED):
        raise Conflict(_("The alert is already closed or retracted."))
    alert.status, alert.closed_at = AlertStatus.CLOSED, utcnow()
    alert.closed_by_id, alert.close_note = user.id, note.strip()
    _changed(session, user, alert, "closed")
    return alert


def get_or_none(session: Session, *, user: User, alert_id: int) -> VesselAlert | None:
    """The alert if the user may see it: their agency reads alerts and its marking allows."""
    if not capabilities.can(user, "alerts.read"):
        return None
    return session.scalar(select(VesselAlert).where(VesselAlert.id == alert_id,
                                                    visible_to(VesselAlert, user)))


def may_act(session: Session, *, user: User, alert: VesselAlert) -> bool:
    return capabilities.can(user, "alerts.act") and get_or_none(
        session, user=user, alert_id=alert.id) is not None


def assignees(session: Session, *, user: User, alert: VesselAlert) -> list[User]:
    """Who may be given this alert: people who may see it and act on it, the caller first."""
    from bastion.org import service as org

    people = [p for p in org.holders_of(session, capability="alerts.act")
              if may_act(session, user=p, alert=alert)]
    return sorted(people, key=lambda p: (p.id != user.id, p.display_name))


def _changed(session: Session, user: User, alert: VesselAlert, what: str) -> None:
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=alert.id, summary=f"alert {alert.id}: {what}")
    events.emit(session, kind="alert.updated", actor_id=user.id, record_kind=KIND,
                record_id=alert.id, payload={"kind": alert.kind, "mmsi": alert.mmsi})


def _may_see(session: Session, user: User, record_id: int) -> bool:
    return get_or_none(session, user=user, alert_id=record_id) is not None


events.register_visibility(KIND, _may_see)
