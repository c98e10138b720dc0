"""REST API of cases and tips. Capabilities and need-to-know are checked in the services
(403 without the function, 404 for a case one may not see)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from bastion.cases import service, sources, stats, tips
from bastion.cases.models import CaseStatus, Realm
from bastion.cases.schemas import (
    CaseDetail,
    CaseIn,
    CaseOut,
    CloseIn,
    LinkIn,
    NoteIn,
    TaskIn,
    TipIn,
    TipOut,
)
from bastion.core.bounds import Id
from bastion.core.db import utcnow
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.pagination import Page, PageDep, paginate
from bastion.org import capabilities
from bastion.org.sharing import MarkingIn
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import field_errors, read_upload

router = APIRouter(prefix="/api/v1", tags=["cases"])


@router.get("/cases/sources")
def case_sources(user: CurrentUser) -> dict[str, list[str]]:
    """The kinds of record a case may be opened from (each domain registers its own)."""
    capabilities.require(user, "cases.read")
    return {"kinds": [sources.MANUAL, *sources.kinds()]}


@router.post("/cases", status_code=201, response_model=CaseDetail)
def open_case(data: CaseIn, session: SessionDep, user: CurrentUser) -> CaseDetail:
    """Open a case by hand (``kind: manual``) or from a record (``kind`` and ``record_id``):
    it starts with what that record describes (404 when you may not see it). Share it with
    named agencies by ``marking``: ``{"tlp": "amber", "distribution": "named",
    "agency_ids": [...]}``."""
    return service.detail(session, service.open_case(session, user=user, data=data))


@router.get("/cases", response_model=Page[CaseOut])
def cases(session: SessionDep, user: CurrentUser, page: PageDep, kind: str | None = None,
          status: CaseStatus | None = None, agency_id: Id | None = None,
          realm: Realm | None = None, exercise: bool | None = None) -> Page[CaseOut]:
    """Sea and land cases in one list, open first, newest first."""
    query = service.list_query(user, kind=kind, status=status, agency_id=agency_id,
                               realm=realm, exercise=exercise)
    return paginate(session, query, page, service.public)


@router.get("/cases/map.geojson")
def case_map(session: SessionDep, user: CurrentUser, kind: str | None = None,
             status: CaseStatus | None = None, agency_id: Id | None = None,
             realm: Realm | None = None) -> dict[str, Any]:
    """The cases you may read that have a place, as a GeoJSON FeatureCollection."""
    query = service.list_query(user, kind=kind, status=status, agency_id=agency_id,
                               realm=realm)
    return service.geojson(session, query)


@router.get("/cases/stats")
def case_stats(session: SessionDep, user: CurrentUser, start: date | None = None,
               end: date | None = None) -> dict[str, Any]:
    """Cases by kind and outcome with persons, smuggling per year, time to close, tips;
    ``start`` inclusive, ``end`` exclusive (default: the last 365 days)."""
    capabilities.require(user, "cases.stats")
    end = end or utcnow().date() + timedelta(days=1)
    start = start or end - timedelta(days=365)
    if start >= end:
        raise Invalid(_("The start must be before the end."), field="start")
    return stats.summary(session, user=user, start=start, end=end)


@router.get("/cases/{case_id}", response_model=CaseDetail)
def case(case_id: Id, session: SessionDep, user: CurrentUser) -> CaseDetail:
    return service.detail(session, service.get(session, user=user, case_id=case_id))


@router.post("/cases/{case_id}/links", status_code=201, response_model=CaseDetail)
def link(case_id: Id, data: LinkIn, session: SessionDep, user: CurrentUser) -> CaseDetail:
    """Link a person, vessel, port call, place (``geometry``), alert or other record."""
    service.add_link(session, user=user, case_id=case_id, data=data)
    return service.detail(session, service.get(session, user=user, case_id=case_id))


@router.post("/cases/{case_id}/tasks", status_code=201, response_model=CaseDetail)
def task(case_id: Id, data: TaskIn, session: SessionDep, user: CurrentUser) -> CaseDetail:
    """A task with an owner (who may read the case) and a deadline; overdue ones escalate."""
    service.add_task(session, user=user, case_id=case_id, data=data)
    return service.detail(session, service.get(session, user=user, case_id=case_id))


@router.post("/cases/{case_id}/tasks/{task_id}/done", response_model=CaseDetail)
def task_done(case_id: Id, task_id: Id, session: SessionDep, user: CurrentUser) -> CaseDetail:
    service.complete_task(session, user=user, case_id=case_id, task_id=task_id)
    return service.detail(session, service.get(session, user=user, case_id=case_id))


@router.post("/cases/{case_id}/notes", status_code=201, response_model=CaseDetail)
def note(case_id: Id, data: NoteIn, session: SessionDep, user: CurrentUser) -> CaseDetail:
    return service.detail(session, service.note(session, user=user, case_id=case_id,
                                                text=data.note))


@router.post("/cases/{case_id}/close", response_model=CaseDetail)
def close(case_id: Id, data: CloseIn, session: SessionDep, user: CurrentUser) -> CaseDetail:
    """Close with an ``outcome`` (``hazard_eliminated``, ``handed_to_police``,
    ``smuggling_case``, ``illegal_crossing_case``, ``no_further_action``) and, when it counts
    persons, ``persons``; 409 when already closed."""
    return service.detail(session, service.close(session, user=user, case_id=case_id,
                                                 data=data))


@router.post("/cases/{case_id}/reopen", response_model=CaseDetail)
def reopen(case_id: Id, data: NoteIn, session: SessionDep, user: CurrentUser) -> CaseDetail:
    return service.detail(session, service.reopen(session, user=user, case_id=case_id,
                                                  text=data.note))


@router.put("/cases/{case_id}/marking", response_model=CaseDetail)
def marking(case_id: Id, data: MarkingIn, session: SessionDep, user: CurrentUser) -> CaseDetail:
    """Who the case is shared with (the owning agency only; 409 for a partner)."""
    return service.detail(session, service.share(session, user=user, case_id=case_id,
                                                 marking=data))


# --- tips ---------------------------------------------------------------------------------

async def _tip_payload(request: Request, max_bytes: int) -> tuple[TipIn, tuple[str, bytes] | None]:
    """JSON, or multipart with the fields and an optional ``photo`` (what the phone sends)."""
    photo = None
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        raw: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
        upload = form.get("photo")
        if upload is not None and not isinstance(upload, str) and upload.filename:
            photo = (upload.filename, read_upload(upload, max_bytes))
        raw = {k: (None if v == "" and k in ("lon", "lat") else v) for k, v in raw.items()}
    else:
        try:
            raw = json.loads(await request.body() or b"{}")
        except ValueError:
            raise Invalid(_("The body is not JSON."), field="body") from None
        if not isinstance(raw, dict):
            raise Invalid(_("The body is not JSON."), field="body")
    try:
        return TipIn.model_validate(raw), photo
    except ValidationError as exc:
        problems = field_errors(exc)
        field = next(iter(problems), "body")
        raise Invalid(problems.get(field, _("Invalid value.")), field=field) from None


@router.post("/tips", status_code=201)
async def submit_tip(request: Request, response: Response, session: SessionDep,
                     user: CurrentUser, settings: SettingsDep) -> dict[str, Any]:
    """A tip from the public, by a village committee member: ``client_id`` (a UUID made on
    the phone; the same again answers 200 ``"duplicate": true``), ``kind``
    (suspicious_persons, smuggling, damaged_fence, other), ``description``, ``lon``/``lat``,
    ``device_at``, and in multipart a ``photo``. It becomes a case at the post linked to the
    committee's village; the answer is the tip, never the case."""
    capabilities.require(user, "cases.tips.submit")
    max_bytes = settings.max_attachment_mb * 2**20
    data, photo = await _tip_payload(request, max_bytes)
    tip, created = tips.submit(session, user=user, data=data, photo=photo, max_bytes=max_bytes)
    response.status_code = 201 if created else 200
    return {**tips.public(tip).model_dump(mode="json"), "duplicate": not created}


@router.get("/tips/mine", response_model=Page[TipOut])
def my_tips(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[TipOut]:
    """The tips you entered, newest first, with their state (received, acted on)."""
    capabilities.require(user, "cases.tips.submit")
    return paginate(session, tips.mine_query(user), page, tips.public)
