"""What the command asks and plans: targets per post (and segment) per day, week or month,
and planned patrols (members of several agencies with a leader, transport, route, the
checkpoints to visit with their windows). Also the field kit: everything a phone needs to
record a patrol with no network (segments, checkpoints, categories, today's plans)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.geo.models import Checkpoint, DefenceSegment
from bastion.border.patrols import categories, field, service
from bastion.border.patrols.models import (
    Patrol,
    PatrolMember,
    PatrolStatus,
    PatrolTarget,
    PlannedCheckpoint,
    Transport,
)
from bastion.border.patrols.schemas import PlanIn, TargetIn
from bastion.core.db import utcnow
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.labels import label
from bastion.core.marking import visible_to
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User

PARTNER_KINDS = field.PARTNER_KINDS


def _own_post(user: User) -> Agency | None:
    return user.agency if user.agency.kind == AgencyKind.JOINT_DEFENCE_POST else None


def _plannable_post(session: Session, user: User, post_id: int) -> Agency:
    """A post of the planner's own command; a post plans only for itself."""
    post = service.agency(session, post_id, "post_agency_id")
    mine = _own_post(user)
    if (post.kind != AgencyKind.JOINT_DEFENCE_POST or post.organisation_id != user.organisation_id
            or (mine is not None and mine.id != post.id)):
        raise Invalid(_("You cannot plan for agency %(id)s.") % {"id": post_id},
                      field="post_agency_id")
    return post


# --- targets ------------------------------------------------------------------------------

def targets_query(user: User):
    capabilities.require(user, "patrols.read")
    mine = _own_post(user)
    query = select(PatrolTarget).where(PatrolTarget.owner_org_id == user.organisation_id,
                                       PatrolTarget.active)
    if mine is not None:
        query = query.where(PatrolTarget.post_agency_id == mine.id)
    return query.order_by(PatrolTarget.post_agency_id, PatrolTarget.id)


def add_target(session: Session, *, user: User, data: TargetIn) -> PatrolTarget:
    capabilities.require(user, "patrols.plan")
    post = _plannable_post(session, user, data.post_agency_id)
    if data.segment_id is not None:
        field.segment_of_post(session, post, field._segment(session, user, data.segment_id))
    target = PatrolTarget(owner_org_id=post.organisation_id, post_agency_id=post.id,
                          segment_id=data.segment_id, period=data.period,
                          min_patrols=data.min_patrols, min_minutes=data.min_minutes)
    session.add(target)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind="patrol_target",
                 record_id=target.id, summary=f"patrol target {target.id}")
    return target


# --- planned patrols ----------------------------------------------------------------------

def _check_route(route: dict[str, Any] | None) -> None:
    if route is None:
        return
    geometry = route.get("geometry", route) if route.get("type") == "Feature" else route
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    lines = [coords] if kind == "LineString" else coords if kind == "MultiLineString" else None
    if not isinstance(lines, list) or not lines:
        raise Invalid(_("A route is a GeoJSON LineString or MultiLineString."), field="route")
    for i, line in enumerate(lines):
        if not isinstance(line, list) or len(line) < 2:
            raise Invalid(_("A line needs at least two points."), field=f"route.coordinates[{i}]")
        for j, point in enumerate(line):
            ok = (isinstance(point, list) and len(point) >= 2
                  and all(isinstance(v, int | float) and not isinstance(v, bool)
                          for v in point[:2])
                  and -180 <= point[0] <= 180 and -90 <= point[1] <= 90)
            if not ok:
                raise Invalid(_("Point %(n)d is not a longitude and latitude in range.")
                              % {"n": j}, field=f"route.coordinates[{i}][{j}]")


