"""Patrols as they happen, from the phone: start, pause/resume/end, track, check-ins,
observations, photos. Every call is idempotent by the phone's ids (``op_id`` for a status
change, ``client_id`` for a record): a replay answers with what is stored and changes nothing,
the same id with other content is a 409 naming the field (``service.replay``).

State machine: planned -> under_way <-> paused -> ended; planned -> cancelled. Each status
change keeps the phone's time beside the server's; the phone's times may not run backwards.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.attachments import service as attachments
from bastion.attachments import sniff
from bastion.attachments.models import Attachment
from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.geo.checkpoints import qr_matches
from bastion.border.geo.models import Checkpoint, DefenceSegment
from bastion.border.patrols import categories, service, tracks
from bastion.border.patrols.models import (
    CheckIn,
    Observation,
    Patrol,
    PatrolMember,
    PatrolStatus,
    PlannedCheckpoint,
    StatusChange,
    TrackChunk,
)
from bastion.border.patrols.schemas import CheckInIn, MemberIn, ObservationIn, StartIn, StatusIn
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Invalid, NotFound
from bastion.core.events import EventRecord
from bastion.core.geo import haversine_m
from bastion.core.i18n import gettext as _
from bastion.core.marking import AreaAssignment, visible_to
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User

S = PatrolStatus
# action -> (states it may follow, state it leads to)
MOVES = {"pause": ({S.UNDER_WAY}, S.PAUSED), "resume": ({S.PAUSED}, S.UNDER_WAY),
         "end": ({S.UNDER_WAY, S.PAUSED}, S.ENDED), "cancel": ({S.PLANNED}, S.CANCELLED)}
POST_KINDS = (AgencyKind.JOINT_DEFENCE_POST, AgencyKind.JOINT_DEFENCE_COMMAND)
TRACK_EVENT_EVERY_S = 60  # patrol.track at most once a minute per patrol (the live picture)
# A phone's clock may run a little ahead; a time beyond this (or before 2000) is a wrong clock,
# and stored it would refuse every later real action (times may not run backwards).
DEVICE_AHEAD = timedelta(hours=24)
DEVICE_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
PARTNER_KINDS = (AgencyKind.BORDER_POLICE, AgencyKind.ARMY, AgencyKind.PUBLIC_SECURITY)


def device_time(at: datetime) -> None:
    """422 naming ``device_at`` when the phone's time is before 2000 or over a day ahead."""
    if at < DEVICE_EARLIEST or at > utcnow() + DEVICE_AHEAD:
        raise Invalid(_("The phone's time %(at)s is not plausible: check the phone's clock.")
                      % {"at": at.isoformat()}, field="device_at")


def area_segments(session: Session, post: Agency) -> set[int]:
    """The segments of a post: its own and those assigned to it."""
    assigned = set(session.scalars(select(AreaAssignment.area_id).where(
        AreaAssignment.agency_id == post.id, AreaAssignment.area_kind == "segment")))
    return assigned | set(session.scalars(select(DefenceSegment.id).where(
        DefenceSegment.post_agency_id == post.id)))


def segment_of_post(session: Session, post: Agency, segment: DefenceSegment | None) -> None:
    """422 naming ``segment_id`` when the segment is not one of the post's."""
    if segment is not None and segment.id not in area_segments(session, post):
        raise Invalid(_("Segment %(code)s is not one of this post's.") % {"code": segment.code},
                      field="segment_id")


def may_record_for(session: Session, user: User, post: Agency) -> None:
    """Who records for which post: a post's people for their own post only; the command's
    people for any of its posts; partners (police, army, public security) for a post whose
    command shares at least one of that post's segments with them by name (the map they
    patrol with); anyone else is refused (422 naming ``post_agency_id``, as plans are)."""
    if user.agency.kind == AgencyKind.JOINT_DEFENCE_POST:
        ok = post.id == user.agency_id
    elif user.organisation_id == post.organisation_id:
        ok = True
    elif user.agency.kind in PARTNER_KINDS:
        mine = area_segments(session, post)
        ok = bool(mine) and session.scalar(select(DefenceSegment.id).where(
            DefenceSegment.id.in_(mine), visible_to(DefenceSegment, user)).limit(1)) is not None
    else:
        ok = False
    if not ok:
        raise Invalid(_("You cannot record patrols for agency %(id)s.") % {"id": post.id},
                      field="post_agency_id")


