"""Pages: the plans page (targets, planned and recent patrols, forms to set a target and plan
a patrol) and one patrol's page (members, status changes, check-ins, observations, photos,
what track cleaning removed)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.border.geo.models import Checkpoint, DefenceSegment
from bastion.border.patrols import plans, service
from bastion.border.patrols.models import (
    ObservationCategory,
    Patrol,
    PatrolStatus,
    Period,
    Transport,
)
from bastion.border.patrols.schemas import PlanIn, TargetIn
from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.db import utcnow
from bastion.core.errors import BastionError
from bastion.core.marking import visible_to
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import error_for, form_to_dict, validate
from bastion.web.templating import render

router = APIRouter(prefix="/border", include_in_schema=False)


def _local(value: str | None) -> str | None:
    """A datetime-local field is the user's wall clock: attach the user's zone."""
    if not value:
        return None
    try:
        naive = datetime.fromisoformat(value)
    except ValueError:
        return value  # the schema names the field
    return naive.replace(tzinfo=ZoneInfo(context.current().timezone)).isoformat()


def _context(session: Session, user: User) -> dict[str, Any]:
    capabilities.require(user, "patrols.read")
    org = user.organisation_id
    posts = list(session.scalars(select(Agency).where(
        Agency.kind == AgencyKind.JOINT_DEFENCE_POST, Agency.root_id == org,
        Agency.active).order_by(Agency.code)))
    if user.agency.kind == AgencyKind.JOINT_DEFENCE_POST:
        posts = [p for p in posts if p.id == user.agency_id]
    agencies = {a.id: a for a in session.scalars(select(Agency))}
    upcoming = list(session.scalars(service.visible_query(user).where(
        Patrol.status == PatrolStatus.PLANNED, Patrol.planned_end >= utcnow()).limit(100)))
    recent = list(session.scalars(service.visible_query(user).where(
        Patrol.status != PatrolStatus.PLANNED).limit(50)))
    return {
        "can_plan": capabilities.can(user, "patrols.plan"),
        "targets": list(session.scalars(plans.targets_query(user).limit(200))),
        "upcoming": upcoming, "recent": recent, "members": plans.members_of(session, upcoming),
        "posts": posts, "agencies": agencies,
        "segments": list(session.scalars(select(DefenceSegment).where(
            visible_to(DefenceSegment, user)).order_by(DefenceSegment.code))),
        "checkpoints": list(session.scalars(select(Checkpoint).where(
            visible_to(Checkpoint, user), Checkpoint.active).order_by(Checkpoint.code))),
        "people": list(session.scalars(select(User).where(
            User.agency_id.in_([p.id for p in posts] or [user.agency_id]), User.active,
            ~User.system).order_by(User.display_name))),
        "partners": [a for a in agencies.values() if a.kind in plans.PARTNER_KINDS
                     and a.active],
        "periods": list(Period), "transports": list(Transport),
    }


def _page(request: Request, session: Session, user: User, status: int = 200,
          **extra: Any) -> Response:
    return render(request, "border/plans.html", status_code=status,
                  **{"form": {}, "errors": {}, "target_form": {}, "target_errors": {},
                     "new_client_id": str(uuid.uuid4()),
                     **_context(session, user), **extra})


@router.get("/plans", response_class=HTMLResponse)
def plans_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _page(request, session, user)


@router.post("/plans/targets", response_class=HTMLResponse)
async def add_target(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    data = form_to_dict(await request.form())
    payload, errors = validate(TargetIn, data)
    if not errors:
        try:
            plans.add_target(session, user=user, data=payload)
            return RedirectResponse("/border/plans", status_code=303)
        except BastionError as exc:
            if exc.status_code != 422:
                raise
            errors = error_for(exc)
    return _page(request, session, user, status=422, target_form=data, target_errors=errors)


def _plan_payload(data: dict[str, Any], session: Session) -> dict[str, Any]:
    """The form's people (a leader and members from the post, partners by name) as the
    API's members."""
    members: list[dict[str, Any]] = []
    ids = [data.get("leader_id"), *data.get("member_ids", [])]
    for n, user_id in enumerate(dict.fromkeys(i for i in ids if i)):
        person = session.get(User, int(user_id)) if str(user_id).isdigit() else None
        if person is not None:
            members.append({"user_id": person.id, "name": person.display_name[:100],
                            "agency_id": person.agency_id, "is_leader": n == 0
                            and bool(data.get("leader_id"))})
    partner = data.get("partner_agency_id")
    for name in (data.get("partner_names") or "").replace("，", ",").split(","):
        if name.strip() and partner:
            members.append({"name": name.strip()[:100], "agency_id": partner})
    return {"client_id": data.get("client_id"), "post_agency_id": data.get("post_agency_id"),
            "segment_id": data.get("segment_id"), "transport": data.get("transport", "foot"),
            "objective": data.get("objective", ""), "members": members,
            "planned_start": _local(data.get("planned_start")),
            "planned_end": _local(data.get("planned_end")),
            "checkpoints": [{"checkpoint_id": c} for c in data.get("checkpoint_ids", [])]}


@router.post("/plans/patrols", response_class=HTMLResponse)
async def plan_patrol(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    data = form_to_dict(await request.form(), lists=("member_ids", "checkpoint_ids"))
    payload, errors = validate(PlanIn, _plan_payload(data, session))
    if not errors:
        try:
            patrol, _created = plans.plan(session, user=user, data=payload)
            return RedirectResponse(f"/border/patrols/{patrol.id}", status_code=303)
        except BastionError as exc:
            if exc.status_code != 422:
                raise
            errors = error_for(exc)
    return _page(request, session, user, status=422, form=data, errors=errors)


@router.get("/patrols/{patrol_id:int}", response_class=HTMLResponse)
def patrol_page(request: Request, patrol_id: Id, session: SessionDep,
                user: CurrentUser) -> Response:
    patrol = service.get(session, user=user, patrol_id=patrol_id)
    detail = service.detail(session, patrol=patrol)
    agency_ids = {patrol.post_agency_id, *(m["agency_id"] for m in detail["members"])}
    user_ids = {c["by_user_id"] for c in detail["status_changes"] if c["by_user_id"]}
    cp_ids = {c["checkpoint_id"] for c in detail["check_ins"]}
    removed = [{**r, "at": datetime.fromtimestamp(r["at"], UTC)} for r in detail["removed_points"]]
    return render(
        request, "border/patrol_detail.html", patrol=patrol, detail=detail, removed=removed,
        agencies={a.id: a for a in session.scalars(select(Agency).where(
            Agency.id.in_(agency_ids)))},
        people={u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))},
        checkpoints={c.id: c for c in session.scalars(select(Checkpoint).where(
            Checkpoint.id.in_(cp_ids)))},
        segment=session.get(DefenceSegment, patrol.segment_id) if patrol.segment_id else None,
        categories={c.id: c for c in session.scalars(select(ObservationCategory).where(
            ObservationCategory.owner_org_id == patrol.owner_org_id))})
