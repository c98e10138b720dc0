"""Hazards: report one (directly, from the phone, or from a patrol observation), move it
through its workflow (``workflow.py``), and read it back.

Reports are idempotent by the phone's ``client_id`` (the same content again is a replay,
answered 200; other content is a 409 naming the field) and by ``observation_id`` (an
observation becomes one hazard). Marking: GREEN to every land-border partner by default, a
smuggling trail AMBER (intelligence; ``data/categories.json``). Issuing a work order fires
``hazards.materials_drawn`` (supplies issues the stock); completing it needs the quantity in
the category's unit. Services never commit.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, case, select
from sqlalchemy.orm import Session

from bastion.attachments import service as attachments
from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.patrols import service as patrols
from bastion.core import context, events, reactions
from bastion.core import workflow as core_workflow
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Forbidden, Invalid, NotFound
from bastion.core.geo import geodesic_m
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.core.marking import TLP, Distribution
from bastion.hazards import access, categories
from bastion.hazards.models import Hazard, HazardStatus, MaterialLine, WorkOrder
from bastion.hazards.schemas import ActionIn, HazardIn
from bastion.hazards.workflow import OPEN, RULES, Actor
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User
from bastion.org.sharing import MarkingIn, apply_marking

KIND = Hazard.record_kind
FUTURE_SLACK = timedelta(minutes=5)
MAX_VERTICES = 2000

register_labels(HazardStatus, labels={
    "reported": lazy("Reported"), "triaged": lazy("Triaged"), "rejected": lazy("Rejected"),
    "ordered": lazy("Work order out"), "done": lazy("Repaired"), "verified": lazy("Verified")})
register_labels(namespace="hazard_action", labels={
    "reported": lazy("Reported"), "triage": lazy("Triage"), "reject": lazy("Reject"),
    "order": lazy("Issue work order"), "complete": lazy("Record the repair"),
    "verify": lazy("Verify"), "return": lazy("Send back")})
register_labels(namespace="record_kind", labels={KIND: lazy("Hazard")})


def zone() -> ZoneInfo:
    return ZoneInfo(context.current().timezone)


# --- reading ------------------------------------------------------------------------------

def list_query(user: User, *, status: HazardStatus | None = None, category: str | None = None,
               post_agency_id: int | None = None, overdue: bool | None = None,
               now: datetime | None = None) -> Select[tuple[Hazard]]:
    """The hazards the user may read (403 without ``hazards.read``): open ones first, newest
    first."""
    capabilities.require(user, "hazards.read")
    query = access.hazards_query(user)
    if status is not None:
        query = query.where(Hazard.status == status)
    if category is not None:
        query = query.where(Hazard.category == category)
    if post_agency_id is not None:
        query = query.where(Hazard.post_agency_id == post_agency_id)
    if overdue is not None:
        late = Hazard.id.in_(select(WorkOrder.hazard_id).where(WorkOrder.due_at < (now or utcnow())))
        late = late & (Hazard.status == HazardStatus.ORDERED)
        query = query.where(late if overdue else ~late)
    closed = case((Hazard.status.in_(OPEN), 0), else_=1)
    return query.order_by(closed, Hazard.observed_at.desc(), Hazard.id.desc())


def get(session: Session, *, user: User, hazard_id: int) -> Hazard:
    capabilities.require(user, "hazards.read")
    return access.find_hazard(session, user=user, hazard_id=hazard_id)


def order_of(session: Session, hazard: Hazard) -> WorkOrder | None:
    return session.scalar(select(WorkOrder).where(WorkOrder.hazard_id == hazard.id))


def orders_of(session: Session, hazards: Sequence[Hazard]) -> dict[int, WorkOrder]:
    """The work orders of many hazards, in one query (a list page)."""
    return {o.hazard_id: o for o in session.scalars(select(WorkOrder).where(
        WorkOrder.hazard_id.in_([h.id for h in hazards] or [0])))}


def overdue(order: WorkOrder | None, hazard: Hazard, now: datetime | None = None) -> bool:
    return (order is not None and hazard.status == HazardStatus.ORDERED
            and (now or utcnow()) > order.due_at)


def public(hazard: Hazard, order: WorkOrder | None = None,
           now: datetime | None = None) -> dict[str, Any]:
    cat = categories.get(hazard.category)
    return {
        "id": hazard.id, "client_id": hazard.client_id, "category": hazard.category,
        "unit": cat.unit if cat else None, "status": hazard.status.value,
        "title": hazard.shown_title, "note": hazard.note, "marker": hazard.marker,
        "geometry": hazard.geometry, "lon": hazard.lon, "lat": hazard.lat,
        "length_m": hazard.length_m, "estimate": hazard.estimate,
        "post_agency_id": hazard.post_agency_id, "owner_org_id": hazard.owner_org_id,
        "reported_by_agency_id": hazard.reported_by_agency_id,
        "segment_id": hazard.segment_id, "observation_id": hazard.observation_id,
        "observed_at": hazard.observed_at, "tlp": hazard.tlp.value,
        "exercise": hazard.exercise, "synthetic": hazard.synthetic,
        "reject_reason": hazard.reject_reason, "overdue": overdue(order, hazard, now),
        "work_order": order_public(order) if order else None,
    }


def order_public(order: WorkOrder, lines: list[MaterialLine] | None = None) -> dict[str, Any]:
    out = {"id": order.id, "assignee_agency_id": order.assignee_agency_id, "team": order.team,
           "instructions": order.instructions, "due_on": order.due_on, "due_at": order.due_at,
           "issued_at": order.issued_at, "done_on": order.done_on, "quantity": order.quantity,
           "done_note": order.done_note, "verified_at": order.verified_at,
           "escalated_level": order.escalated_level}
    if lines is not None:
        out["materials"] = [{"item_code": m.item_code, "item_name": m.item_name,
                             "quantity": m.quantity, "unit": m.unit} for m in lines]
    return out


def history(session: Session, hazard: Hazard) -> list[dict[str, Any]]:
    rows = session.execute(
        select(events.EventRecord, User.display_name)
        .outerjoin(User, User.id == events.EventRecord.actor_id)
        .where(events.EventRecord.record_kind == KIND, events.EventRecord.record_id == hazard.id,
               events.EventRecord.kind.like("hazard.%"))
        .order_by(events.EventRecord.at, events.EventRecord.id)).all()
    return [{"at": e.at, "kind": e.kind, "action": e.payload.get("action"),
             "from": e.payload.get("from"), "to": e.payload.get("to"),
             "reason": e.payload.get("reason"), "by": name, "by_id": e.actor_id}
            for e, name in rows if e.payload.get("action")]


def detail(session: Session, hazard: Hazard, *, user: User | None = None) -> dict[str, Any]:
    order = order_of(session, hazard)
    lines = list(session.scalars(select(MaterialLine).where(
        MaterialLine.work_order_id == order.id).order_by(MaterialLine.id))) if order else []
    photos = attachments.of_records(session, KIND, [hazard.id]).get(hazard.id, [])
    out = public(hazard, order)
    if order:
        out["work_order"] = order_public(order, lines)
    out["photo_ids"] = [a.id for a in photos]
    out["history"] = history(session, hazard)
    out["actions"] = allowed(user, hazard, order) if user is not None else []
    return out


def actor_of(user: User, hazard: Hazard, order: WorkOrder | None) -> Actor | None:
    if access.commands(user, hazard.owner_org_id):
        return Actor.COMMAND
    if (capabilities.can(user, "hazards.work") and order is not None
            and order.assignee_agency_id == user.agency_id):
        return Actor.POST
    return None


def allowed(user: User, hazard: Hazard, order: WorkOrder | None) -> list[str]:
    actor = actor_of(user, hazard, order)
    return RULES.allowed(hazard.status, actor) if actor else []


# --- reporting ----------------------------------------------------------------------------

def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _vertex(value: Any) -> tuple[float, float]:
    if (not isinstance(value, list | tuple) or len(value) < 2 or not _number(value[0])
            or not _number(value[1]) or not -180 <= value[0] <= 180 or not -90 <= value[1] <= 90):
        raise Invalid(_("Give the place as longitude and latitude in range."), field="geometry")
    return float(value[0]), float(value[1])


def place(data: HazardIn) -> tuple[dict[str, Any], float, float, float | None]:
    """(GeoJSON geometry, lon, lat, length in metres of a line) from the payload; 422 naming
    ``geometry`` for anything but a Point or a LineString in range."""
    geometry = data.geometry
    if geometry is None:
        if data.lon is None or data.lat is None:
            raise Invalid(_("Mark the place on the map or give a position."), field="geometry")
        geometry = {"type": "Point", "coordinates": [data.lon, data.lat]}
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind == "Point":
        lon, lat = _vertex(coords)
        return {"type": "Point", "coordinates": [lon, lat]}, lon, lat, None
    if kind == "LineString":
        if not isinstance(coords, list) or not 2 <= len(coords) <= MAX_VERTICES:
            raise Invalid(_("A line needs from 2 to %(n)s points.") % {"n": MAX_VERTICES},
                          field="geometry")
        points = [_vertex(c) for c in coords]
        length = sum(geodesic_m(a[1], a[0], b[1], b[0]) for a, b in itertools.pairwise(points))
        middle = points[len(points) // 2]
        return ({"type": "LineString", "coordinates": [list(p) for p in points]},
                middle[0], middle[1], round(length, 1))
    raise Invalid(_("The place must be a point or a line."), field="geometry")


def _post(session: Session, agency_id: int | None, user: User) -> Agency:
    post = session.get(Agency, agency_id) if agency_id else None
    if post is None or not post.active or post.kind != AgencyKind.JOINT_DEFENCE_POST:
        raise Invalid(_("Choose a joint-defence post."), field="post_agency_id")
    if (user.agency.kind == AgencyKind.JOINT_DEFENCE_COMMAND
            and post.organisation_id != user.organisation_id):
        raise Invalid(_("Choose one of your command's posts."), field="post_agency_id")
    return post


def _responsible(session: Session, user: User, data: HazardIn,
                 seen: dict[str, Any] | None) -> tuple[int | None, int]:
    """(post, owning organisation) of a new report."""
    if seen is not None:
        return seen["post_agency_id"], seen["owner_org_id"]
    if user.agency.kind == AgencyKind.JOINT_DEFENCE_POST:
        return user.agency_id, user.organisation_id
    if data.post_agency_id is None and user.agency.kind == AgencyKind.JOINT_DEFENCE_COMMAND:
        return None, user.organisation_id
    post = _post(session, data.post_agency_id, user)
    return post.id, post.organisation_id


def _replay(session: Session, user: User, data: HazardIn) -> Hazard | None:
    stored = None
    if data.client_id is not None:
        stored = session.scalar(select(Hazard).where(Hazard.client_id == str(data.client_id)))
    if stored is None and data.observation_id is not None:
        stored = session.scalar(select(Hazard).where(
            Hazard.observation_id == data.observation_id))
        if stored is not None:  # an observation becomes one hazard
            if not access.commands(user, stored.owner_org_id) and session.scalar(
                    access.hazards_query(user).where(Hazard.id == stored.id)) is None:
                raise Conflict(_("This observation is already reported as a hazard."),
                               field="observation_id")
            return stored
    if stored is None:
        return None
    if session.scalar(access.hazards_query(user).where(Hazard.id == stored.id)) is None:
        raise Conflict(_("This client id is already used."), field="client_id")
    given = {"category": data.category, "note": data.note.strip(),
             "observation_id": data.observation_id}
    for field, value in given.items():
        if getattr(stored, field) != value:
            raise Conflict(_("The report was sent before with a different %(field)s.")
                           % {"field": field}, field=field)
    return stored


def report(session: Session, *, user: User, data: HazardIn,
           now: datetime | None = None) -> tuple[Hazard, bool]:
    """Record a hazard report; returns it and whether it is new (False: a replay)."""
    capabilities.require(user, "hazards.report")
    now = now or utcnow()
    cat = categories.get(data.category)
    if cat is None:
        raise Invalid(_("Choose a category of hazard."), field="category")
    stored = _replay(session, user, data)
    if stored is not None:
        return stored, False
    seen = None
    if data.observation_id is not None:
        seen = patrols.observation_for(session, user=user, observation_id=data.observation_id)
        if seen is None:
            raise Invalid(_("There is no such patrol observation for you."),
                          field="observation_id")
        if data.geometry is None and data.lon is None and seen["lon"] is not None:
            data = data.model_copy(update={"lon": seen["lon"], "lat": seen["lat"]})
    geometry, lon, lat, length = place(data)
    observed = data.observed_at or (seen["device_at"] if seen else None) or data.device_at or now
    if observed > now + FUTURE_SLACK:
        raise Invalid(_("The hazard cannot have been seen in the future."), field="observed_at")
    post_id, owner = _responsible(session, user, data, seen)
    title = data.title.strip()  # none: shown as the category and marker (Hazard.shown_title)
    hazard = Hazard(
        client_id=str(data.client_id) if data.client_id else None, category=cat.code,
        status=HazardStatus.REPORTED, post_agency_id=post_id,
        reported_by_agency_id=user.agency_id, owner_org_id=owner, created_by_id=user.id,
        segment_id=data.segment_id or (seen["segment_id"] if seen else None),
        observation_id=data.observation_id, title=title[:200], note=data.note.strip(),
        marker=data.marker.strip(), geometry=geometry, lon=lon, lat=lat, length_m=length,
        estimate=data.estimate, observed_at=observed, device_at=data.device_at,
        exercise=data.exercise, created_at=now)
    session.add(hazard)
    session.flush()
    apply_marking(session, hazard, MarkingIn(tlp=TLP(cat.tlp), distribution=Distribution.ALL))
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=hazard.id, summary=f"hazard {hazard.id} reported",
                 detail={"category": cat.code, "observation_id": data.observation_id})
    core_workflow.record(session, kind="hazard.reported", record_kind=KIND,
                              record_id=hazard.id, actor_id=user.id, action="reported",
                              before=None, after=HazardStatus.REPORTED, reason=None,
                              category=cat.code, exercise=hazard.exercise)
    return hazard, True


# --- the workflow -------------------------------------------------------------------------

def _assignee(session: Session, hazard: Hazard, agency_id: int | None) -> Agency:
    unit = session.get(Agency, agency_id) if agency_id else None
    if unit is None or not unit.active or unit.organisation_id != hazard.owner_org_id:
        raise Invalid(_("Give the work order to a post or unit of the command."),
                      field="assignee_agency_id")
    return unit


def end_of_day(day: date) -> datetime:
    """The end of ``day`` in the command's zone, as UTC."""
    local = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone())
    return local.astimezone(ZoneInfo("UTC"))