def _fix(row: Any) -> dict[str, Any]:
    return {"device_at": row.device_at, "lon": row.lon, "lat": row.lat}


def both_or_neither(data: Any) -> None:
    """A position is a longitude and a latitude, or none at all."""
    if (data.lon is None) != (data.lat is None):
        raise Invalid(_("Give both longitude and latitude, or neither."),
                      field="lat" if data.lat is None else "lon")


def _segment(session: Session, user: User, segment_id: int) -> DefenceSegment:
    segment = session.scalar(select(DefenceSegment).where(
        DefenceSegment.id == segment_id, visible_to(DefenceSegment, user)))
    if segment is None:
        raise Invalid(_("There is no segment %(id)s.") % {"id": segment_id}, field="segment_id")
    return segment


def _post_of(session: Session, user: User, data: StartIn, segment: DefenceSegment | None):
    post_id = data.post_agency_id or (segment.post_agency_id if segment else None)
    if post_id is None and user.agency.kind == AgencyKind.JOINT_DEFENCE_POST:
        post_id = user.agency_id
    if post_id is None:
        raise Invalid(_("Say which post the patrol belongs to."), field="post_agency_id")
    post = service.agency(session, post_id, "post_agency_id")
    if post.kind not in POST_KINDS:
        raise Invalid(_("Agency %(id)s is not a joint-defence post.") % {"id": post_id},
                      field="post_agency_id")
    return post


def set_members(session: Session, patrol: Patrol, members: list[MemberIn]) -> list:
    """Replace the members (checked: agencies and users exist, at most one leader; every
    member is of the patrol's command (or its posts) or of a partner agency: border police,
    army, public security)."""
    leaders = [i for i, m in enumerate(members) if m.is_leader]
    if len(leaders) > 1:
        raise Invalid(_("A patrol has one leader."), field=f"members[{leaders[1]}].is_leader")
    found = []
    for i, member in enumerate(members):
        agency = service.agency(session, member.agency_id, f"members[{i}].agency_id")
        if member.user_id is not None:
            person = session.get(User, member.user_id)
            if person is None or person.agency_id != agency.id:
                raise Invalid(_("User %(id)s is not a member of that agency.")
                              % {"id": member.user_id}, field=f"members[{i}].user_id")
        if agency.organisation_id != patrol.owner_org_id and agency.kind not in PARTNER_KINDS:
            where = "user_id" if member.user_id is not None else "agency_id"
            raise Invalid(_("Agency %(id)s is neither of this command nor a partner: its people "
                            "cannot be members of the patrol.") % {"id": agency.id},
                          field=f"members[{i}].{where}")
        found.append(agency)
    for old in session.scalars(select(PatrolMember).where(PatrolMember.patrol_id == patrol.id)):
        session.delete(old)
    session.flush()
    session.add_all(PatrolMember(patrol_id=patrol.id, user_id=m.user_id, name=m.name.strip(),
                                 agency_id=m.agency_id, is_leader=m.is_leader,
                                 is_pilot=m.is_pilot) for m in members)
    session.flush()
    return found


def _change(session: Session, *, user: User, patrol: Patrol, op_id: str, action: str,
            data: Any) -> StatusChange:
    both_or_neither(data)
    device_time(data.device_at)
    last = session.scalar(select(StatusChange).where(StatusChange.patrol_id == patrol.id)
                          .order_by(StatusChange.id.desc()).limit(1))
    if last is not None and last.device_at and data.device_at < last.device_at:
        raise Invalid(_("The phone's time %(at)s is before the patrol's last change "
                        "(%(last)s).") % {"at": data.device_at.isoformat(),
                                         "last": last.device_at.isoformat()}, field="device_at")
    change = StatusChange(client_id=op_id, patrol_id=patrol.id, action=action,
                          device_at=data.device_at, lon=data.lon, lat=data.lat,
                          by_user_id=user.id)
    session.add(change)
    session.flush()
    return change