def plan(session: Session, *, user: User, data: PlanIn) -> tuple[Patrol, bool]:
    """A planned patrol (idempotent by its client id)."""
    capabilities.require(user, "patrols.plan")
    client_id = str(data.client_id)
    exists = session.scalar(select(Patrol).where(Patrol.client_id == client_id))
    if exists is not None:
        patrol = service.get(session, user=user, patrol_id=exists.id)
        service.replay({"post_agency_id": patrol.post_agency_id, "segment_id": patrol.segment_id,
                        "planned_start": patrol.planned_start, "planned_end": patrol.planned_end,
                        "transport": patrol.transport},
                       {"post_agency_id": data.post_agency_id, "segment_id": data.segment_id,
                        "planned_start": data.planned_start, "planned_end": data.planned_end,
                        "transport": data.transport}, _("Plan %(id)s") % {"id": client_id})
        return patrol, False
    post = _plannable_post(session, user, data.post_agency_id)
    if data.planned_end <= data.planned_start:
        raise Invalid(_("The end must come after the start."), field="planned_end")
    segment = field._segment(session, user, data.segment_id) if data.segment_id else None
    field.segment_of_post(session, post, segment)
    _check_route(data.route)
    seen: set[int] = set()
    points = []
    for i, item in enumerate(data.checkpoints):
        where = f"checkpoints[{i}]"
        checkpoint = session.scalar(select(Checkpoint).where(
            Checkpoint.id == item.checkpoint_id, Checkpoint.active,
            visible_to(Checkpoint, user)))
        if checkpoint is None or checkpoint.id in seen:
            raise Invalid(_("There is no checkpoint %(id)s, or it is named twice.")
                          % {"id": item.checkpoint_id}, field=f"{where}.checkpoint_id")
        if segment is not None and checkpoint.segment_id not in (None, segment.id):
            raise Invalid(_("Checkpoint %(code)s is not on the patrol's segment.")
                          % {"code": checkpoint.code}, field=f"{where}.checkpoint_id")
        if item.window_start and item.window_end and item.window_end <= item.window_start:
            raise Invalid(_("The end must come after the start."), field=f"{where}.window_end")
        seen.add(checkpoint.id)
        points.append(item)
    patrol = Patrol(client_id=client_id, post_agency_id=post.id,
                    segment_id=segment.id if segment else None, owner_org_id=post.organisation_id,
                    created_by_id=user.id, status=PatrolStatus.PLANNED,
                    transport=data.transport, objective=data.objective,
                    planned_start=data.planned_start, planned_end=data.planned_end,
                    route=data.route)
    session.add(patrol)
    session.flush()
    agencies = field.set_members(session, patrol, data.members)
    session.add_all(PlannedCheckpoint(patrol_id=patrol.id, checkpoint_id=p.checkpoint_id,
                                      position=i, window_start=p.window_start,
                                      window_end=p.window_end) for i, p in enumerate(points))
    service.mark(session, patrol, agencies)
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=service.KIND,
                 record_id=patrol.id, summary=f"patrol {patrol.id} planned")
    service.emit(session, kind="patrol.planned", user=user, patrol=patrol)
    return patrol, True


