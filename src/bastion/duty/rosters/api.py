"""REST API of rosters under ``/api/v1/duty``: set-up (roles, people, shifts, demand,
calendar days, requests), rosters (create, queue a solve — 202, the job solves —, cells,
publish) and swaps. Capabilities and need-to-know are checked in the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Response

from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, paginate
from bastion.duty.rosters import service, setup, swaps
from bastion.duty.rosters.models import RosterStatus, SwapStatus
from bastion.duty.rosters.schemas import (
    CalendarDaysIn,
    CellIn,
    CellPersonIn,
    DecisionIn,
    DemandIn,
    PersonIn,
    PinIn,
    RequestIn,
    RoleIn,
    RosterIn,
    ShiftIn,
    SwapIn,
)
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1/duty", tags=["duty"])

# --- set-up ---------------------------------------------------------------------------------


@router.get("/roles", response_model=Page[dict[str, Any]])
def list_roles(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[dict[str, Any]]:
    return paginate(session, setup.roles_query(user), page, setup.public_role)


@router.post("/roles", status_code=201)
def save_role(data: RoleIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return setup.public_role(setup.save_role(session, user=user, data=data))


@router.get("/shifts", response_model=Page[dict[str, Any]])
def list_shifts(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[dict[str, Any]]:
    return paginate(session, setup.shifts_query(user), page, setup.public_shift)


@router.post("/shifts", status_code=201)
def save_shift(data: ShiftIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return setup.public_shift(setup.save_shift(session, user=user, data=data))


@router.get("/people", response_model=Page[dict[str, Any]])
def list_people(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[dict[str, Any]]:
    return paginate(session, setup.people_query(session, user), page, setup.public_person)


@router.post("/people", status_code=201)
def add_person(data: PersonIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return setup.public_person(setup.save_person(session, user=user, data=data))


@router.put("/people/{person_id}")
def change_person(person_id: Id, data: PersonIn, session: SessionDep,
                  user: CurrentUser) -> dict[str, Any]:
    return setup.public_person(setup.save_person(session, user=user, data=data,
                                                 person_id=person_id))


@router.get("/demand", response_model=Page[dict[str, Any]])
def list_demand(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[dict[str, Any]]:
    return paginate(session, setup.demand_query(session, user), page, setup.public_demand)


@router.post("/demand", status_code=201)
def add_demand(data: DemandIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return setup.public_demand(setup.add_demand(session, user=user, data=data))


@router.delete("/demand/{demand_id}", status_code=204)
def delete_demand(demand_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    setup.delete_demand(session, user=user, demand_id=demand_id)
    return Response(status_code=204)


@router.get("/calendar-days", response_model=Page[dict[str, Any]])
def list_days(session: SessionDep, user: CurrentUser, page: PageDep,
              start: date | None = None, end: date | None = None) -> Page[dict[str, Any]]:
    setup.require_reader(user)
    return paginate(session, setup.calendar_query(start=start, end=end), page,
                    setup.public_day)


@router.post("/calendar-days")
def put_days(data: CalendarDaysIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Upload or edit days (an administrator who plans duty): insert or change by date."""
    return {"changed": setup.put_days(session, user=user, days=data.days)}


@router.delete("/calendar-days/{day}", status_code=204)
def delete_day(day: date, session: SessionDep, user: CurrentUser) -> Response:
    setup.delete_day(session, user=user, day=day)
    return Response(status_code=204)


@router.get("/requests", response_model=Page[dict[str, Any]])
def list_requests(session: SessionDep, user: CurrentUser,
                  page: PageDep) -> Page[dict[str, Any]]:
    return paginate(session, setup.requests_query(session, user), page, setup.public_request)


@router.post("/requests", status_code=201)
def add_request(data: RequestIn, session: SessionDep, user: CurrentUser,
                settings: SettingsDep) -> dict[str, Any]:
    """A day off or a preference for today or a day to come (a past ``day`` is a 422)."""
    return setup.public_request(setup.add_request(
        session, user=user, data=data, today=setup.local_today(settings.timezone)))