def start(session: Session, *, user: User, data: StartIn) -> tuple[Patrol, bool]:
    """Start a planned patrol, or a new one; ``(patrol, False)`` on a replay."""
    capabilities.require(user, "patrols.record")
    both_or_neither(data)
    device_time(data.device_at)
    op_id, client_id = str(data.op_id), str(data.patrol_id)
    done = session.scalar(select(StatusChange).where(StatusChange.client_id == op_id))
    if done is not None:
        patrol = service.get(session, user=user, patrol_id=done.patrol_id)
        service.replay({"action": done.action, "patrol_id": patrol.client_id, **_fix(done),
                        "transport": patrol.transport},
                       {"action": "start", "patrol_id": client_id, "device_at": data.device_at,
                        "lon": data.lon, "lat": data.lat, "transport": data.transport},
                       _("Operation %(id)s") % {"id": op_id})
        return patrol, False
    exists = session.scalar(select(Patrol.id).where(Patrol.client_id == client_id))
    segment = _segment(session, user, data.segment_id) if data.segment_id else None
    if exists is not None:
        patrol = service.get(session, user=user, patrol_id=exists)
        if patrol.status != S.PLANNED:
            raise Conflict(_("The patrol is %(status)s: it cannot start.")
                           % {"status": patrol.status.value}, field="status")
        if segment is not None:
            post = service.agency(session, patrol.post_agency_id, "post_agency_id")
            segment_of_post(session, post, segment)
            patrol.segment_id = segment.id
    else:
        post = _post_of(session, user, data, segment)
        may_record_for(session, user, post)
        if segment is not None and segment.owner_org_id != post.organisation_id:
            raise Invalid(_("The segment is not on this post's command's map."),
                          field="segment_id")
        segment_of_post(session, post, segment)
        patrol = Patrol(client_id=client_id, post_agency_id=post.id,
                        segment_id=segment.id if segment else None,
                        owner_org_id=post.organisation_id, created_by_id=user.id)
        session.add(patrol)
        session.flush()
    members = data.members or ([] if exists else [MemberIn(
        user_id=user.id, name=user.display_name[:100], agency_id=user.agency_id,
        is_leader=True)])
    if members:
        agencies = set_members(session, patrol, members)
    else:
        agencies = [service.agency(session, m.agency_id, "members") for m in session.scalars(
            select(PatrolMember).where(PatrolMember.patrol_id == patrol.id))]
    patrol.transport = data.transport
    patrol.objective = data.objective or patrol.objective
    patrol.status = S.UNDER_WAY
    patrol.started_at, patrol.started_device_at = utcnow(), data.device_at
    service.mark(session, patrol, agencies)
    _change(session, user=user, patrol=patrol, op_id=op_id, action="start", data=data)
    audit.record(session, action=AuditAction.UPDATE if exists else AuditAction.CREATE,
                 actor=user, record_kind=service.KIND, record_id=patrol.id,
                 summary=f"patrol {patrol.id} started")
    service.emit(session, kind="patrol.started", user=user, patrol=patrol)
    return patrol, True


def _moving_s(session: Session, patrol: Patrol) -> float:
    """Time under way by the phone's clock: start/resume to pause/end."""
    total, since = 0.0, None
    for change in session.scalars(select(StatusChange).where(StatusChange.patrol_id == patrol.id)
                                  .order_by(StatusChange.id)):
        if change.action in ("start", "resume"):
            since = change.device_at
        elif change.action in ("pause", "end") and since is not None and change.device_at:
            total += (change.device_at - since).total_seconds()
            since = None
    return total


