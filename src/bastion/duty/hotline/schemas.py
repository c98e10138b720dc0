"""Payloads of the hotline API. Times are ISO 8601 with an offset (a naive time is a 422 naming
the field) and kept in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field

from bastion.core.bounds import Id
from bastion.duty.hotline.models import CallKind, CallLanguage, CallStatus
from bastion.org.sharing import MarkingIn

When = Annotated[AwareDatetime, AfterValidator(lambda value: value.astimezone(UTC))]
ACTIONS = ("accept", "assign", "note", "callback", "close", "reopen")
Action = Literal["accept", "assign", "note", "callback", "close", "reopen"]


class CallIn(BaseModel):
    received_at: When
    language: CallLanguage
    kind: CallKind
    caller_name: str = Field(default="", max_length=100)
    caller_number: str = Field(default="", max_length=40, pattern=r"^[0-9+()\- ]*$")
    summary: str = Field(min_length=1, max_length=4000)
    client_id: UUID | None = None
    exercise: bool = False
    open_log_entry: bool = Field(
        default=False, description="also record the call in the duty log (duty.log.write)")
    marking: MarkingIn | None = Field(default=None, description="default TLP:AMBER, own")


class ActionIn(BaseModel):
    action: Action
    note: str = Field(default="", max_length=4000)
    assignee_id: Id | None = None
    outcome: str = Field(default="", max_length=4000)


class CallOut(BaseModel):
    id: int
    client_id: str | None
    unit_id: int
    received_at: datetime
    language: CallLanguage
    language_label: str
    kind: CallKind
    kind_label: str
    caller_name: str
    caller_number: str
    summary: str
    due_at: datetime
    overdue: bool
    status: CallStatus
    status_label: str
    assignee_id: int | None
    closed_at: datetime | None
    on_time: bool | None  # None while open
    outcome: str
    taken_by_id: int
    escalated_level: int
    exercise: bool
    synthetic: bool
    log_entry_id: int | None = None


class ActionOut(BaseModel):
    id: int
    action: str
    action_label: str
    note: str
    by_user_id: int
    by_name: str
    at: datetime


class CallDetail(CallOut):
    actions: list[ActionOut]
