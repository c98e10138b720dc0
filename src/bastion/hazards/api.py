"""REST API of hazards (``/api/v1/hazards``): report (idempotent by ``client_id`` and by
``observation_id``: a replay answers 200 with ``"duplicate": true``), list and read, act on
the workflow, the command's triage queue, work orders, photos from the phone, totals, and
blind-spot surveys. Capabilities and need-to-know are checked in the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Response, UploadFile

from bastion.core.bounds import Id
from bastion.core.db import utcnow
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.pagination import Page, PageDep, paginate, paginate_all
from bastion.hazards import access, field, service, surveys, totals
from bastion.hazards.models import Hazard, HazardStatus, WorkOrder
from bastion.hazards.schemas import ActionIn, HazardIn, PointStatusIn, SurveyIn, SurveyPointIn
from bastion.org import capabilities
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1/hazards", tags=["hazards"])


def _answer(response: Response, created: bool, body: dict[str, Any]) -> dict[str, Any]:
    response.status_code = 201 if created else 200
    return {**body, "duplicate": not created}


@router.post("", status_code=201)
def report(data: HazardIn, response: Response, session: SessionDep,
           user: CurrentUser) -> dict[str, Any]:
    """A hazard report: a Point or LineString ``geometry`` (or ``lon``/``lat``), a
    ``category`` (``GET /field-kit``), the post responsible; ``observation_id`` when it comes
    from a patrol observation."""
    hazard, created = service.report(session, user=user, data=data)
    return _answer(response, created, service.detail(session, hazard, user=user))


@router.get("", response_model=Page[dict[str, Any]])
def hazards(session: SessionDep, user: CurrentUser, page: PageDep,
            status: HazardStatus | None = None, category: str | None = None,
            post_agency_id: Id | None = None, overdue: bool | None = None) -> Page[dict]:
    query = service.list_query(user, status=status, category=category,
                               post_agency_id=post_agency_id, overdue=overdue)
    return paginate(session, query, page, service.public)


@router.get("/triage", response_model=Page[dict[str, Any]])
def triage_queue(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[dict]:
    """The command's queue: hazards reported or triaged, waiting for a decision."""
    capabilities.require(user, "hazards.command")
    query = access.hazards_query(user).where(
        Hazard.owner_org_id == user.organisation_id,
        Hazard.status.in_((HazardStatus.REPORTED, HazardStatus.TRIAGED))
    ).order_by(Hazard.observed_at, Hazard.id)
    return paginate(session, query, page, service.public)


@router.get("/work-orders", response_model=Page[dict[str, Any]])
def work_orders(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[dict]:
    """Open work orders, earliest due first: one's own post's, or all of the command's."""
    capabilities.require(user, "hazards.work")
    query = (access.hazards_query(user).join(WorkOrder, WorkOrder.hazard_id == Hazard.id)
             .where(Hazard.status == HazardStatus.ORDERED).order_by(WorkOrder.due_at, Hazard.id))
    if not access.commands(user, user.organisation_id):
        query = query.where(WorkOrder.assignee_agency_id == user.agency_id)
    now = utcnow()

    def shown(rows):
        orders = service.orders_of(session, rows)
        return [service.public(h, orders.get(h.id), now) for h in rows]

    return paginate_all(session, query, page, shown)


@router.get("/field-kit")
def field_kit(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """What the phone keeps for reporting offline: categories with units, posts."""
    return field.kit(session, user=user)


@router.post("/field/photos", status_code=201)
def photo(client_id: Annotated[UUID, Form()], file: UploadFile, response: Response,
          session: SessionDep, user: CurrentUser, settings: SettingsDep) -> dict[str, Any]:
    """A photo on a report, by the report's client id (multipart); it must be an image."""
    max_bytes = settings.max_attachment_mb * 2**20
    data = read_upload(file, max_bytes)
    attachment, created = field.add_photo(session, user=user, client_id=str(client_id),
                                          filename=file.filename or "photo", data=data,
                                          max_bytes=max_bytes)
    return _answer(response, created, {"id": attachment.id, "record_id": attachment.record_id,
                                       "content_type": attachment.content_type})


@router.get("/from-observation/{observation_id:int}")
def from_observation(observation_id: Id, session: SessionDep,
                     user: CurrentUser) -> dict[str, Any]:
    """What a report of this patrol observation starts from, and the hazard already made of
    it if there is one."""
    capabilities.require(user, "hazards.report")
    draft = service.observation_draft(session, user=user, observation_id=observation_id)
    existing = session.scalar(access.hazards_query(user).where(
        Hazard.observation_id == observation_id).with_only_columns(Hazard.id))
    return {**draft, "hazard_id": existing}


@router.get("/totals")
def get_totals(session: SessionDep, user: CurrentUser, settings: SettingsDep,
               since: date | None = None, until: date | None = None) -> dict[str, Any]:
    """Totals by category from ``since`` to ``until`` (days, both included; default this
    year): repairs done (verified or not) and verified, quantities in the category's unit,
    reports; exercises left out."""
    from zoneinfo import ZoneInfo

    capabilities.require(user, "hazards.stats")
    zone = ZoneInfo(settings.timezone)
    today = utcnow().astimezone(zone).date()
    since = since or today.replace(month=1, day=1)
    until = until or today
    if since > until:
        raise Invalid(_("The first day comes after the last."), field="since")
    if (until - since).days > 3660:
        raise Invalid(_("Choose at most ten years."), field="until")
    return totals.as_dict(totals.compute(session, user=user, start=since,
                                         end=until + timedelta(days=1), zone=zone))


# --- surveys ------------------------------------------------------------------------------

@router.get("/surveys", response_model=Page[dict[str, Any]])
def survey_list(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[dict]:
    return paginate(session, surveys.list_query(user), page,
                    lambda s: surveys.public(session, s))


@router.post("/surveys", status_code=201)
def survey_create(data: SurveyIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return surveys.public(session, surveys.create(session, user=user, data=data))


@router.get("/surveys/{survey_id:int}")
def survey(survey_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return surveys.public(session, surveys.get(session, user=user, survey_id=survey_id))


@router.post("/surveys/{survey_id:int}/points", status_code=201)
def survey_point(survey_id: Id, data: SurveyPointIn, session: SessionDep,
                 user: CurrentUser) -> dict[str, Any]:
    return surveys.point_public(surveys.add_point(session, user=user, survey_id=survey_id,
                                                  data=data))


@router.post("/surveys/{survey_id:int}/points/{point_id:int}/status")
def survey_point_status(survey_id: Id, point_id: Id, data: PointStatusIn, session: SessionDep,
                        user: CurrentUser) -> dict[str, Any]:
    """proposed -> approved -> installed (the command); any other step is a 409."""
    return surveys.point_public(surveys.set_status(session, user=user, survey_id=survey_id,
                                                   point_id=point_id, data=data))


# --- one hazard ---------------------------------------------------------------------------

@router.get("/{hazard_id:int}")
def hazard(hazard_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """A hazard with its work order and materials, photos, history and the actions the
    caller may take now."""
    return service.detail(session, service.get(session, user=user, hazard_id=hazard_id),
                          user=user)


@router.post("/{hazard_id:int}/actions")
def act(hazard_id: Id, data: ActionIn, session: SessionDep,
        user: CurrentUser) -> dict[str, Any]:
    """triage; reject (reason); order (assignee_agency_id, due_on, team, materials);
    complete (quantity in the category's unit, done_on); verify; return (reason)."""
    found = service.act(session, user=user, hazard_id=hazard_id, data=data)
    return service.detail(session, found, user=user)


