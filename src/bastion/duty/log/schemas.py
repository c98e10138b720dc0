"""Payloads of the duty-log API. Times are ISO 8601 with an offset (a naive time is a 422
naming the field) and kept in UTC; positions are WGS-84 degrees, checked for range."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID

from annotated_types import Interval
from pydantic import AfterValidator, AwareDatetime, BaseModel, Field

from bastion.core.bounds import Id
from bastion.duty.log.models import EntryKind, Stage
from bastion.org.sharing import MarkingIn

When = Annotated[AwareDatetime, AfterValidator(lambda value: value.astimezone(UTC))]


def _real_day(value: str) -> str:
    """A calendar day that exists: the pattern alone let "2027-02-30" be stored."""
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError("not a calendar day (YYYY-MM-DD)") from None
    return value


Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_day)]
Lon = Annotated[float, Interval(ge=-180, le=180)]
Lat = Annotated[float, Interval(ge=-90, le=90)]


class LogEntryIn(BaseModel):
    """The five elements: when; who called (unit, name, number); what; the leader's
    instruction and the handling; the recorder is the user who posts it."""

    occurred_at: When
    kind: EntryKind = EntryKind.CALL
    caller_unit: str = Field(default="", max_length=200)
    caller_name: str = Field(default="", max_length=100)
    caller_number: str = Field(default="", max_length=40)
    content: str = Field(min_length=1, max_length=8000)
    instruction: str = Field(default="", max_length=8000)
    handling: str = Field(default="", max_length=8000)
    unit_id: Id | None = Field(default=None, description="the unit whose log it is "
                               "(default: the recorder's)")
    client_id: UUID | None = Field(default=None, description="the client's id: sending the "
                                   "same entry again returns the stored one (200)")
    marking: MarkingIn | None = Field(default=None, description="default GREEN, own "
                                      "organisation")
    exercise: bool = False


class StepIn(BaseModel):
    stage: Stage
    note: str = Field(default="", max_length=4000)
    to_whom: str = Field(default="", max_length=200)
    next_due_at: When | None = None


class HandoverIn(BaseModel):
    incoming_user_id: Id
    situation: str = Field(default="", max_length=8000)  # 情况清
    problems: str = Field(default="", max_length=8000)  # 问题清
    tasks: str = Field(default="", max_length=8000)  # 任务清
    shift_day: Day | None = None
    shift_code: str | None = Field(default=None, min_length=1, max_length=16)


class ConfirmIn(BaseModel):
    note: str = Field(default="", max_length=4000)


class CheckInIn(BaseModel):
    client_id: UUID
    device_at: When
    lon: Lon | None = None
    lat: Lat | None = None


class AcknowledgeIn(BaseModel):
    note: str = Field(default="", max_length=2000)


class StepOut(BaseModel):
    id: int
    stage: Stage
    note: str
    to_whom: str
    next_due_at: datetime | None
    by_user_id: int
    at: datetime
    escalated_level: int


class LogEntryOut(BaseModel):
    id: int
    client_id: str | None
    unit_id: int
    kind: EntryKind
    occurred_at: datetime
    caller_unit: str
    caller_name: str
    caller_number: str
    content: str
    instruction: str
    handling: str
    recorded_by_id: int
    recorded_at: datetime
    corrects_id: int | None
    corrected_by_id: int | None
    hotline_call_id: int | None
    stage: Stage
    next_due_at: datetime | None
    tlp: str
    distribution: str
    exercise: bool
    synthetic: bool
    steps: list[StepOut] | None = None


class HandoverOut(BaseModel):
    id: int
    unit_id: int
    roster_id: int | None
    shift_day: str | None
    shift_code: str | None
    outgoing_user_id: int
    incoming_user_id: int
    situation: str
    problems: str
    tasks: str
    open_items: list[dict]
    withheld_items: int = 0  # open items the reader may not read (left out)
    created_at: datetime
    due_at: datetime
    confirmed_at: datetime | None
    confirm_note: str
    escalated_level: int
    released: bool


class CheckInOut(BaseModel):
    id: int
    client_id: str
    user_id: int
    assignment_id: int | None
    device_at: datetime | None
    at: datetime
    lon: float | None
    lat: float | None


class MissedOut(BaseModel):
    id: int
    assignment_id: int
    person_name: str
    unit_id: int
    due_at: datetime
    raised_at: datetime
    leader_user_id: int | None
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None
    note: str
