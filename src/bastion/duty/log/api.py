"""REST API of the duty log, handovers and check-ins (``/api/v1/duty``).

The log is append-only: an entry is POSTed, moved on with POSTed steps and corrected with a
POSTed correction; there is no PUT, PATCH or DELETE (405). A replayed ``client_id`` answers
200 with the stored record (``"duplicate": true``). Need-to-know and capabilities are checked
in the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Response

from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, paginate
from bastion.duty.log import checkins, handover
from bastion.duty.log import service as log
from bastion.duty.log.models import Handover, MissedCheckIn, Stage
from bastion.duty.log.schemas import (
    AcknowledgeIn,
    CheckInIn,
    ConfirmIn,
    HandoverIn,
    HandoverOut,
    LogEntryIn,
    LogEntryOut,
    MissedOut,
    StepIn,
)
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1/duty", tags=["duty"])


def _answer(response: Response, created: bool, body: dict[str, Any]) -> dict[str, Any]:
    response.status_code = 201 if created else 200
    return {**body, "duplicate": not created}


# --- the log ------------------------------------------------------------------------------

@router.get("/log", response_model=Page[LogEntryOut])
def list_log(session: SessionDep, user: CurrentUser, settings: SettingsDep, page: PageDep,
             day: date | None = None, stage: Stage | None = None, open_only: bool = False,
             unit_id: Id | None = None) -> Page[LogEntryOut]:
    """The log, newest first: ``day`` (local, YYYY-MM-DD), ``stage`` (the latest step's),
    ``open_only`` (not closed nor corrected), ``unit_id``."""
    query = log.list_query(user, day=day, stage=stage, open_only=open_only, unit_id=unit_id,
                           zone=settings.timezone)
    return paginate(session, query, page, lambda e: log.public(session, e))


@router.post("/log", status_code=201)
def record(data: LogEntryIn, response: Response, session: SessionDep,
           user: CurrentUser) -> dict[str, Any]:
    entry, created = log.record(session, user=user, data=data)
    return _answer(response, created, log.public(session, entry).model_dump(mode="json"))


@router.get("/log/{entry_id:int}", response_model=LogEntryOut)
def get_entry(entry_id: Id, session: SessionDep, user: CurrentUser) -> LogEntryOut:
    entry = log.get(session, user=user, entry_id=entry_id)
    return log.public(session, entry, with_steps=True)


@router.post("/log/{entry_id:int}/steps", status_code=201, response_model=LogEntryOut)
def add_step(entry_id: Id, data: StepIn, session: SessionDep,
             user: CurrentUser) -> LogEntryOut:
    entry = log.get(session, user=user, entry_id=entry_id)
    log.add_step(session, user=user, entry=entry, data=data)
    return log.public(session, entry, with_steps=True)


@router.post("/log/{entry_id:int}/correct", status_code=201)
def correct(entry_id: Id, data: LogEntryIn, response: Response, session: SessionDep,
            user: CurrentUser) -> dict[str, Any]:
    entry = log.get(session, user=user, entry_id=entry_id)
    newer, created = log.correct(session, user=user, entry=entry, data=data)
    return _answer(response, created, log.public(session, newer).model_dump(mode="json"))


# --- handovers ----------------------------------------------------------------------------

@router.get("/handovers", response_model=Page[HandoverOut])
def list_handovers(session: SessionDep, user: CurrentUser, page: PageDep,
                   pending: bool = False) -> Page[HandoverOut]:
    """Handovers the user may see, newest first; ``pending``: not yet confirmed."""
    query = handover.query(user)
    if pending:
        query = query.where(Handover.confirmed_at.is_(None))
    return paginate(session, query, page, lambda h: handover.public(h, session, user))


@router.post("/handovers", status_code=201, response_model=HandoverOut)
def create_handover(data: HandoverIn, session: SessionDep, user: CurrentUser,
                    settings: SettingsDep) -> HandoverOut:
    return handover.public(handover.create(session, user=user, data=data,
                                           confirm_min=settings.duty.handover_confirm_min),
                            session, user)


@router.get("/handovers/{handover_id}", response_model=HandoverOut)
def get_handover(handover_id: Id, session: SessionDep, user: CurrentUser) -> HandoverOut:
    return handover.public(handover.get(session, user=user, handover_id=handover_id),
                          session, user)


@router.post("/handovers/{handover_id}/confirm", response_model=HandoverOut)
def confirm_handover(handover_id: Id, session: SessionDep, user: CurrentUser,
                     data: ConfirmIn | None = None) -> HandoverOut:
    row = handover.get(session, user=user, handover_id=handover_id)
    return handover.public(handover.confirm(session, user=user, handover=row,
                                            note=data.note if data else ""),
                           session, user)


# --- check-ins ----------------------------------------------------------------------------

@router.post("/checkins", status_code=201)
def check_in(data: CheckInIn, response: Response, session: SessionDep,
             user: CurrentUser) -> dict[str, Any]:
    row, created = checkins.checkin(session, user=user, data=data)
    return _answer(response, created, checkins.public(row).model_dump(mode="json"))


@router.get("/checkins/status")
def checkin_status(session: SessionDep, user: CurrentUser,
                   settings: SettingsDep) -> dict[str, Any]:
    """Am I on duty now, in which role, my last check-in, and when the next one is due."""
    return checkins.status(session, user=user, settings=settings)


@router.get("/missed-checkins", response_model=Page[MissedOut])
def missed(session: SessionDep, user: CurrentUser, page: PageDep,
           open_only: bool = False) -> Page[MissedOut]:
    """Missed check-ins the user was told of (as the duty leader, or as a planner)."""
    query = checkins.missed_query(session, user)
    if open_only:
        query = query.where(MissedCheckIn.acknowledged_at.is_(None))
    return paginate(session, query, page, lambda r: checkins.missed_public(session, r))


@router.post("/missed-checkins/{missed_id}/acknowledge", response_model=MissedOut)
def acknowledge_missed(missed_id: Id, session: SessionDep, user: CurrentUser,
                       data: AcknowledgeIn | None = None) -> MissedOut:
    row = checkins.acknowledge(session, user=user, missed_id=missed_id,
                               note=data.note if data else "")
    return checkins.missed_public(session, row)
