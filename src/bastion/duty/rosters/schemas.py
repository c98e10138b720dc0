"""Payloads of the roster API: set-up (roles, people, shifts, demand, calendar days, requests),
rosters (create, cells, publish) and swaps. Days are local dates; shift times "HH:MM" local to
``settings.timezone``. Bad input is a 422 naming the field."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from annotated_types import Interval
from pydantic import AfterValidator, BaseModel, Field

from bastion.core.bounds import Id
from bastion.duty.rosters.models import DayKind, RequestKind


def _hhmm(value: str) -> str:
    hours, _sep, minutes = value.partition(":")
    if not (len(hours) == 2 and len(minutes) == 2 and hours.isdigit() and minutes.isdigit()
            and int(hours) < 24 and int(minutes) < 60):
        raise ValueError("a local time HH:MM (00:00 to 23:59)")
    return value


HHMM = Annotated[str, AfterValidator(_hhmm)]
Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")]
ShiftCode = Annotated[str, Field(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9_.-]+$")]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Weekday = Annotated[int, Interval(ge=0, le=6)]


class RoleIn(BaseModel):
    code: Code
    name_zh: Name
    name_en: Name
    leads: bool = False
    checks_in: bool = False
    active: bool = True


class PersonIn(BaseModel):
    name: Name
    unit_id: Id
    user_id: Id | None = None
    roles: list[Code] = Field(default_factory=list, max_length=20)
    phone: str | None = Field(default=None, max_length=40)
    active: bool = True


class ShiftIn(BaseModel):
    code: ShiftCode
    name: Name
    start: HHMM
    end: HHMM
    active: bool = True


class DemandIn(BaseModel):
    unit_id: Id
    shift_code: ShiftCode
    role_code: Code
    count: Annotated[int, Interval(ge=0, le=50)] = 1
    weekdays: list[Weekday] = Field(default_factory=list, max_length=7)
    day_kind: DayKind | None = None


class CalendarDayIn(BaseModel):
    day: date
    kind: DayKind
    name_zh: Name
    name_en: Name


class CalendarDaysIn(BaseModel):
    """An upload of many days (the shape of ``duty/data/holidays.json``'s ``days``)."""

    days: list[CalendarDayIn] = Field(min_length=1, max_length=1000)


class RequestIn(BaseModel):
    person_id: Id
    day: date
    kind: RequestKind = RequestKind.OFF
    shift_code: ShiftCode | None = None
    reason: str = Field(default="", max_length=500)


class RosterIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    start: date
    days: Annotated[int, Interval(ge=1, le=62)] = 28
    unit_ids: list[Id] = Field(min_length=1, max_length=50)
    rules: dict[str, Any] = Field(default_factory=dict)
    partner_agency_ids: list[Id] = Field(default_factory=list, max_length=20,
                                         description="partners on a joint rotation (named)")


class CellIn(BaseModel):
    """A cell to fill (a new assignment) or, on an existing one, its new person."""

    day: date
    shift_code: ShiftCode
    unit_id: Id
    role_code: Code
    person_id: Id
    pinned: bool = True


class CellPersonIn(BaseModel):
    person_id: Id
    pinned: bool | None = None


class PinIn(BaseModel):
    pinned: bool = True


class SwapIn(BaseModel):
    assignment_id: Id
    to_person_id: Id
    other_assignment_id: Id | None = None
    reason: str = Field(default="", max_length=1000)


class DecisionIn(BaseModel):
    note: str = Field(default="", max_length=1000)