@router.delete("/requests/{request_id}", status_code=204)
def delete_request(request_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    setup.delete_request(session, user=user, request_id=request_id)
    return Response(status_code=204)


# --- rosters --------------------------------------------------------------------------------

@router.get("/rosters", response_model=Page[dict[str, Any]])
def list_rosters(session: SessionDep, user: CurrentUser, page: PageDep,
                 status: RosterStatus | None = None) -> Page[dict[str, Any]]:
    return paginate(session, service.list_query(user, status=status), page, service.public)


@router.post("/rosters", status_code=201)
def create_roster(data: RosterIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return service.public(service.create(session, user=user, data=data))


@router.get("/rosters/{roster_id}")
def get_roster(roster_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """The roster with its status, progress while solving, explanation when it cannot be
    staffed, and its assignments (a draft's only for its planners)."""
    roster = service.get(session, user=user, roster_id=roster_id)
    return service.detail(session, user=user, roster=roster)


@router.post("/rosters/{roster_id}/solve", status_code=202)
def solve(roster_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Queue a solve (the solver job takes it); poll this roster for progress."""
    return service.public(service.queue_solve(session, user=user, roster_id=roster_id))


@router.post("/rosters/{roster_id}/publish")
def publish(roster_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return service.public(service.publish(session, user=user, roster_id=roster_id))


@router.post("/rosters/{roster_id}/assignments", status_code=201)
def add_cell(roster_id: Id, data: CellIn, session: SessionDep, user: CurrentUser,
             settings: SettingsDep) -> dict[str, Any]:
    return service.public_assignment(service.add_cell(
        session, user=user, roster_id=roster_id, data=data, zone=settings.timezone))


@router.patch("/rosters/{roster_id}/assignments/{assignment_id}")
def set_person(roster_id: Id, assignment_id: Id, data: CellPersonIn, session: SessionDep,
               user: CurrentUser, settings: SettingsDep) -> dict[str, Any]:
    """Give the cell to another person (refused, 422 naming the rule, when it breaks one)."""
    return service.public_assignment(service.set_person(
        session, user=user, roster_id=roster_id, assignment_id=assignment_id,
        person_id=data.person_id, pinned=data.pinned, zone=settings.timezone))


@router.post("/rosters/{roster_id}/assignments/{assignment_id}/pin")
def pin(roster_id: Id, assignment_id: Id, data: PinIn, session: SessionDep,
        user: CurrentUser) -> dict[str, Any]:
    return service.public_assignment(service.pin(
        session, user=user, roster_id=roster_id, assignment_id=assignment_id,
        pinned=data.pinned))


@router.delete("/rosters/{roster_id}/assignments/{assignment_id}", status_code=204)
def clear_cell(roster_id: Id, assignment_id: Id, session: SessionDep,
               user: CurrentUser) -> Response:
    service.delete_cell(session, user=user, roster_id=roster_id, assignment_id=assignment_id)
    return Response(status_code=204)


# --- swaps ----------------------------------------------------------------------------------

@router.get("/swaps", response_model=Page[dict[str, Any]])
def list_swaps(session: SessionDep, user: CurrentUser, page: PageDep,
               status: SwapStatus | None = None) -> Page[dict[str, Any]]:
    return paginate(session, swaps.list_query(user, status=status), page,
                    lambda s: swaps.public(session, s))


@router.post("/swaps", status_code=201)
def ask_swap(data: SwapIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return swaps.public(session, swaps.request(session, user=user, data=data))


@router.post("/swaps/{swap_id}/approve")
def approve_swap(swap_id: Id, data: DecisionIn, session: SessionDep,
                 user: CurrentUser) -> dict[str, Any]:
    return swaps.public(session, swaps.approve(session, user=user, swap_id=swap_id,
                                               note=data.note))


@router.post("/swaps/{swap_id}/refuse")
def refuse_swap(swap_id: Id, data: DecisionIn, session: SessionDep,
                user: CurrentUser) -> dict[str, Any]:
    return swaps.public(session, swaps.refuse(session, user=user, swap_id=swap_id,
                                              note=data.note))
