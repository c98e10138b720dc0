"""Patrols under need-to-know: the queries every patrol page and API reads through, the
marking a patrol carries, and the replay rule of the field API.

A patrol is owned by the command's organisation and tied to its segment (a post given
segments sees only those segments' patrols); a joint patrol is shared by name with the
organisations of its members from outside the command (police, army). Check-ins,
observations and SOS are seen by whoever sees their patrol.

Public functions other rooms call: :func:`visible_query` (patrols the user may read, as a
query), :func:`get` / :func:`get_by_client_id` (one patrol or 404), :func:`summary`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bastion.attachments import service as attachments
from bastion.border.patrols import tracks
from bastion.border.patrols.models import (
    CheckIn,
    Observation,
    ObservationCategory,
    Patrol,
    PatrolMember,
    PatrolStatus,
    Period,
    Sos,
    StatusChange,
    TrackChunk,
    Transport,
)
from bastion.border.patrols.schemas import PatrolSummary
from bastion.core import events
from bastion.core.errors import Conflict, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.core.marking import TLP, Distribution, visible_to
from bastion.org import capabilities
from bastion.org.models import Agency, User
from bastion.org.sharing import MarkingIn, apply_marking

KIND = Patrol.record_kind
SOS_KIND = "patrol_sos"  # an SOS sent with no patrol: seen by the owning organisation


def visible_query(user: User) -> Select[tuple[Patrol]]:
    """Every patrol ``user`` may read (capability ``patrols.read`` and the marking), newest
    first. The caller adds its own filters; a user without the capability gets nothing."""
    query = select(Patrol).where(visible_to(Patrol, user))
    if not capabilities.can(user, "patrols.read"):
        query = query.where(Patrol.id.is_(None))
    return query.order_by(Patrol.planned_start.desc().nulls_last(),
                          Patrol.started_at.desc().nulls_last(), Patrol.id.desc())


def find_visible(session: Session, *, user: User, patrol_id: int) -> Patrol | None:
    if not capabilities.can(user, "patrols.read"):
        return None
    return session.scalar(select(Patrol).where(Patrol.id == patrol_id,
                                               visible_to(Patrol, user)))


def get(session: Session, *, user: User, patrol_id: int) -> Patrol:
    """One patrol the user may read: 403 without ``patrols.read``, 404 when not visible."""
    capabilities.require(user, "patrols.read")
    patrol = find_visible(session, user=user, patrol_id=patrol_id)
    if patrol is None:
        raise NotFound(_("No such patrol."))
    return patrol


def get_by_client_id(session: Session, *, user: User, client_id: str) -> Patrol:
    capabilities.require(user, "patrols.read")
    patrol = session.scalar(select(Patrol).where(Patrol.client_id == str(client_id),
                                                 visible_to(Patrol, user)))
    if patrol is None:
        raise NotFound(_("No such patrol."))
    return patrol


def for_recording(session: Session, *, user: User, client_id: str) -> Patrol:
    """A patrol the user sees (404) and may record on (403), under way, paused or ended
    (records made offline arrive after the end); planned or cancelled ones refuse (409)."""
    patrol = get_by_client_id(session, user=user, client_id=client_id)
    capabilities.require(user, "patrols.record")
    if patrol.status in (PatrolStatus.PLANNED, PatrolStatus.CANCELLED):
        raise Conflict(_("The patrol is %(status)s: it takes no records.")
                       % {"status": patrol.status.value}, field="status")
    return patrol


def agency(session: Session, agency_id: int, field: str) -> Agency:
    found = session.get(Agency, agency_id)
    if found is None or not found.active:
        raise Invalid(_("There is no agency %(id)s.") % {"id": agency_id}, field=field)
    return found


def mark(session: Session, patrol: Patrol, member_agencies: Iterable[Agency]) -> None:
    """GREEN to the command's own organisation, or NAMED to it and the members' outside
    organisations when the patrol is joint; tied to its segment (need-to-know by area)."""
    outside = sorted({a.organisation_id for a in member_agencies} - {patrol.owner_org_id})
    patrol.joint = bool(outside)
    area = ("segment", patrol.segment_id) if patrol.segment_id else (None, None)
    apply_marking(session, patrol, MarkingIn(
        tlp=TLP.GREEN, distribution=Distribution.NAMED if outside else Distribution.OWN,
        agency_ids=[patrol.owner_org_id, *outside] if outside else [],
        area_kind=area[0], area_id=area[1]))


def replay(stored: Mapping[str, Any], given: Mapping[str, Any], what: str) -> None:
    """A client id sent again: the same content is a replay (the caller answers with what
    is stored); any difference is a 409 naming the first field that differs."""
    for field, value in given.items():
        if stored.get(field) != value:
            raise Conflict(_("%(what)s was sent before with a different %(field)s.")
                           % {"what": what, "field": field}, field=field)


def summary(patrol: Patrol) -> PatrolSummary:
    return PatrolSummary(
        id=patrol.id, client_id=patrol.client_id, status=patrol.status.value,
        post_agency_id=patrol.post_agency_id, segment_id=patrol.segment_id,
        transport=patrol.transport.value, joint=patrol.joint, objective=patrol.objective,
        planned_start=patrol.planned_start, planned_end=patrol.planned_end,
        started_at=patrol.started_at, started_device_at=patrol.started_device_at,
        ended_at=patrol.ended_at, ended_device_at=patrol.ended_device_at,
        distance_m=round(patrol.distance_m or 0.0, 1), moving_s=round(patrol.moving_s or 0, 1),
        last_lon=patrol.last_lon, last_lat=patrol.last_lat, last_fix_at=patrol.last_fix_at,
        synthetic=patrol.synthetic)


def emit(session: Session, *, kind: str, user: User | None, patrol: Patrol,
         **payload: Any) -> None:
    events.emit(session, kind=kind, actor_id=user.id if user else None, record_kind=KIND,
                record_id=patrol.id, payload={"client_id": patrol.client_id, **payload})


def list_query(session: Session, *, user: User, status: PatrolStatus | None = None,
               post_agency_id: int | None = None,
               segment_id: int | None = None) -> Select[tuple[Patrol]]:
    """The patrol list: 403 without ``patrols.read``; only what the user may see."""
    capabilities.require(user, "patrols.read")
    query = visible_query(user)
    if status is not None:
        query = query.where(Patrol.status == status)
    if post_agency_id is not None:
        query = query.where(Patrol.post_agency_id == post_agency_id)
    if segment_id is not None:
        query = query.where(Patrol.segment_id == segment_id)
    return query


def check_in_public(row: CheckIn) -> dict[str, Any]:
    return {"id": row.id, "client_id": row.client_id, "patrol_id": row.patrol_id,
            "checkpoint_id": row.checkpoint_id, "method": row.method,
            "device_at": row.device_at, "received_at": row.received_at, "lon": row.lon,
            "lat": row.lat, "accuracy_m": row.accuracy_m, "distance_m": row.distance_m,
            "within_radius": row.within_radius, "within_window": row.within_window}


def observation_public(row: Observation, code: str | None = None) -> dict[str, Any]:
    return {"id": row.id, "client_id": row.client_id, "patrol_id": row.patrol_id,
            "category_id": row.category_id, "category_code": code,
            "attributes": row.attributes, "note": row.note, "device_at": row.device_at,
            "received_at": row.received_at, "lon": row.lon, "lat": row.lat}


def observation_for(session: Session, *, user: User,
                    observation_id: int) -> dict[str, Any] | None:
    """One observation the user may see (through its patrol), as plain values for another
    room (hazards' "Report as hazard"): the observation, its category's code and names, and
    its patrol's organisation, post and segment (ids). None when there is none to see."""
    row = session.get(Observation, observation_id)
    if row is None:
        return None
    patrol = find_visible(session, user=user, patrol_id=row.patrol_id)
    if patrol is None:
        return None
    category = session.get(ObservationCategory, row.category_id)
    return {**observation_public(row, category.code if category else None),
            "category_zh": category.label_zh if category else "",
            "category_en": category.label_en if category else "",
            "owner_org_id": patrol.owner_org_id, "post_agency_id": patrol.post_agency_id,
            "segment_id": patrol.segment_id}


def chunk_public(chunk: TrackChunk) -> dict[str, Any]:
    return {"id": chunk.id, "client_id": chunk.client_id, "patrol_id": chunk.patrol_id,
            "points": len(chunk.points), "kept": chunk.kept, "removed": chunk.removed,
            "distance_m": round(chunk.distance_m, 1), "first_at": chunk.first_at,
            "last_at": chunk.last_at}


def detail(session: Session, *, patrol: Patrol) -> dict[str, Any]:
    """Everything about one patrol the caller may already see."""
    members = session.scalars(select(PatrolMember).where(PatrolMember.patrol_id == patrol.id)
                              .order_by(PatrolMember.id))
    changes = session.scalars(select(StatusChange).where(StatusChange.patrol_id == patrol.id)
                              .order_by(StatusChange.id))
    chunks = list(session.scalars(select(TrackChunk).where(TrackChunk.patrol_id == patrol.id)
                                  .order_by(TrackChunk.first_at, TrackChunk.id)))
    check_ins = list(session.scalars(select(CheckIn).where(CheckIn.patrol_id == patrol.id)
                                     .order_by(CheckIn.device_at, CheckIn.id)))
    observations = list(session.scalars(select(Observation).where(
        Observation.patrol_id == patrol.id).order_by(Observation.device_at, Observation.id)))
    codes = dict(session.execute(select(ObservationCategory.id, ObservationCategory.code).where(
        ObservationCategory.id.in_({o.category_id for o in observations}))).all())
    photos_in = attachments.of_records(session, CheckIn.record_kind, [c.id for c in check_ins])
    photos_ob = attachments.of_records(session, Observation.record_kind,
                                       [o.id for o in observations])
    removed = [{"chunk_id": c.id, "index": int(i), "reason": reason, "at": c.points[i][0],
                "lon": c.points[i][1], "lat": c.points[i][2]}
               for c in chunks for i, reason in c.removed]
    lines = [line for line in tracks.kept_lines(chunks) if line]
    return {
        **summary(patrol).model_dump(),
        "members": [{"user_id": m.user_id, "name": m.name, "agency_id": m.agency_id,
                     "is_leader": m.is_leader, "is_pilot": m.is_pilot} for m in members],
        "status_changes": [{"action": c.action, "device_at": c.device_at,
                            "received_at": c.received_at, "lon": c.lon, "lat": c.lat,
                            "by_user_id": c.by_user_id} for c in changes],
        "track": {"type": "Feature", "properties": {"distance_m": round(patrol.distance_m, 1)},
                  "geometry": {"type": "MultiLineString",
                               "coordinates": [[list(p) for p in line] for line in lines]}},
        "chunks": [chunk_public(c) for c in chunks],
        "removed_points": removed,
        "check_ins": [{**check_in_public(c), "photo_ids": [a.id for a in photos_in[c.id]]}
                      for c in check_ins],
        "observations": [{**observation_public(o, codes.get(o.category_id)),
                          "photo_ids": [a.id for a in photos_ob[o.id]]} for o in observations],
    }


# --- visibility of patrols and what hangs on them (live stream, attachments) ----------------

def _may_see_patrol(session: Session, user: User, record_id: int) -> bool:
    return find_visible(session, user=user, patrol_id=record_id) is not None


def _via_patrol(model: Any):
    def check(session: Session, user: User, record_id: int) -> bool:
        patrol_id = session.scalar(select(model.patrol_id).where(model.id == record_id))
        return patrol_id is not None and _may_see_patrol(session, user, patrol_id)
    return check


def _may_see_sos(session: Session, user: User, record_id: int) -> bool:
    sos = session.get(Sos, record_id)
    if sos is None or not capabilities.can(user, "patrols.read"):
        return False
    if sos.patrol_id is not None:
        return _may_see_patrol(session, user, sos.patrol_id)
    return sos.owner_org_id == user.organisation_id or sos.by_user_id == user.id


def _may_attach(model: Any):
    def check(session: Session, user: User, record_id: int) -> None:
        patrol_id = session.scalar(select(model.patrol_id).where(model.id == record_id))
        if patrol_id is None or not _may_see_patrol(session, user, patrol_id):
            raise NotFound(_("No such record."))
        capabilities.require(user, "patrols.record")
    return check


events.register_visibility(KIND, _may_see_patrol)
events.register_visibility(CheckIn.record_kind, _via_patrol(CheckIn))
events.register_visibility(Observation.record_kind, _via_patrol(Observation))
events.register_visibility(SOS_KIND, _may_see_sos)
attachments.register_owner(CheckIn.record_kind, _may_attach(CheckIn))
attachments.register_owner(Observation.record_kind, _may_attach(Observation))

register_labels(PatrolStatus, labels={
    PatrolStatus.PLANNED.value: lazy("Planned"), PatrolStatus.UNDER_WAY.value: lazy("Under way"),
    PatrolStatus.PAUSED.value: lazy("Paused"), PatrolStatus.ENDED.value: lazy("Ended"),
    PatrolStatus.CANCELLED.value: lazy("Cancelled")})
register_labels(Transport, labels={
    Transport.FOOT.value: lazy("On foot"), Transport.VEHICLE.value: lazy("Vehicle"),
    Transport.MOTORBIKE.value: lazy("Motorbike"), Transport.BOAT.value: lazy("Boat"),
    Transport.DRONE.value: lazy("Drone")})
register_labels(Period, labels={Period.DAY.value: lazy("Day"), Period.WEEK.value: lazy("Week"),
                                Period.MONTH.value: lazy("Month")})
register_labels(namespace="patrol_action", labels={
    "start": lazy("Start"), "pause": lazy("Pause"), "resume": lazy("Resume"),
    "end": lazy("End"), "cancel": lazy("Cancel")})
register_labels(namespace="check_in_method", labels={
    "geofence": lazy("Within the radius"), "qr": lazy("QR code"),
    "message": lazy("Short message")})
register_labels(namespace="track_removal", labels={
    "time": lazy("Out of time order"), "accuracy": lazy("Poor accuracy"),
    "speed": lazy("Impossible speed"), "outlier": lazy("Outlier")})
register_labels(namespace="record_kind", labels={
    KIND: lazy("Patrol"), CheckIn.record_kind: lazy("Check-in"),
    Observation.record_kind: lazy("Observation"), SOS_KIND: lazy("SOS")})
