"""The set-up page for planners (``/duty/setup``): duty roles, shifts, people, demand,
requests and the calendar of holidays; each form posts here and comes back with the errors
by field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core.bounds import Id
from bastion.core.errors import BastionError
from bastion.duty.rosters import holidays, setup
from bastion.duty.rosters.models import DayKind, RequestKind
from bastion.duty.rosters.schemas import (
    CalendarDayIn,
    DemandIn,
    PersonIn,
    RequestIn,
    RoleIn,
    ShiftIn,
)
from bastion.org.models import Role, User
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import error_for, form_to_dict, validate
from bastion.web.templating import render

router = APIRouter(prefix="/duty", include_in_schema=False)


def _page(request: Request, session: Session, user: User, status: int = 200,
          section: str | None = None, form: dict[str, Any] | None = None,
          errors: dict[str, str] | None = None) -> Response:
    setup.require_planner(user)
    today = setup.local_today(request.app.state.settings.timezone)
    units = setup.units(session, user)
    org_people = list(session.scalars(select(User).where(
        User.agency_id.in_([u.id for u in units]), User.active, ~User.system).order_by(
        User.display_name)))
    return render(
        request, "duty/setup.html", status_code=status, units=units,
        unit_names={u.id: u for u in units},
        roles=setup.roles(session, user.organisation_id),
        shifts=setup.shifts(session, user.organisation_id),
        people=list(session.scalars(setup.people_query(session, user))),
        demand=list(session.scalars(setup.demand_query(session, user))),
        requests=list(session.scalars(setup.requests_query(session, user).limit(300))),
        days=list(session.scalars(setup.calendar_query())),
        users=org_people, day_kinds=list(DayKind), request_kinds=list(RequestKind),
        may_edit_calendar=user.has_role(Role.ADMIN),
        today=today,
        holiday_years=holidays.years_held(session),
        # this year and the next: the one a planner rosters for soon
        holidays_missing=holidays.years_without(
            session, date(today.year, 1, 1),
            (date(today.year + 2, 1, 1) - date(today.year, 1, 1)).days),
        section=section, form=form or {}, errors=errors or {})


@router.get("/setup", response_class=HTMLResponse)
def setup_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _page(request, session, user)


async def _post(request: Request, session: Session, user: User, section: str,
                schema: type[BaseModel], save: Callable[[Any], Any],
                lists: tuple[str, ...] = (), flags: tuple[str, ...] = ()) -> Response:
    setup.require_planner(user)
    data = form_to_dict(await request.form(), lists=lists)
    payload = {**data, **{f: f in data for f in flags}}
    parsed, errors = validate(schema, payload)
    if not errors:
        try:
            save(parsed)
            return RedirectResponse(f"/duty/setup#{section}", status_code=303)
        except BastionError as exc:
            if exc.status_code != 422:
                raise
            session.rollback()
            errors = error_for(exc)
    return _page(request, session, user, status=422, section=section, form=data,
                 errors=errors)


@router.post("/setup/roles", response_class=HTMLResponse)
async def add_role(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return await _post(request, session, user, "roles", RoleIn,
                       lambda d: setup.save_role(session, user=user, data=d),
                       flags=("leads", "checks_in", "active"))


@router.post("/setup/shifts", response_class=HTMLResponse)
async def add_shift(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return await _post(request, session, user, "shifts", ShiftIn,
                       lambda d: setup.save_shift(session, user=user, data=d),
                       flags=("active",))


@router.post("/setup/people", response_class=HTMLResponse)
async def add_person(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return await _post(request, session, user, "people", PersonIn,
                       lambda d: setup.save_person(session, user=user, data=d),
                       lists=("roles",), flags=("active",))


@router.post("/setup/demand", response_class=HTMLResponse)
async def add_demand(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return await _post(request, session, user, "demand", DemandIn,
                       lambda d: setup.add_demand(session, user=user, data=d),
                       lists=("weekdays",))


@router.post("/setup/demand/{demand_id:int}/delete", response_class=HTMLResponse)
def delete_demand(demand_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    setup.delete_demand(session, user=user, demand_id=demand_id)
    return RedirectResponse("/duty/setup#demand", status_code=303)


@router.post("/setup/requests", response_class=HTMLResponse)
async def add_request(request: Request, session: SessionDep, user: CurrentUser,
                      settings: SettingsDep) -> Response:
    today = setup.local_today(settings.timezone)
    return await _post(request, session, user, "requests", RequestIn,
                       lambda d: setup.add_request(session, user=user, data=d, today=today))


@router.post("/setup/requests/{request_id:int}/delete", response_class=HTMLResponse)
def delete_request(request_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    setup.delete_request(session, user=user, request_id=request_id)
    return RedirectResponse("/duty/setup#requests", status_code=303)


@router.post("/setup/holidays", response_class=HTMLResponse)
def load_holidays(session: SessionDep, user: CurrentUser) -> Response:
    """Load the shipped holidays again (an administrator): idempotent."""
    setup.put_days(session, user=user, days=setup.shipped_days())
    return RedirectResponse("/duty/setup#calendar", status_code=303)


@router.post("/setup/calendar", response_class=HTMLResponse)
async def put_day(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """Enter or change one day of the calendar (an administrator): how a year the shipped
    file does not cover is entered from the State Council's notice, a day at a time."""
    setup.require_calendar_editor(user)
    return await _post(request, session, user, "calendar", CalendarDayIn,
                       lambda d: setup.put_days(session, user=user, days=[d]))


@router.post("/setup/calendar/{day}/delete", response_class=HTMLResponse)
def delete_day(day: date, session: SessionDep, user: CurrentUser) -> Response:
    setup.delete_day(session, user=user, day=day)
    return RedirectResponse("/duty/setup#calendar", status_code=303)
