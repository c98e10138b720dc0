"""Blind-spot surveys: a post or the command walks a segment or an area and records the
camera blind spots found and the camera points it proposes (points with a note); the command
approves a proposed point and marks it installed. GREEN to the land-border partners that
read surveys (``hazards.surveys.read``), narrowed to the post like hazards; village
committees do not see camera positions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Forbidden, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.core.marking import TLP, Distribution
from bastion.hazards import access
from bastion.hazards.models import PointKind, PointStatus, Survey, SurveyPoint
from bastion.hazards.schemas import PointStatusIn, SurveyIn
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User
from bastion.org.sharing import MarkingIn, apply_marking

KIND = Survey.record_kind
# the order a camera point goes through; a step back is refused (409)
STEPS = [PointStatus.PROPOSED, PointStatus.APPROVED, PointStatus.INSTALLED]

POINT_KINDS = {"blind_spot": lazy("Blind spot"), "camera": lazy("Proposed camera point")}
POINT_STATUSES = {"proposed": lazy("Proposed"), "approved": lazy("Approved"),
                  "installed": lazy("Installed")}
register_labels(PointKind, namespace="hazard_point", labels=POINT_KINDS)
register_labels(PointStatus, namespace="hazard_point_status", labels=POINT_STATUSES)
register_labels(namespace="record_kind", labels={KIND: lazy("Blind-spot survey")})


def list_query(user: User) -> Select[tuple[Survey]]:
    capabilities.require(user, "hazards.surveys.read")
    return access.surveys_query(user).order_by(Survey.surveyed_on.desc(), Survey.id.desc())


def get(session: Session, *, user: User, survey_id: int) -> Survey:
    capabilities.require(user, "hazards.surveys.read")
    return access.find_survey(session, user=user, survey_id=survey_id)


def points(session: Session, survey: Survey) -> list[SurveyPoint]:
    return list(session.scalars(select(SurveyPoint).where(SurveyPoint.survey_id == survey.id)
                                .order_by(SurveyPoint.kind, SurveyPoint.id)))


def point_public(p: SurveyPoint) -> dict[str, Any]:
    return {"id": p.id, "kind": p.kind.value, "lon": p.lon, "lat": p.lat, "note": p.note,
            "status": p.status.value if p.kind == PointKind.CAMERA else None,
            "changed_at": p.changed_at}


def public(session: Session, survey: Survey) -> dict[str, Any]:
    found = points(session, survey)
    return {"id": survey.id, "title": survey.title, "post_agency_id": survey.post_agency_id,
            "segment_id": survey.segment_id, "surveyed_on": survey.surveyed_on,
            "area": survey.area, "walked_km": survey.walked_km, "note": survey.note,
            "exercise": survey.exercise, "synthetic": survey.synthetic,
            "blind_spots": sum(1 for p in found if p.kind == PointKind.BLIND_SPOT),
            "camera_points": sum(1 for p in found if p.kind == PointKind.CAMERA),
            "points": [point_public(p) for p in found]}


def create(session: Session, *, user: User, data: SurveyIn,
           now: datetime | None = None) -> Survey:
    capabilities.require(user, "hazards.surveys.write")
    now = now or utcnow()
    if data.surveyed_on > now.date():
        raise Invalid(_("The survey cannot be in the future."), field="surveyed_on")
    if user.agency.kind == AgencyKind.JOINT_DEFENCE_POST:
        post_id: int | None = user.agency_id
    elif data.post_agency_id is not None:
        post = session.get(Agency, data.post_agency_id)
        if (post is None or post.kind != AgencyKind.JOINT_DEFENCE_POST
                or post.organisation_id != user.organisation_id):
            raise Invalid(_("Choose one of your command's posts."), field="post_agency_id")
        post_id = post.id
    else:
        post_id = None
    if data.area is not None and data.area.get("type") not in ("LineString", "Polygon"):
        raise Invalid(_("The area walked must be a line or a polygon."), field="area")
    survey = Survey(title=data.title.strip(), post_agency_id=post_id, segment_id=data.segment_id,
                    surveyed_on=data.surveyed_on, area=data.area, walked_km=data.walked_km,
                    note=data.note.strip(), exercise=data.exercise,
                    owner_org_id=user.organisation_id, created_by_id=user.id, created_at=now)
    session.add(survey)
    session.flush()
    apply_marking(session, survey, MarkingIn(tlp=TLP.GREEN, distribution=Distribution.ALL))
    session.add_all(SurveyPoint(survey_id=survey.id, kind=p.kind, lon=p.lon, lat=p.lat,
                                note=p.note.strip(), status=PointStatus.PROPOSED, changed_at=now)
                    for p in data.points)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=survey.id, summary=f"blind-spot survey {survey.id} recorded",
                 detail={"points": len(data.points)})
    events.emit(session, kind="hazard_survey.recorded", actor_id=user.id, record_kind=KIND,
                record_id=survey.id, payload={"points": len(data.points)})
    return survey


def add_point(session: Session, *, user: User, survey_id: int, data: Any) -> SurveyPoint:
    capabilities.require(user, "hazards.surveys.write")
    survey = get(session, user=user, survey_id=survey_id)
    point = SurveyPoint(survey_id=survey.id, kind=data.kind, lon=data.lon, lat=data.lat,
                        note=data.note.strip(), status=PointStatus.PROPOSED)
    session.add(point)
    session.flush()
    events.emit(session, kind="hazard_survey.point_added", actor_id=user.id, record_kind=KIND,
                record_id=survey.id, payload={"point_id": point.id, "kind": point.kind.value})
    return point


def set_status(session: Session, *, user: User, survey_id: int, point_id: int,
               data: PointStatusIn) -> SurveyPoint:
    """The command approves a proposed camera point, then marks it installed."""
    survey = get(session, user=user, survey_id=survey_id)
    if not access.commands(user, survey.owner_org_id):
        raise Forbidden(_("Only the command approves camera points."))
    point = session.scalar(select(SurveyPoint).where(SurveyPoint.id == point_id,
                                                     SurveyPoint.survey_id == survey.id))
    if point is None:
        raise NotFound(_("No such point."))
    if point.kind != PointKind.CAMERA:
        raise Conflict(_("Only a camera point has a status."), field="status")
    if STEPS.index(data.status) != STEPS.index(point.status) + 1:
        raise Conflict(_("A %(from)s camera point cannot become %(to)s.")
                       % {"from": point.status.value, "to": data.status.value}, field="status")
    before = point.status
    point.status, point.changed_at = data.status, utcnow()
    session.flush()
    events.emit(session, kind="hazard_survey.point_status", actor_id=user.id, record_kind=KIND,
                record_id=survey.id, payload={"point_id": point.id, "from": before.value,
                                              "to": point.status.value})
    return point