def members_of(session: Session, patrols: list[Patrol]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {p.id: [] for p in patrols}
    for m in session.scalars(select(PatrolMember).where(
            PatrolMember.patrol_id.in_(list(found))).order_by(PatrolMember.id)):
        found[m.patrol_id].append({"user_id": m.user_id, "name": m.name,
                                   "agency_id": m.agency_id, "is_leader": m.is_leader,
                                   "is_pilot": m.is_pilot})
    return found


def planned_checkpoints(session: Session, patrols: list[Patrol]) -> dict[int, list[dict]]:
    found: dict[int, list[dict[str, Any]]] = {p.id: [] for p in patrols}
    for c in session.scalars(select(PlannedCheckpoint).where(
            PlannedCheckpoint.patrol_id.in_(list(found))).order_by(PlannedCheckpoint.position)):
        found[c.patrol_id].append({"checkpoint_id": c.checkpoint_id,
                                   "window_start": c.window_start, "window_end": c.window_end})
    return found


# --- the field kit ------------------------------------------------------------------------

def _area_segments(session: Session, post: Agency) -> set[int]:
    return field.area_segments(session, post)


def field_kit(session: Session, *, user: User) -> dict[str, Any]:
    """What the patrol page caches to work offline: the user's segments and checkpoints,
    the observation tree, the plans of the next days, the people to pick as members."""
    capabilities.require(user, "patrols.record")
    post = _own_post(user)
    mine = _area_segments(session, post) if post else set()
    segments = list(session.scalars(select(DefenceSegment).where(
        visible_to(DefenceSegment, user), DefenceSegment.id.in_(mine) if mine else True)
        .order_by(DefenceSegment.code)))
    checkpoints = list(session.scalars(select(Checkpoint).where(
        visible_to(Checkpoint, user), Checkpoint.active,
        or_(Checkpoint.segment_id.in_(mine), Checkpoint.post_agency_id == post.id)
        if mine and post else True).order_by(Checkpoint.code)))
    now = utcnow()
    planned_q = service.visible_query(user).where(
        Patrol.status == PatrolStatus.PLANNED, Patrol.planned_end >= now - timedelta(hours=12),
        Patrol.planned_start <= now + timedelta(days=7))
    if post is not None:
        planned_q = planned_q.where(Patrol.post_agency_id == post.id)
    planned = list(session.scalars(planned_q.limit(200)))
    members, stops = members_of(session, planned), planned_checkpoints(session, planned)
    home = post or user.agency
    people = session.scalars(select(User).where(User.agency_id == home.id, User.active,
                                                ~User.system).order_by(User.display_name))
    partners = session.scalars(select(Agency).where(Agency.kind.in_(PARTNER_KINDS),
                                                    Agency.active).order_by(Agency.name))
    # Partner people the user has patrolled with (joint patrols they see, last 90 days):
    # never a list of every police officer, only names already shared with them.
    recent = service.visible_query(user).where(
        Patrol.joint, Patrol.started_at >= now - timedelta(days=90)).with_only_columns(
        Patrol.id).order_by(None).limit(500)
    fellows = session.execute(select(PatrolMember.name, PatrolMember.agency_id,
                                     PatrolMember.user_id).where(
        PatrolMember.patrol_id.in_(recent),
        PatrolMember.agency_id.not_in(select(Agency.id).where(
            or_(Agency.id == home.organisation_id,
                Agency.root_id == home.organisation_id)))).distinct().limit(200)).all()
    return {
        "user": {"id": user.id, "name": user.display_name, "agency_id": user.agency_id},
        "post": {"id": post.id, "name": post.name} if post else None,
        "segments": {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": s.id, "geometry": s.geometry,
             "properties": {"id": s.id, "code": s.code, "name": s.name,
                            "length_m": s.length_m, "post_agency_id": s.post_agency_id}}
            for s in segments]},
        "checkpoints": [{"id": c.id, "code": c.code, "name": c.name, "lon": c.lon, "lat": c.lat,
                         "radius_m": c.radius_m, "windows": c.windows,
                         "segment_id": c.segment_id} for c in checkpoints],
        "categories": categories.tree(session, owner_org_id=home.organisation_id),
        "planned": [{"client_id": p.client_id, "planned_start": p.planned_start,
                     "planned_end": p.planned_end, "segment_id": p.segment_id,
                     "transport": p.transport.value, "objective": p.objective,
                     "members": members[p.id], "checkpoints": stops[p.id]} for p in planned],
        "members": [{"user_id": u.id, "name": u.display_name, "agency_id": u.agency_id}
                    for u in people],
        "partners": [{"agency_id": a.id, "name": a.name, "kind": a.kind.value}
                     for a in partners],
        "partner_people": [{"name": f.name, "agency_id": f.agency_id, "user_id": f.user_id}
                           for f in fellows],
        "transports": [{"code": t.value, "label": label(t)} for t in Transport],
    }