def act(session: Session, *, user: User, hazard_id: int, data: ActionIn,
        now: datetime | None = None) -> Hazard:
    """Take one workflow action: 403 for who may not, 409 in the wrong state, 422 naming the
    missing or bad field."""
    now = now or utcnow()
    hazard = get(session, user=user, hazard_id=hazard_id)
    order = order_of(session, hazard)
    actor = actor_of(user, hazard, order)
    if actor is None:
        raise Forbidden(_("You cannot act on this hazard."))
    rule = RULES.step(hazard.status, data.action, actor=actor, reason=data.reason)
    before = hazard.status
    extra: dict[str, Any] = {}
    today = now.astimezone(zone()).date()
    if data.action == "reject":
        hazard.reject_reason = data.reason.strip()
    elif data.action == "order":
        unit = _assignee(session, hazard, data.assignee_agency_id)
        if data.due_on is None:
            raise Invalid(_("Give the due date."), field="due_on")
        if data.due_on < today:
            raise Invalid(_("The due date has passed."), field="due_on")
        order = WorkOrder(hazard_id=hazard.id, assignee_agency_id=unit.id,
                          team=data.team.strip(), instructions=data.instructions.strip(),
                          due_on=data.due_on, due_at=end_of_day(data.due_on),
                          issued_by_id=user.id, issued_at=now)
        session.add(order)
        session.flush()
        lines = [MaterialLine(work_order_id=order.id, item_code=m.item_code.strip(),
                              item_name=m.item_name.strip(), quantity=m.quantity,
                              unit=m.unit.strip()) for m in data.materials]
        session.add_all(lines)
        session.flush()
        extra = {"work_order_id": order.id, "assignee_agency_id": unit.id,
                 "due_on": data.due_on.isoformat()}
        if lines:
            # supplies (a domain beside the border) registers the reaction that issues stock
            reactions.fire(session, "hazards.materials_drawn", work_order_id=order.id,
                           post_agency_id=unit.id, actor_id=user.id,
                           lines=[{"item_code": m.item_code, "quantity": m.quantity}
                                  for m in lines])
    elif data.action == "complete":
        assert order is not None
        cat = categories.get(hazard.category)
        if cat is not None and cat.unit is not None and data.quantity is None:
            raise Invalid(_("Give the quantity repaired in %(unit)s.")
                          % {"unit": _(str(categories.UNITS[cat.unit]))}, field="quantity")
        if data.quantity is not None and cat is not None and cat.unit is not None \
                and data.quantity <= 0:
            raise Invalid(_("The quantity must be more than zero."), field="quantity")
        done_on = data.done_on or today
        if done_on > today:
            raise Invalid(_("The repair cannot be done in the future."), field="done_on")
        if done_on < order.issued_at.astimezone(zone()).date() - timedelta(days=366):
            raise Invalid(_("The repair date is before the work order."), field="done_on")
        order.done_on, order.quantity = done_on, data.quantity
        order.done_note, order.done_by_id, order.done_at = data.reason.strip(), user.id, now
        extra = {"quantity": data.quantity, "unit": cat.unit if cat else None,
                 "done_on": done_on.isoformat()}
    elif data.action == "verify":
        assert order is not None
        order.verified_by_id, order.verified_at = user.id, now
    elif data.action == "return":
        assert order is not None
        order.done_on = order.quantity = order.done_at = order.done_by_id = None
    hazard.status = rule.target
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=hazard.id, summary=f"hazard {hazard.id} {data.action}",
                 detail={"from": before.value, "to": hazard.status.value})
    core_workflow.record(session, kind=f"hazard.{data.action}", record_kind=KIND,
                              record_id=hazard.id, actor_id=user.id, action=data.action,
                              before=before, after=hazard.status,
                              reason=data.reason.strip() or None, exercise=hazard.exercise,
                              **extra)
    return hazard


def observation_draft(session: Session, *, user: User, observation_id: int) -> dict[str, Any]:
    """What the new-report form starts from for a patrol observation (404 when unseen)."""
    seen = patrols.observation_for(session, user=user, observation_id=observation_id)
    if seen is None:
        raise NotFound(_("No such patrol observation."))
    return {"observation_id": observation_id,
            "category": categories.from_observation(seen.get("category_code")),
            "note": seen.get("note") or "", "lon": seen.get("lon"), "lat": seen.get("lat"),
            "post_agency_id": seen.get("post_agency_id"), "segment_id": seen.get("segment_id"),
            "observed_at": seen.get("device_at"), "patrol_id": seen.get("patrol_id"),
            "category_zh": seen.get("category_zh"), "category_en": seen.get("category_en")}
