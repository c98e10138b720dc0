"""Pages: the plans page (targets, planned and recent patrols, forms to set a target and plan
a patrol) and one patrol's page (members, status changes, check-ins, observations, photos,
what track cleaning removed)."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.attachments import service as attachments
from bastion.border.geo.models import Checkpoint, DefenceSegment
from bastion.border.patrols import categories as category_tree
from bastion.border.patrols import plans, service
from bastion.border.patrols.models import (
    CheckIn,
    Observation,
    ObservationCategory,
    Patrol,
    PatrolStatus,
    Period,
    Transport,
)
from bastion.border.patrols.schemas import PlanIn, TargetIn
from bastion.core import context
from bastion.core.bounds import MAX_ID, Id
from bastion.core.db import utcnow
from bastion.core.errors import BastionError
from bastion.core.i18n import gettext, lazy
from bastion.core.labels import register_labels, term
from bastion.core.marking import visible_to
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import error_for, form_to_dict, validate, wall_clock
from bastion.web.templating import render

router = APIRouter(prefix="/border", include_in_schema=False)


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
    targets = list(session.scalars(plans.targets_query(user).limit(200)))
    return {
        "can_plan": capabilities.can(user, "patrols.plan"),
        "targets": targets, "standing": _standing(session, user, targets),
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


def _period_start(period: Period, now: datetime) -> datetime:
    """The start of the current day, week (Monday) or month in the user's zone, as UTC."""
    local = now.astimezone(ZoneInfo(context.current().timezone))
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == Period.WEEK:
        day -= timedelta(days=day.weekday())
    elif period == Period.MONTH:
        day = day.replace(day=1)
    return day.astimezone(UTC)


def _standing(session: Session, user: User, targets: list[Any]) -> dict[int, int]:
    """Per target: the patrols started so far in the current period that count towards it
    (its post, its segment if it names one, at least its minutes once ended)."""
    now, out = utcnow(), {}
    for target in targets:
        query = service.visible_query(user).where(
            Patrol.post_agency_id == target.post_agency_id,
            Patrol.status.not_in((PatrolStatus.PLANNED, PatrolStatus.CANCELLED)),
            Patrol.started_at >= _period_start(target.period, now))
        if target.segment_id is not None:
            query = query.where(Patrol.segment_id == target.segment_id)
        patrols = session.scalars(query.order_by(None).limit(2000)).all()
        out[target.id] = sum(1 for p in patrols if not target.min_minutes or p.ended_at is None
                             or (p.ended_at - p.started_at).total_seconds()
                             >= target.min_minutes * 60)
    return out


