"""REST API of training, drills and meetings. Recording an event and taking attendance are
idempotent by ``client_id`` (a replay answers 200 with ``"duplicate": true``), so the phone's
offline queue can send them again. Capabilities and need-to-know are checked in the service."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from bastion.core.bounds import Id
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.pagination import Page, PageDep, fetch, from_rows
from bastion.org import capabilities
from bastion.training import figures as training_figures
from bastion.training import kinds, service
from bastion.training.models import EventStatus
from bastion.training.schemas import (
    AttendanceIn,
    CertificateIn,
    EventDetail,
    EventIn,
    EventOut,
    EventUpdate,
    FollowUpIn,
    FollowUpUpdate,
    InjectIn,
    SeriesIn,
)
from bastion.web.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1/training", tags=["training"])


@router.post("/events", status_code=201)
def create(data: EventIn, response: Response, session: SessionDep,
           user: CurrentUser) -> dict[str, Any]:
    """An event of a kind (``GET /kinds``) held by the caller's unit; ``agency_ids`` the
    agencies and posts taking part (they may read it); ``exercise_mode`` for a drill."""
    event, created = service.create(session, user=user, data=data)
    response.status_code = 201 if created else 200
    return {**service.detail(session, event).model_dump(mode="json"), "duplicate": not created}


@router.post("/series", status_code=201)
def series(data: SeriesIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """One event on a weekday of every week of a period (weekly meeting, study day)."""
    made = service.series(session, user=user, data=data)
    return {"series": made[0].series, "count": len(made), "ids": [e.id for e in made]}


@router.get("/kinds")
def kinds_list(user: CurrentUser) -> dict[str, Any]:
    return {"kinds": [{"code": k.code, "category": k.category, "label": k.label(),
                       "exercise": k.exercise} for k in kinds.kinds().values()],
            "skills": [{"code": c, "label": kinds.skill_label(c)} for c in kinds.skills()]}


@router.get("/events", response_model=Page[EventOut])
def events(session: SessionDep, user: CurrentUser, page: PageDep,
           category: str | None = Query(default=None, max_length=16),
           kind: str | None = Query(default=None, max_length=40),
           status: EventStatus | None = None) -> Page[EventOut]:
    """Newest first; need-to-know in the query."""
    query = service.list_query(user, category=category, kind=kind, status=status)
    rows, total = fetch(session, query, page)
    return from_rows(service.page_of(session, list(rows)), total, page)


@router.get("/events/{event_id}", response_model=EventDetail)
def event(event_id: Id, session: SessionDep, user: CurrentUser) -> EventDetail:
    return service.detail(session, service.get(session, user=user, event_id=event_id))


@router.patch("/events/{event_id}", response_model=EventDetail)
def update(event_id: Id, data: EventUpdate, session: SessionDep,
           user: CurrentUser) -> EventDetail:
    """Outcomes, place, organiser; ``status`` held or cancelled (``cancel_reason``)."""
    return service.detail(session, service.update(session, user=user, event_id=event_id,
                                                  data=data))


@router.post("/events/{event_id}/attendance", status_code=201)
def attendance(event_id: Id, data: AttendanceIn, response: Response, session: SessionDep,
               user: CurrentUser) -> dict[str, Any]:
    """A person present, or absent with the reason (``user_id`` or ``name``)."""
    row, created = service.record_attendance(session, user=user, event_id=event_id, data=data)
    response.status_code = 201 if created else 200
    return {"id": row.id, "event_id": row.event_id, "user_id": row.user_id, "name": row.name,
            "present": row.present, "reason": row.reason, "duplicate": not created}


@router.get("/field-kit")
def field_kit(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """The events the caller's unit holds from two days ago to a week ahead, with their people:
    what the attendance phone page keeps for use with no network."""
    return service.field_kit(session, user=user)


@router.get("/events/{event_id}/attendance-kit")
def attendance_kit(event_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """What the phone keeps to take attendance offline."""
    return service.attendance_kit(session, user=user, event_id=event_id)


@router.post("/events/{event_id}/certificates", status_code=201)
def certificate(event_id: Id, data: CertificateIn, session: SessionDep,
                user: CurrentUser) -> dict[str, Any]:
    row = service.add_certificate(session, user=user, event_id=event_id, data=data)
    return {"id": row.id, "number": row.number, "skill": row.skill}


@router.post("/events/{event_id}/follow-ups", status_code=201)
def follow_up(event_id: Id, data: FollowUpIn, session: SessionDep,
              user: CurrentUser) -> dict[str, Any]:
    row = service.add_follow_up(session, user=user, event_id=event_id, data=data)
    return {"id": row.id, "due_at": row.due_at.isoformat()}


@router.patch("/events/{event_id}/follow-ups/{follow_up_id}")
def follow_up_done(event_id: Id, follow_up_id: Id, data: FollowUpUpdate, session: SessionDep,
                   user: CurrentUser) -> dict[str, Any]:
    row = service.set_follow_up(session, user=user, event_id=event_id,
                                follow_up_id=follow_up_id, data=data)
    return {"id": row.id, "done_at": row.done_at.isoformat() if row.done_at else None}


@router.post("/events/{event_id}/injects", status_code=201)
def inject(event_id: Id, data: InjectIn, session: SessionDep,
           user: CurrentUser) -> dict[str, Any]:
    """A scenario event or simulated report in a drill run in exercise mode (409 otherwise);
    an exercise record, told to the participants marked ``[EXERCISE]``."""
    row = service.add_inject(session, user=user, event_id=event_id, data=data)
    return {"id": row.id, "exercise": row.exercise, "at": row.at.isoformat()}


@router.get("/figures")
def figures(session: SessionDep, user: CurrentUser,
            start: Annotated[date, Query(alias="from")],
            end: Annotated[date, Query(alias="to")]) -> dict[str, Any]:
    """The annual report's figures for [from, to) (days in the zone), from the records."""
    if end <= start:
        raise Invalid(_("The period ends before it starts."), field="to")
    found = training_figures.figures(session=session, user=user, start=start, end=end)
    if found is None:
        capabilities.require(user, "training.read")
    return {"from": start.isoformat(), "to": end.isoformat(),
            "figures": [{"key": f.key, "label": _(f.label), "value": f.value,
                         "unit": _(f.unit)} for f in found or []]}
