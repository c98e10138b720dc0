"""Pages of rosters: the list (drafts for planners, published for readers, a form to make
one), a roster's grid (people × days for each unit, shift codes in the cells, pinned marked;
solve, progress, the explanation when it cannot be staffed, publish, swaps waiting), and the
set-up page. Cell edits go to the API from ``duty-roster.js``; forms post here."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core.bounds import Id
from bastion.core.errors import BastionError
from bastion.core.i18n import gettext
from bastion.duty import access
from bastion.duty.rosters import holidays as calendar_years
from bastion.duty.rosters import service, setup, swaps, views_setup
from bastion.duty.rosters.models import (
    Assignment,
    DutyPerson,
    Roster,
    RosterStatus,
    SwapRequest,
    SwapStatus,
)
from bastion.duty.rosters.schemas import DecisionIn, RosterIn
from bastion.duty.rosters.words import Words
from bastion.duty.solver import reasons_from_json
from bastion.org import capabilities
from bastion.org.models import Agency, User
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import error_for, form_to_dict, validate
from bastion.web.templating import render

router = APIRouter(prefix="/duty", include_in_schema=False)
router.routes.extend(views_setup.router.routes)  # /duty/setup (the manifest names one router)

RULE_FIELDS = ("min_rest_hours", "max_consecutive_nights", "max_nights_per_week",
               "max_consecutive_days", "min_days_off_per_week", "preference_weight")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# --- the list -------------------------------------------------------------------------------

def _list_page(request: Request, session: Session, user: User, status: int = 200,
               form: dict[str, Any] | None = None, errors: dict[str, str] | None = None
               ) -> Response:
    rosters = list(session.scalars(service.list_query(user).limit(200)))
    can_plan = capabilities.can(user, "duty.roster.plan")
    return render(request, "duty/rosters.html", status_code=status, rosters=rosters,
                  can_plan=can_plan, units=setup.units(session, user) if can_plan else [],
                  agencies={a.id: a for a in session.scalars(select(Agency).where(
                      Agency.id.in_({u for r in rosters for u in r.unit_ids or []})))},
                  rule_fields=RULE_FIELDS, form=form or {}, errors=errors or {})


@router.get("/rosters", response_class=HTMLResponse)
def rosters_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _list_page(request, session, user)


def _rules_of(data: dict[str, Any]) -> dict[str, Any]:
    rules: dict[str, Any] = {}
    for name in RULE_FIELDS:
        value = data.pop(f"rule_{name}", None)
        if value is None:
            continue
        try:
            number = float(value)
        except ValueError:
            rules[name] = value  # the solver's rules name it
            continue
        rules[name] = int(number) if number.is_integer() and name != "min_rest_hours" \
            else number
    return rules


@router.post("/rosters", response_class=HTMLResponse)
async def create_roster(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    data = form_to_dict(await request.form(), lists=("unit_ids",))
    payload = {**data, "rules": _rules_of(dict(data))}
    payload = {k: v for k, v in payload.items() if not k.startswith("rule_")}
    parsed, errors = validate(RosterIn, payload)
    if not errors:
        try:
            roster = service.create(session, user=user, data=parsed)
            return RedirectResponse(f"/duty/rosters/{roster.id}", status_code=303)
        except BastionError as exc:
            if exc.status_code != 422:
                raise
            errors = error_for(exc)
    return _list_page(request, session, user, status=422, form=data, errors=errors)


# --- one roster -----------------------------------------------------------------------------

def _grid(session: Session, roster: Roster, rows: list[Assignment]) -> list[dict[str, Any]]:
    """Per unit: its people (those on the roster, and for a planner every active one of the
    unit) each with their cells by day."""
    days = [roster.start + timedelta(days=i) for i in range(roster.days)]
    units = {a.id: a for a in session.scalars(select(Agency).where(
        Agency.id.in_(roster.unit_ids or [])))}
    on = {a.person_id for a in rows}
    people = list(session.scalars(select(DutyPerson).where(
        DutyPerson.unit_id.in_(list(units)), DutyPerson.org_id == roster.owner_org_id,
        DutyPerson.active | DutyPerson.id.in_(on)).order_by(DutyPerson.name, DutyPerson.id)))
    cells: dict[tuple[int, Any], list[Assignment]] = {}
    for a in rows:
        cells.setdefault((a.person_id, a.day), []).append(a)
    out = []
    for unit_id in roster.unit_ids or []:
        unit = units.get(unit_id)
        if unit is None:
            continue
        out.append({"unit": unit, "people": [
            {"person": p, "cells": [cells.get((p.id, d), []) for d in days]}
            for p in people if p.unit_id == unit_id or p.id in {
                a.person_id for a in rows if a.unit_id == unit_id}]})
    return out


def _roster_page(request: Request, session: Session, user: User, roster_id: int,
                 status: int = 200, error: str | None = None) -> Response:
    roster = service.get(session, user=user, roster_id=roster_id)
    may_plan = access.plans(user, roster)
    rows = service.assignments(session, roster) \
        if may_plan or roster.status == RosterStatus.PUBLISHED else []
    words = Words.of(session, roster)
    days = [roster.start + timedelta(days=i) for i in range(roster.days)]
    pending = list(session.scalars(swaps.list_query(user, status=SwapStatus.REQUESTED).where(
        SwapRequest.roster_id == roster.id).limit(100)))
    mine = {p.id for p in session.scalars(select(DutyPerson).where(
        DutyPerson.user_id == user.id))}
    return render(
        request, "duty/rosters_detail.html", status_code=status, roster=roster,
        may_plan=may_plan, grid=_grid(session, roster, rows), days=days, words=words,
        holidays=words.calendar(days), weekday_names=[gettext(d) for d in WEEKDAYS],
        holidays_missing=calendar_years.years_without(session, roster.start, roster.days),
        explanation=[words.text(r) for r in reasons_from_json(roster.explanation)],
        pending=[swaps.public(session, s) for s in pending], mine=mine, error=error,
        busy=roster.status in service.BUSY,
        people=list(session.scalars(select(DutyPerson).where(
            DutyPerson.org_id == roster.owner_org_id, DutyPerson.active,
            DutyPerson.unit_id.in_(roster.unit_ids or [])).order_by(DutyPerson.name)))
        if may_plan else [],
        can_swap=capabilities.can(user, "duty.swap.request"))


@router.get("/rosters/{roster_id:int}", response_class=HTMLResponse)
def roster_page(request: Request, roster_id: Id, session: SessionDep,
                user: CurrentUser) -> Response:
    return _roster_page(request, session, user, roster_id)


def _act(request: Request, session: Session, user: User, roster_id: int, act) -> Response:
    try:
        act()
    except BastionError as exc:
        if exc.status_code not in (409, 422):
            raise
        session.rollback()
        return _roster_page(request, session, user, roster_id, status=exc.status_code,
                            error=exc.message)
    return RedirectResponse(f"/duty/rosters/{roster_id}", status_code=303)


@router.post("/rosters/{roster_id:int}/solve", response_class=HTMLResponse)
def solve(request: Request, roster_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    return _act(request, session, user, roster_id,
                lambda: service.queue_solve(session, user=user, roster_id=roster_id))


@router.post("/rosters/{roster_id:int}/publish", response_class=HTMLResponse)
def publish(request: Request, roster_id: Id, session: SessionDep,
            user: CurrentUser) -> Response:
    return _act(request, session, user, roster_id,
                lambda: service.publish(session, user=user, roster_id=roster_id))


@router.post("/swaps/{swap_id:int}/{decision}", response_class=HTMLResponse)
async def decide_swap(request: Request, swap_id: Id, decision: str, session: SessionDep,
                      user: CurrentUser) -> Response:
    data = form_to_dict(await request.form())
    note = DecisionIn.model_validate({"note": str(data.get("note", ""))[:1000]}).note
    swap = session.scalar(swaps.list_query(user).where(SwapRequest.id == swap_id))
    if swap is None or decision not in ("approve", "refuse"):
        from bastion.core.errors import NotFound

        raise NotFound(gettext("No such swap."))
    act = swaps.approve if decision == "approve" else swaps.refuse
    return _act(request, session, user, swap.roster_id,
                lambda: act(session, user=user, swap_id=swap_id, note=note))

