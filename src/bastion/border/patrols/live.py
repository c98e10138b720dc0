"""The live picture (issue 12 item 5): patrols under way or paused with their last position,
how old that fix is (stale past ``settings.patrols.stale_fix_min``) and their check-ins so far
against the plan; and the SOS calls of the last ``sos_hours``, open ones first.

It reads the patrol's running totals (``last_lon``/``last_lat``/``last_fix_at``, kept up to
date by ``tracks.add_chunk``), never the points. Need-to-know as everywhere: patrols the user
may see (a post: its own area, ``measures.patrol_scope``), capability ``patrols.live``; an SOS
is seen by whoever sees its patrol, one with no patrol by the owner organisation (a post: its
own, or one naming no post).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bastion.border.geo.models import DefenceSegment
from bastion.border.patrols.measures import _agency_names, area_of, patrol_scope
from bastion.border.patrols.models import (
    CheckIn,
    Patrol,
    PatrolMember,
    PatrolStatus,
    PlannedCheckpoint,
    Sos,
)
from bastion.border.settings import PatrolSettings
from bastion.core import context
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.org import capabilities
from bastion.org.models import User

CAPABILITY = "patrols.live"
UNDER_WAY = (PatrolStatus.UNDER_WAY, PatrolStatus.PAUSED)
TRANSPORT_LABELS = {"foot": lazy("On foot"), "vehicle": lazy("Vehicle"),
                    "motorbike": lazy("Motorbike"), "boat": lazy("Boat"), "drone": lazy("Drone")}
STATUS_LABELS = {"under_way": lazy("Under way"), "paused": lazy("Paused")}


def _sos_scope(session: Session, user: User) -> list[Any]:
    seen = select(Patrol.id).where(*patrol_scope(session, user))
    no_patrol = [Sos.patrol_id.is_(None), Sos.owner_org_id == user.organisation_id]
    area = area_of(session, user)
    if area.post_id is not None:
        no_patrol.append(or_(Sos.post_agency_id.is_(None), Sos.post_agency_id == area.post_id))
    return [or_(Sos.patrol_id.in_(seen), and_(*no_patrol))]


def picture(session: Session, *, user: User, settings: PatrolSettings,
            now: datetime | None = None) -> dict[str, Any]:
    capabilities.require(user, CAPABILITY)
    now = now or datetime.now(UTC)
    language = context.current().language
    patrols = session.scalars(select(Patrol).where(
        *patrol_scope(session, user), Patrol.status.in_(UNDER_WAY))
        .order_by(Patrol.started_at, Patrol.id)).all()
    ids = [p.id for p in patrols]
    members: dict[int, list[PatrolMember]] = defaultdict(list)
    planned: dict[int, set[int]] = defaultdict(set)
    visited: dict[int, set[int]] = defaultdict(set)
    check_ins: dict[int, int] = defaultdict(int)
    if ids:
        for m in session.scalars(select(PatrolMember).where(PatrolMember.patrol_id.in_(ids))
                                 .order_by(PatrolMember.is_leader.desc(), PatrolMember.id)):
            members[m.patrol_id].append(m)
        for w in session.scalars(select(PlannedCheckpoint).where(
                PlannedCheckpoint.patrol_id.in_(ids))):
            planned[w.patrol_id].add(w.checkpoint_id)
        for c in session.scalars(select(CheckIn).where(CheckIn.patrol_id.in_(ids))):
            check_ins[c.patrol_id] += 1
            if c.method != "geofence" or c.within_radius:
                visited[c.patrol_id].add(c.checkpoint_id)
    segment_ids = {p.segment_id for p in patrols if p.segment_id}
    segments = {s.id: s for s in session.scalars(select(DefenceSegment).where(
        DefenceSegment.id.in_(sorted(segment_ids))))} if segment_ids else {}
    names = _agency_names(session, {p.post_agency_id for p in patrols}
                          | {m.agency_id for ms in members.values() for m in ms}, language)
    stale_after = settings.stale_fix_min
    items = []
    for p in patrols:
        minutes = None if p.last_fix_at is None else round(
            (now - p.last_fix_at).total_seconds() / 60.0, 1)
        segment = segments.get(p.segment_id or 0)
        plan = planned.get(p.id, set())
        items.append({
            "id": p.id, "client_id": p.client_id, "status": p.status.value,
            "status_label": _(STATUS_LABELS[p.status.value]),
            "post_id": p.post_agency_id, "post": names.get(p.post_agency_id, ""),
            "segment_id": p.segment_id, "segment": segment.code if segment else "",
            "segment_name": segment.name if segment else "",
            "transport": p.transport.value, "transport_label": _(TRANSPORT_LABELS.get(
                p.transport.value, p.transport.value)),
            "joint": p.joint, "synthetic": p.synthetic,
            "members": [{"name": m.name, "agency_id": m.agency_id,
                         "agency": names.get(m.agency_id, ""), "is_leader": m.is_leader,
                         "is_pilot": m.is_pilot} for m in members.get(p.id, [])],
            "started_at": p.started_device_at or p.started_at, "planned_start": p.planned_start,
            "lon": p.last_lon, "lat": p.last_lat, "last_fix_at": p.last_fix_at,
            "minutes_since_fix": minutes,
            "stale": minutes is None or minutes > stale_after,
            "check_ins": check_ins.get(p.id, 0),
            "checkpoints_planned": len(plan),
            "checkpoints_visited": len(plan & visited.get(p.id, set())),
            "distance_km": round((p.distance_m or 0.0) / 1000.0, 2)})
    recent = now - timedelta(hours=settings.sos_hours)
    sos_rows = session.scalars(select(Sos).where(
        *_sos_scope(session, user),
        or_(Sos.acknowledged_at.is_(None), Sos.received_at >= recent))
        .order_by(Sos.acknowledged_at.is_not(None), Sos.received_at.desc())).all()
    sos_patrols = {p.id: p for p in session.scalars(select(Patrol).where(Patrol.id.in_(
        sorted({s.patrol_id for s in sos_rows if s.patrol_id}))))} if sos_rows else {}
    sos_names = _agency_names(session, {s.post_agency_id for s in sos_rows if s.post_agency_id}
                              | {p.post_agency_id for p in sos_patrols.values()}, language)
    senders = {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(
        sorted({s.by_user_id for s in sos_rows if s.by_user_id}))))} if sos_rows else {}
    sos = []
    for s in sos_rows:
        patrol = sos_patrols.get(s.patrol_id or 0)
        post_id = s.post_agency_id or (patrol.post_agency_id if patrol else None)
        sos.append({"id": s.id, "client_id": s.client_id, "patrol_id": s.patrol_id,
                    "patrol_client_id": patrol.client_id if patrol else None,
                    "post_id": post_id, "post": sos_names.get(post_id or 0, ""),
                    "sender": senders.get(s.by_user_id or 0, ""),
                    "message": s.message, "source": s.source, "lon": s.lon, "lat": s.lat,
                    "device_at": s.device_at, "received_at": s.received_at,
                    "acknowledged": s.acknowledged_at is not None,
                    "acknowledged_at": s.acknowledged_at})
    return {"now": now, "stale_fix_min": stale_after, "patrols": items, "sos": sos,
            "open_sos": sum(1 for s in sos if not s["acknowledged"])}


def geojson(data: dict[str, Any]) -> dict[str, Any]:
    """The picture as map overlay features: a point per patrol with a fix, a point per SOS
    with a position (``layer`` and ``label`` in properties, as the map page expects)."""
    features = []
    for p in data["patrols"]:
        if p["lon"] is None or p["lat"] is None:
            continue
        label = " · ".join(x for x in (p["segment"], p["post"], p["transport_label"]) if x)
        features.append({"type": "Feature",
                         "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                         "properties": {"layer": "patrol", "label": label, **{
                             k: _plain(p[k]) for k in (
                                 "id", "client_id", "status", "post", "segment", "transport",
                                 "last_fix_at", "minutes_since_fix", "stale", "check_ins",
                                 "checkpoints_planned", "checkpoints_visited", "synthetic")}}})
    for s in data["sos"]:
        if s["lon"] is None or s["lat"] is None:
            continue
        features.append({"type": "Feature",
                         "geometry": {"type": "Point", "coordinates": [s["lon"], s["lat"]]},
                         "properties": {"layer": "sos", "label": _("SOS") + (
                             f" · {s['post']}" if s["post"] else ""), **{
                             k: _plain(s[k]) for k in ("id", "patrol_id", "message",
                                                       "device_at", "acknowledged")}}})
    return {"type": "FeatureCollection", "features": features}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
