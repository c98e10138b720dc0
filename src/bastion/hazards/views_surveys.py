"""Pages of blind-spot surveys: the list with a new-survey form, and one survey with its
blind spots and proposed camera points on the map (click the map to place a point), the
command's approve / installed buttons."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from bastion.core.bounds import Id
from bastion.core.db import utcnow
from bastion.core.errors import BastionError
from bastion.hazards import access, field, surveys
from bastion.hazards.models import PointKind
from bastion.hazards.schemas import PointStatusIn, SurveyIn, SurveyPointIn
from bastion.hazards.views import agency_names
from bastion.org import capabilities
from bastion.org.models import User
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import error_for, form_to_dict, validate
from bastion.web.templating import render

router = APIRouter(prefix="/hazards/surveys", include_in_schema=False)


def _list(request: Request, session: Session, user: User, status: int = 200,
          **extra: Any) -> Response:
    found = list(session.scalars(surveys.list_query(user).limit(200)))
    items = [surveys.public(session, s) for s in found]
    return render(request, "hazards/surveys.html", status_code=status, surveys=items,
                  names=agency_names(session, {s.post_agency_id for s in found}),
                  can_write=capabilities.can(user, "hazards.surveys.write"),
                  posts=field.posts_for(session, user),
                  is_post=user.agency.kind.value == "joint_defence_post",
                  today=utcnow().date().isoformat(), **extra)


@router.get("", response_class=HTMLResponse)
def list_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _list(request, session, user)


@router.post("", response_class=HTMLResponse)
async def create(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "hazards.surveys.write")
    data = form_to_dict(await request.form(), flags=("exercise",))
    payload, errors = validate(SurveyIn, data)
    if not errors:
        try:
            survey = surveys.create(session, user=user, data=payload)
            return RedirectResponse(f"/hazards/surveys/{survey.id}", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 422):
                raise
            errors = error_for(exc)
    return _list(request, session, user, status=422, form=data, errors=errors)


def _detail(request: Request, session: Session, user: User, survey_id: int, status: int = 200,
            **extra: Any) -> Response:
    survey = surveys.get(session, user=user, survey_id=survey_id)
    info = surveys.public(session, survey)
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                 "properties": {"label": p["note"] or p["kind"], "kind": p["kind"],
                                "status": p["status"]}} for p in info["points"]]
    if survey.area:
        features.append({"type": "Feature", "geometry": survey.area, "properties": {"kind": "area"}})
    return render(request, "hazards/survey.html", status_code=status, survey=survey, info=info,
                  names=agency_names(session, {survey.post_agency_id}),
                  features=json.dumps({"type": "FeatureCollection", "features": features}),
                  can_write=capabilities.can(user, "hazards.surveys.write"),
                  can_approve=access.commands(user, survey.owner_org_id),
                  kinds=list(PointKind), **{"form": {}, **extra})


@router.get("/{survey_id:int}", response_class=HTMLResponse)
def survey_page(request: Request, survey_id: Id, session: SessionDep,
                user: CurrentUser) -> Response:
    return _detail(request, session, user, survey_id)


@router.post("/{survey_id:int}/points", response_class=HTMLResponse)
async def add_point(request: Request, survey_id: Id, session: SessionDep,
                    user: CurrentUser) -> Response:
    data = form_to_dict(await request.form())
    payload, errors = validate(SurveyPointIn, data)
    if not errors:
        try:
            surveys.add_point(session, user=user, survey_id=survey_id, data=payload)
            return RedirectResponse(f"/hazards/surveys/{survey_id}", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 422):
                raise
            errors = error_for(exc)
    return _detail(request, session, user, survey_id, status=422, form=data, errors=errors)


@router.post("/{survey_id:int}/points/{point_id:int}/status", response_class=HTMLResponse)
async def point_status(request: Request, survey_id: Id, point_id: Id, session: SessionDep,
                       user: CurrentUser) -> Response:
    data = form_to_dict(await request.form())
    payload, errors = validate(PointStatusIn, data)
    if not errors:
        try:
            surveys.set_status(session, user=user, survey_id=survey_id, point_id=point_id,
                               data=payload)
            return RedirectResponse(f"/hazards/surveys/{survey_id}", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 422):
                raise
            errors = error_for(exc)
    return _detail(request, session, user, survey_id, status=409, errors=errors)


