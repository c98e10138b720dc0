"""REST API of the flag queue: the flags of the persons the caller may see (paginated; a post
its own), a decision on one, a home visit from one. ``why`` comes as stored (message ids with
params) and as text in the caller's language; the article in the caller's language too."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, paginate
from bastion.residents.flags import rules, service
from bastion.residents.flags.models import FlagStatus, RiskFlag
from bastion.residents.models import Resident
from bastion.web.deps import CurrentUser, SessionDep

FlagKind = Literal["overstay", "expired_document", "no_lodging_registration",
                   "undesignated_crossing", "frequent_crossing", "work_without_permit",
                   "unregistered_marriage"]

router = APIRouter(prefix="/api/v1/residents/flags", tags=["residents"])


class FlagOut(BaseModel):
    id: int
    resident_id: int
    person: str
    flag: str
    label: str
    rule: str
    article: str
    why: list[dict[str, Any]]
    why_text: list[str]
    status: FlagStatus
    outcome: str
    post_agency_id: int | None
    raised_at: datetime
    computed_at: datetime
    decided_at: datetime | None


class DecideIn(BaseModel):
    status: Literal["in_hand", "confirmed", "dismissed"]
    outcome: str = Field("", max_length=4000)


class VisitIn(BaseModel):
    due: date | None = None
    reason: str = Field("", max_length=2000)


def flag_out(row: RiskFlag, resident: Resident) -> FlagOut:
    language = context.current().language
    return FlagOut(
        id=row.id, resident_id=resident.id, person=resident.name, flag=row.kind,
        label=rules.label(row.kind), rule=row.rule,
        article=rules.article_for(row.kind, row.article, language), why=row.why or [],
        why_text=rules.render_why(row.why), status=row.status, outcome=row.outcome or "",
        post_agency_id=row.post_agency_id, raised_at=row.raised_at, computed_at=row.computed_at,
        decided_at=row.decided_at)


@router.get("", response_model=Page[FlagOut])
def list_flags(session: SessionDep, user: CurrentUser, page: PageDep,
               status: Annotated[list[FlagStatus] | None, Query()] = None,
               kind: Annotated[FlagKind | None, Query()] = None,
               resident_id: Id | None = None) -> Page[FlagOut]:
    query = service.queue_query(user, status=status, kind=kind, resident_id=resident_id)
    return paginate(session, query, page, lambda pair: flag_out(*pair), scalars=False)


@router.get("/{flag_id}", response_model=FlagOut)
def get_flag(flag_id: Id, session: SessionDep, user: CurrentUser) -> FlagOut:
    return flag_out(*service.get(session, user=user, flag_id=flag_id))


@router.post("/{flag_id}/decide", response_model=FlagOut)
def decide(flag_id: Id, data: DecideIn, session: SessionDep, user: CurrentUser) -> FlagOut:
    row = service.decide(session, user=user, flag_id=flag_id, status=FlagStatus(data.status),
                         outcome=data.outcome)
    return flag_out(row, session.get(Resident, row.resident_id))


@router.post("/{flag_id}/visit", status_code=201)
def visit(flag_id: Id, data: VisitIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    task = service.visit(session, user=user, flag_id=flag_id, due=data.due, reason=data.reason)
    return {"id": task.id, "resident_id": task.resident_id, "flag_id": task.flag_id,
            "post_agency_id": task.post_agency_id, "due": task.due, "reason": task.reason,
            "status": task.status.value}
