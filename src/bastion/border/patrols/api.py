"""REST API of patrols: the field API the phone's patrol page syncs through (idempotent by
the phone's ids: a replay answers 200 with ``"duplicate": true``), plans and targets, the list
and the detail. Need-to-know and capabilities are checked in the services."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Form, Response, UploadFile

from bastion.border.patrols import field, plans, service, sos
from bastion.border.patrols.models import PatrolStatus
from bastion.border.patrols.schemas import (
    CheckInIn,
    MessageIn,
    ObservationIn,
    PatrolSummary,
    PlanIn,
    SosIn,
    StartIn,
    StatusIn,
    TargetIn,
    TargetOut,
    TrackIn,
)
from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, paginate
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1/patrols", tags=["patrols"])


def _answer(response: Response, created: bool, body: dict[str, Any]) -> dict[str, Any]:
    response.status_code = 201 if created else 200
    return {**body, "duplicate": not created}


# --- the field API ------------------------------------------------------------------------

@router.get("/field-kit")
def field_kit(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Everything the patrol page caches to record with no network."""
    return plans.field_kit(session, user=user)


@router.post("/field/start", status_code=201)
def start(data: StartIn, response: Response, session: SessionDep,
          user: CurrentUser) -> dict[str, Any]:
    patrol, created = field.start(session, user=user, data=data)
    return _answer(response, created, {"patrol": service.summary(patrol).model_dump()})


@router.post("/field/{patrol_id}/status")
def change_status(patrol_id: UUID, data: StatusIn, response: Response, session: SessionDep,
                  user: CurrentUser) -> dict[str, Any]:
    """pause, resume, end (and cancel, for a planned patrol); 409 naming the state when the
    move is not allowed from it."""
    patrol, created = field.change_status(session, user=user, patrol_id=str(patrol_id),
                                          data=data)
    return _answer(response, created, {"patrol": service.summary(patrol).model_dump()})


@router.post("/field/{patrol_id}/track", status_code=201)
def track(patrol_id: UUID, data: TrackIn, response: Response, session: SessionDep,
          user: CurrentUser) -> dict[str, Any]:
    chunk, created = field.add_track(session, user=user, patrol_id=str(patrol_id),
                                     client_id=data.client_id, points=data.points)
    return _answer(response, created, service.chunk_public(chunk))


@router.post("/field/{patrol_id}/check-ins", status_code=201)
def check_in(patrol_id: UUID, data: CheckInIn, response: Response, session: SessionDep,
             user: CurrentUser, settings: SettingsDep) -> dict[str, Any]:
    row, created = field.check_in(session, user=user, patrol_id=str(patrol_id), data=data,
                                  zone=settings.timezone)
    return _answer(response, created, service.check_in_public(row))


@router.post("/field/{patrol_id}/observations", status_code=201)
def observe(patrol_id: UUID, data: ObservationIn, response: Response, session: SessionDep,
            user: CurrentUser) -> dict[str, Any]:
    row, created = field.observe(session, user=user, patrol_id=str(patrol_id), data=data)
    return _answer(response, created, service.observation_public(row, data.category_code))


@router.post("/field/photos", status_code=201)
def photo(record: Annotated[Literal["check_in", "observation"], Form()],
          client_id: Annotated[UUID, Form()], file: UploadFile, response: Response,
          session: SessionDep, user: CurrentUser, settings: SettingsDep) -> dict[str, Any]:
    """A photo on a check-in or an observation (multipart); the type is what the bytes are,
    and it must be an image."""
    max_bytes = settings.max_attachment_mb * 2**20
    data = read_upload(file, max_bytes)
    attachment, created = field.add_photo(
        session, user=user, record=record, client_id=str(client_id),
        filename=file.filename or "photo", data=data, max_bytes=max_bytes)
    return _answer(response, created, {
        "id": attachment.id, "record_kind": attachment.record_kind,
        "record_id": attachment.record_id, "filename": attachment.filename,
        "content_type": attachment.content_type, "size": attachment.size,
        "sha256": attachment.sha256})


@router.post("/field/sos", status_code=201)
def raise_sos(data: SosIn, response: Response, session: SessionDep,
              user: CurrentUser) -> dict[str, Any]:
    row, created = sos.raise_sos(session, user=user, data=data)
    return _answer(response, created, sos.public(row))


@router.post("/sos/{sos_id}/acknowledge")
def acknowledge_sos(sos_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return sos.public(sos.acknowledge(session, user=user, sos_id=sos_id))


@router.post("/messages", status_code=201)
def message(data: MessageIn, response: Response, session: SessionDep, user: CurrentUser,
            settings: SettingsDep) -> dict[str, Any]:
    """The compact short-message form (Beidou, SMS) turned into the same records."""
    kind, created, body = sos.receive_message(session, user=user, text=data.text,
                                                zone=settings.timezone)
    return _answer(response, created, {"kind": kind, **body})


# --- plans and targets --------------------------------------------------------------------

@router.get("/targets", response_model=Page[TargetOut])
def targets(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[TargetOut]:
    return paginate(session, plans.targets_query(user), page, TargetOut.model_validate)


@router.post("/targets", response_model=TargetOut, status_code=201)
def add_target(data: TargetIn, session: SessionDep, user: CurrentUser) -> TargetOut:
    return TargetOut.model_validate(plans.add_target(session, user=user, data=data))


@router.post("/plans", status_code=201)
def plan(data: PlanIn, response: Response, session: SessionDep,
         user: CurrentUser) -> dict[str, Any]:
    patrol, created = plans.plan(session, user=user, data=data)
    return _answer(response, created, {"patrol": service.summary(patrol).model_dump()})


# --- reading ------------------------------------------------------------------------------

@router.get("", response_model=Page[PatrolSummary])
def list_patrols(session: SessionDep, user: CurrentUser, page: PageDep,
                 status: PatrolStatus | None = None, post_agency_id: Id | None = None,
                 segment_id: Id | None = None) -> Page[PatrolSummary]:
    query = service.list_query(session, user=user, status=status,
                               post_agency_id=post_agency_id, segment_id=segment_id)
    return paginate(session, query, page, service.summary)


@router.get("/{patrol_id:int}")
def get_patrol(patrol_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """A patrol with its members, status changes, kept track (GeoJSON), removed points and
    their reasons, check-ins, observations and the ids of their photos."""
    patrol = service.get(session, user=user, patrol_id=patrol_id)
    return service.detail(session, patrol=patrol)