def _page(request: Request, session: Session, user: User, status: int = 200,
          **extra: Any) -> Response:
    return render(request, "border/plans.html", status_code=status,
                  **{"form": {}, "errors": {}, "target_form": {}, "target_errors": {},
                     "new_client_id": str(uuid.uuid4()), "partner_rows": PARTNER_ROWS,
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


ID_FIELDS = ("post_agency_id", "segment_id", "leader_id", "member_ids", "checkpoint_ids",
             "partner_agency_id", *(f"partner_agency_id_{i}" for i in range(3)))


def _bad_ids(data: dict[str, Any]) -> dict[str, str]:
    """The form's id fields that are not a whole number in 1..MAX_ID, each named with a
    message (checked before any is looked up: a huge number overflows the database)."""
    errors: dict[str, str] = {}
    for name in ID_FIELDS:
        value = data.get(name)
        for item in value if isinstance(value, list) else [value]:
            text = str(item or "").strip()
            if text and not (text.isdigit() and 1 <= int(text) <= MAX_ID):
                errors[name] = gettext("{field}: not a known choice.").format(field=name)
    return errors


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
    for row in ("", *(f"_{i}" for i in range(PARTNER_ROWS))):
        partner = data.get(f"partner_agency_id{row}")
        for name in (data.get(f"partner_names{row}") or "").replace("，", ",").split(","):
            if name.strip() and partner:
                members.append({"name": name.strip()[:100], "agency_id": partner})
    return {"client_id": data.get("client_id"), "post_agency_id": data.get("post_agency_id"),
            "segment_id": data.get("segment_id"), "transport": data.get("transport", "foot"),
            "objective": data.get("objective", ""), "members": members,
            "planned_start": wall_clock(data.get("planned_start")),
            "planned_end": wall_clock(data.get("planned_end")),
            "checkpoints": [_stop(session, data, c) for c in data.get("checkpoint_ids", [])]}


def _stop(session: Session, data: dict[str, Any], checkpoint_id: str) -> dict[str, Any]:
    """A checkpoint to visit with its window: as typed, or else the checkpoint's daily window
    on the planned day that overlaps the patrol (the first of the day if none does)."""
    start = wall_clock(data.get(f"window_start_{checkpoint_id}"))
    end = wall_clock(data.get(f"window_end_{checkpoint_id}"))
    if start or end:
        return {"checkpoint_id": checkpoint_id, "window_start": start, "window_end": end}
    window = None
    checkpoint = session.get(Checkpoint, int(checkpoint_id)) if checkpoint_id.isdigit() else None
    day_start = wall_clock(data.get("planned_start"))
    if checkpoint is not None and checkpoint.windows and day_start:
        window = default_window(checkpoint.windows, day_start, wall_clock(data.get("planned_end")))
    return {"checkpoint_id": checkpoint_id,
            **({"window_start": window[0], "window_end": window[1]} if window else {})}


def default_window(windows: list[list[str]], start: str, end: str | None,
                   ) -> tuple[str, str] | None:
    """``windows`` (local "HH:MM" pairs) placed on the day of ``start`` (ISO, with zone):
    the first that overlaps [start, end], else the first of the day."""
    try:
        begin = datetime.fromisoformat(start)
        finish = datetime.fromisoformat(end) if end else begin
        placed = [(datetime.combine(begin.date(), time.fromisoformat(a), begin.tzinfo),
                   datetime.combine(begin.date(), time.fromisoformat(b), begin.tzinfo))
                  for a, b in windows]
    except (ValueError, TypeError):
        return None
    if not placed:
        return None
    chosen = next((w for w in placed if w[0] <= finish and w[1] >= begin), placed[0])
    return chosen[0].isoformat(), chosen[1].isoformat()


PARTNER_ROWS = 3  # partner agencies on one plan form (police, army, another)


@router.post("/plans/patrols", response_class=HTMLResponse)
async def plan_patrol(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    data = form_to_dict(await request.form(), lists=("member_ids", "checkpoint_ids"))
    errors = _bad_ids(data)
    if errors:
        return _page(request, session, user, status=422, form=data, errors=errors)
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


register_labels(namespace="checkpoint_visit", labels={
    "visited": lazy("Visited within the window"), "late": lazy("Visited outside the window"),
    "missed": lazy("Not reached"), "pending": lazy("Not yet visited")})


def _visits(session: Session, patrol: Patrol, check_ins: list[dict[str, Any]],
            ) -> list[dict[str, Any]]:
    """Each planned checkpoint with its window and how it stands: visited within the window,
    late (reached, but outside it), missed (not reached and the window or the patrol is over)
    or pending. A visit is a check-in within the radius or by the checkpoint's QR code."""
    stops = plans.planned_checkpoints(session, [patrol])[patrol.id]
    points = {c.id: c for c in session.scalars(select(Checkpoint).where(
        Checkpoint.id.in_({s["checkpoint_id"] for s in stops})))}
    now, over = utcnow(), patrol.status in (PatrolStatus.ENDED, PatrolStatus.CANCELLED)
    out = []
    for stop in stops:
        visits = [c for c in check_ins if c["checkpoint_id"] == stop["checkpoint_id"]
                  and (c["within_radius"] or c["method"] == "qr")]
        if any(c["within_window"] for c in visits):
            state = "visited"
        elif visits:
            state = "late"
        elif over or (stop["window_end"] is not None and stop["window_end"] < now):
            state = "missed"
        else:
            state = "pending"
        cp = points.get(stop["checkpoint_id"])
        out.append({**stop, "state": state, "checkpoint": cp})
    return out


def _photos(session: Session, user: User, kind: str, rows: list[dict[str, Any]]) -> None:
    """Photo ids kept only where the user may see the record they hang on."""
    for row in rows:
        if row["photo_ids"] and not attachments.may_see_record(session, user, kind, row["id"]):
            row["photo_ids"] = []


def _patrol_data(session: Session, user: User, patrol_id: int) -> dict[str, Any]:
    patrol = service.get(session, user=user, patrol_id=patrol_id)
    detail = service.detail(session, patrol=patrol)
    _photos(session, user, CheckIn.record_kind, detail["check_ins"])
    _photos(session, user, Observation.record_kind, detail["observations"])
    return {"patrol": patrol, "detail": detail,
            "visits": _visits(session, patrol, detail["check_ins"])}


@router.get("/patrols/{patrol_id:int}", response_class=HTMLResponse)
def patrol_page(request: Request, patrol_id: Id, session: SessionDep,
                user: CurrentUser) -> Response:
    data = _patrol_data(session, user, patrol_id)
    patrol, detail = data["patrol"], data["detail"]
    agency_ids = {patrol.post_agency_id, *(m["agency_id"] for m in detail["members"])}
    user_ids = {c["by_user_id"] for c in detail["status_changes"] if c["by_user_id"]}
    cp_ids = {c["checkpoint_id"] for c in detail["check_ins"]}
    removed = [{**r, "at": datetime.fromtimestamp(r["at"], UTC)} for r in detail["removed_points"]]
    reasons = Counter(r["reason"] for r in removed)
    specs = _attribute_specs(session, patrol.owner_org_id)
    for o in detail["observations"]:
        o["attribute_lines"] = _attribute_lines(specs, o["category_code"], o["attributes"])
    return render(
        request, "border/patrol_detail.html", patrol=patrol, detail=detail, removed=removed,
        removed_by_reason=[(r, reasons[r]) for r in REMOVAL_REASONS if reasons[r]],
        visits=data["visits"], visit_states=("visited", "late", "missed"), can_record=capabilities.can(user, "patrols.record"),
        removal_labels={r: term(r, "track_removal") for r in REMOVAL_REASONS},
        agencies={a.id: a for a in session.scalars(select(Agency).where(
            Agency.id.in_(agency_ids)))},
        people={u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))},
        checkpoints={c.id: c for c in session.scalars(select(Checkpoint).where(
            Checkpoint.id.in_(cp_ids)))},
        segment=session.get(DefenceSegment, patrol.segment_id) if patrol.segment_id else None,
        categories={c.id: c for c in session.scalars(select(ObservationCategory).where(
            ObservationCategory.owner_org_id == patrol.owner_org_id))})


REMOVAL_REASONS = ("accuracy", "time", "outlier", "speed")


def _attribute_specs(session: Session, owner_org_id: int) -> dict[str, dict[str, Any]]:
    """Per category code: its attributes by key, from the organisation's category tree."""
    out: dict[str, dict[str, Any]] = {}

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            out[node["code"]] = {a["key"]: a for a in node.get("attributes") or []}
            walk(node.get("children") or [])

    walk(category_tree.tree(session, owner_org_id=owner_org_id))
    return out


def _attribute_lines(specs: dict[str, dict[str, Any]], code: str | None,
                     attributes: dict[str, Any]) -> list[tuple[str, str]]:
    """An observation's attributes as (label, value) in the user's language: the tree's label
    for the key and for list options, Yes/No for booleans; an unknown key or code as stored."""
    zh = context.current().language == "zh-CN"
    known = specs.get(code or "", {})

    def name(item: dict[str, Any] | None, fallback: str) -> str:
        return str((item.get("zh") if zh else item.get("en")) or fallback) if item else fallback

    lines = []
    for key, value in attributes.items():
        spec = known.get(key)
        options = {o["code"]: o for o in (spec or {}).get("options") or []}
        if isinstance(value, bool):
            text = gettext("Yes") if value else gettext("No")
        elif isinstance(value, list):
            text = ", ".join(name(options.get(str(v)), str(v)) for v in value)
        else:
            text = name(options.get(str(value)), str(value))
        lines.append((name(spec, key), text))
    return lines


def _point(lon: float | None, lat: float | None, **props: Any) -> dict[str, Any] | None:
    if lon is None or lat is None:
        return None
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": props}


def _collection(features: list[dict[str, Any] | None]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [f for f in features if f]}


@router.get("/patrols/{patrol_id:int}/map.json")
def patrol_map(patrol_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """What the patrol page's map draws, as GeoJSON per layer, labels in the user's language:
    the segment, the kept track, the removed points, the planned checkpoints with their radius
    and state, check-ins and observations (same need-to-know as the page)."""
    data = _patrol_data(session, user, patrol_id)
    patrol, detail = data["patrol"], data["detail"]
    zone = ZoneInfo(context.current().timezone)

    def when(value: datetime | None) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""

    segment = session.scalar(select(DefenceSegment).where(
        DefenceSegment.id == patrol.segment_id, visible_to(DefenceSegment, user)))
    seen = {c.id: c for c in session.scalars(select(Checkpoint).where(Checkpoint.id.in_(
        {c["checkpoint_id"] for c in detail["check_ins"]})))}
    cats = {c.id: c for c in session.scalars(select(ObservationCategory).where(
        ObservationCategory.owner_org_id == patrol.owner_org_id))}
    zh = context.current().language == "zh-CN"
    return {
        "segment": _collection([{"type": "Feature", "geometry": segment.geometry,
                                 "properties": {"label": f"{segment.code} {segment.name}"}}]
                               if segment else []),
        "track": detail["track"],
        "removed": _collection([_point(r["lon"], r["lat"], reason=r["reason"],
                                       label=f"{term(r['reason'], 'track_removal')} · "
                                             f"{when(datetime.fromtimestamp(r['at'], UTC))}")
                                for r in detail["removed_points"]]),
        "checkpoints": _collection([_point(
            v["checkpoint"].lon, v["checkpoint"].lat, state=v["state"],
            radius_m=v["checkpoint"].radius_m,
            label=f"{v['checkpoint'].code} {v['checkpoint'].name} · "
                  f"{term(v['state'], 'checkpoint_visit')}")
            for v in data["visits"] if v["checkpoint"] is not None]),
        "check_ins": _collection([_point(
            c["lon"], c["lat"], within_radius=c["within_radius"],
            within_window=c["within_window"],
            label=f"{seen[c['checkpoint_id']].code if c['checkpoint_id'] in seen else ''} · "
                  f"{when(c['device_at'])}") for c in detail["check_ins"]]),
        "observations": _collection([_point(
            o["lon"], o["lat"], label=(
                (cats[o["category_id"]].label_zh if zh else cats[o["category_id"]].label_en)
                if o["category_id"] in cats else o["category_code"] or "")
            + f" · {when(o['device_at'])}") for o in detail["observations"]]),
    }