def change_status(session: Session, *, user: User, patrol_id: str,
                  data: StatusIn) -> tuple[Patrol, bool]:
    patrol = service.get_by_client_id(session, user=user, client_id=patrol_id)
    capabilities.require(user, "patrols.plan" if data.action == "cancel" else "patrols.record")
    op_id = str(data.op_id)
    done = session.scalar(select(StatusChange).where(StatusChange.client_id == op_id))
    if done is not None:
        service.replay({"patrol_id": str(done.patrol_id), "action": done.action, **_fix(done)},
                       {"patrol_id": str(patrol.id), "action": data.action,
                        "device_at": data.device_at, "lon": data.lon, "lat": data.lat},
                       _("Operation %(id)s") % {"id": op_id})
        return patrol, False
    allowed, after = MOVES[data.action]
    if patrol.status not in allowed:
        raise Conflict(_("A patrol that is %(status)s cannot %(action)s.")
                       % {"status": patrol.status.value, "action": data.action}, field="action")
    _change(session, user=user, patrol=patrol, op_id=op_id, action=data.action, data=data)
    patrol.status = after
    if after == S.ENDED:
        patrol.ended_at, patrol.ended_device_at = utcnow(), data.device_at
        patrol.moving_s = _moving_s(session, patrol)
    if after in (S.ENDED, S.CANCELLED):
        audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=service.KIND,
                     record_id=patrol.id, summary=f"patrol {patrol.id} {after.value}")
    kind = {"pause": "paused", "resume": "resumed", "end": "ended", "cancel": "cancelled"}
    service.emit(session, kind=f"patrol.{kind[data.action]}", user=user, patrol=patrol)
    return patrol, True


def add_track(session: Session, *, user: User, patrol_id: str, client_id: str,
              points: list[list[Any]]) -> tuple[TrackChunk, bool]:
    patrol = service.for_recording(session, user=user, client_id=patrol_id)
    chunk, created = tracks.add_chunk(session, patrol=patrol, client_id=client_id, points=points)
    if created:
        recent = session.scalar(select(EventRecord.at).where(
            EventRecord.kind == "patrol.track", EventRecord.record_kind == service.KIND,
            EventRecord.record_id == patrol.id).order_by(EventRecord.id.desc()).limit(1))
        if recent is None or (utcnow() - recent).total_seconds() >= TRACK_EVENT_EVERY_S:
            service.emit(session, kind="patrol.track", user=user, patrol=patrol,
                         lon=patrol.last_lon, lat=patrol.last_lat,
                         at=patrol.last_fix_at.isoformat() if patrol.last_fix_at else None)
    return chunk, created


def _in_windows(windows: list[list[str]], at: datetime, zone: ZoneInfo) -> bool:
    if not windows:
        return True
    local = at.astimezone(zone).time()
    return any(time.fromisoformat(a) <= local <= time.fromisoformat(b) for a, b in windows)


def _qr_ok(checkpoint: Checkpoint, text: str | None) -> None:
    if not qr_matches(checkpoint, text or ""):
        raise Invalid(_("The scanned code is not this checkpoint's."), field="qr_text")


def check_in(session: Session, *, user: User, patrol_id: str, data: CheckInIn,
             zone: str = "Asia/Shanghai") -> tuple[CheckIn, bool]:
    patrol = service.for_recording(session, user=user, client_id=patrol_id)
    device_time(data.device_at)
    client_id = str(data.client_id)
    given = {"patrol_id": patrol.id, "checkpoint_id": data.checkpoint_id, "method": data.method,
             "device_at": data.device_at, "lon": data.lon, "lat": data.lat,
             "accuracy_m": data.accuracy_m}
    done = session.scalar(select(CheckIn).where(CheckIn.client_id == client_id))
    if done is not None:
        service.replay({k: getattr(done, k) for k in given}, given,
                       _("Check-in %(id)s") % {"id": client_id})
        return done, False
    checkpoint = session.scalar(select(Checkpoint).where(
        Checkpoint.id == data.checkpoint_id, Checkpoint.active, visible_to(Checkpoint, user)))
    if checkpoint is None:
        raise Invalid(_("There is no checkpoint %(id)s.") % {"id": data.checkpoint_id},
                      field="checkpoint_id")
    both_or_neither(data)
    if data.method == "qr":
        _qr_ok(checkpoint, data.qr_text)
    elif data.method == "geofence" and data.lon is None:
        raise Invalid(_("A geofence check-in needs a position."), field="lon")
    distance = None if data.lon is None else haversine_m(data.lat, data.lon, checkpoint.lat,
                                                         checkpoint.lon)
    planned = session.scalar(select(PlannedCheckpoint).where(
        PlannedCheckpoint.patrol_id == patrol.id,
        PlannedCheckpoint.checkpoint_id == checkpoint.id))
    if planned is not None and (planned.window_start or planned.window_end):
        in_window = ((planned.window_start is None or planned.window_start <= data.device_at)
                     and (planned.window_end is None or data.device_at <= planned.window_end))
    else:
        in_window = _in_windows(checkpoint.windows, data.device_at, ZoneInfo(zone))
    row = CheckIn(client_id=client_id, **given, by_user_id=user.id,
                  distance_m=None if distance is None else round(distance, 1),
                  within_radius=distance is not None and distance <= checkpoint.radius_m,
                  within_window=in_window)
    session.add(row)
    session.flush()
    service.emit(session, kind="patrol.check_in", user=user, patrol=patrol, check_in_id=row.id,
                 checkpoint_id=checkpoint.id, within_radius=row.within_radius,
                 within_window=row.within_window)
    return row, True


def observe(session: Session, *, user: User, patrol_id: str,
            data: ObservationIn) -> tuple[Observation, bool]:
    patrol = service.for_recording(session, user=user, client_id=patrol_id)
    device_time(data.device_at)
    client_id = str(data.client_id)
    both_or_neither(data)
    category = categories.find(session, owner_org_id=patrol.owner_org_id,
                               code=data.category_code)
    clean = categories.validate(category, data.attributes)
    given = {"patrol_id": patrol.id, "category_id": category.id, "attributes": clean,
             "note": data.note, "device_at": data.device_at, "lon": data.lon, "lat": data.lat}
    done = session.scalar(select(Observation).where(Observation.client_id == client_id))
    if done is not None:
        stored = {k: getattr(done, k) for k in given}
        service.replay(stored | {"category_code": session.get(
            type(category), done.category_id).code}, {"category_code": category.code, **given},
            _("Observation %(id)s") % {"id": client_id})
        return done, False
    row = Observation(client_id=client_id, **given, by_user_id=user.id)
    session.add(row)
    session.flush()
    service.emit(session, kind="patrol.observation", user=user, patrol=patrol,
                 observation_id=row.id, category=category.code)
    return row, True


RECORDS = {"check_in": CheckIn, "observation": Observation}


def add_photo(session: Session, *, user: User, record: str, client_id: str, filename: str,
              data: bytes, max_bytes: int) -> tuple[Attachment, bool]:
    """A photo on a check-in or observation; the same bytes twice on a record store one."""
    model = RECORDS[record]
    row = session.scalar(select(model).where(model.client_id == client_id))
    if row is None or service.find_visible(session, user=user, patrol_id=row.patrol_id) is None:
        raise NotFound(_("No such record."))
    digest = hashlib.sha256(data).hexdigest()
    for stored in attachments.of_records(session, model.record_kind, [row.id]).get(row.id, []):
        if stored.sha256 == digest:
            return stored, False
    try:
        found = sniff.sniff(data, filename)
    except sniff.Refused:
        found = None  # attachments.add says why, naming the file
    if found is not None and not found.content_type.startswith("image/"):
        raise Invalid(_("This file is not a photo (it is %(type)s).")
                      % {"type": found.content_type}, field="file")
    return attachments.add(session, user=user, record_kind=model.record_kind, record_id=row.id,
                           filename=filename, data=data, max_bytes=max_bytes), True
