"""REST API of the declarations workspace, the departure and the health declaration."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, UploadFile
from pydantic import BaseModel, Field

from bastion.clearance.calls import service as calls
from bastion.clearance.calls.schemas import DeclarationPublic, RowsIn
from bastion.clearance.departure import service as departure
from bastion.clearance.health import service as health
from bastion.clearance.workspace import service
from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, from_list
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1/port-calls", tags=["port clearance"])
MAX_UPLOAD = 20 * 2**20
Purpose = Annotated[str | None, Header(alias="X-Purpose", max_length=500)]


class RowIn(BaseModel):
    row: dict[str, Any] = Field(description="one person or item, keyed by field")


class CopyIn(BaseModel):
    source_id: Id
    forms: list[str] | None = Field(default=None, max_length=4)


class ReasonIn(BaseModel):
    person_key: str = Field(min_length=1, max_length=120)
    reason: str = Field(min_length=1, max_length=20)
    note: str | None = Field(default=None, max_length=2000)


class DraughtIn(BaseModel):
    draught_m: float


class DecisionIn(BaseModel):
    decision: str = Field(min_length=1, max_length=20)
    conditions: str | None = Field(default=None, max_length=4000)


class VersionPublic(DeclarationPublic):
    rows_count: int = 0
    uploaded_by_id: int


def _version(d) -> VersionPublic:
    return VersionPublic.model_validate({**DeclarationPublic.model_validate(d).model_dump(),
                                         "rows_count": len(d.rows),
                                         "uploaded_by_id": d.uploaded_by_id})


@router.get("/{call_id}/declarations", response_model=Page[VersionPublic])
def versions(call_id: Id, session: SessionDep, user: CurrentUser,
             page: PageDep) -> Page[VersionPublic]:
    """Every version of every form this user may read, without rows."""
    call = calls.get_call(session, user=user, call_id=call_id)
    return from_list([_version(d) for d in service.listing(session, user=user, call=call)], page)


@router.get("/{call_id}/declarations/{form}/rows")
def rows(call_id: Id, form: str, session: SessionDep, user: CurrentUser, page: PageDep,
         version: Annotated[Id | None, Query()] = None,
         purpose: Purpose = None) -> Page[dict[str, Any]]:
    """The declared rows of one version (the latest by default), a page at a time; audited."""
    call = calls.get_call(session, user=user, call_id=call_id)
    declaration = service.get(session, user=user, call=call, form=form, version=version,
                              purpose=purpose)
    return from_list(declaration.rows, page)


@router.get("/{call_id}/declarations/{form}/diff")
def compare(call_id: Id, form: str, session: SessionDep, user: CurrentUser,
            old: Annotated[Id, Query(alias="from")],
            new: Annotated[Id | None, Query(alias="to")] = None) -> dict[str, Any]:
    """What changed from version ``from`` to ``to`` (the latest by default): rows added,
    removed, and changed with each field's before and after."""
    call = calls.get_call(session, user=user, call_id=call_id)
    return service.compare(session, user=user, call=call, form=form, old=old, new=new)


@router.post("/{call_id}/declarations/{form}/row", response_model=DeclarationPublic,
             status_code=201)
def add_row(call_id: Id, form: str, data: RowIn, session: SessionDep,
            user: CurrentUser) -> DeclarationPublic:
    """One more row on the latest version (a new version): the upload rules, all or none."""
    call = calls.get_call(session, user=user, call_id=call_id)
    return DeclarationPublic.model_validate(service.add_row(session, user=user, call=call,
                                                            form=form, row=data.row))


@router.post("/{call_id}/copy-forward", response_model=list[DeclarationPublic],
             status_code=201)
def copy_forward(call_id: Id, data: CopyIn, session: SessionDep,
                 user: CurrentUser) -> list[DeclarationPublic]:
    """Start this call's lists from an earlier call of the same agent (its departure lists
    when declared, else its arrival lists), checked again for this call."""
    call = calls.get_call(session, user=user, call_id=call_id)
    source = calls.get_call(session, user=user, call_id=data.source_id)
    return [DeclarationPublic.model_validate(d) for d in service.copy_forward(
        session, user=user, call=call, source=source, forms=data.forms)]


# --- departure --------------------------------------------------------------------------------

class DeparturePublic(BaseModel):
    call_id: int
    versions: dict[str, int]
    persons: list[dict[str, Any]]
    arrival_persons: int
    changes: list[dict[str, Any]]
    counts: dict[str, int]
    draught_m: float | None
    tide_terminal: bool
    window_start: datetime | None
    window_end: datetime | None
    screened_at: datetime | None
    screening: dict[str, str] | None = Field(
        description="per person, the outbound screening outcome; null for agents")


def _departure(session, user, call) -> DeparturePublic:
    return DeparturePublic.model_validate(departure.summary(session, user=user, call=call))


@router.get("/{call_id}/departure", response_model=DeparturePublic)
def get_departure(call_id: Id, session: SessionDep, user: CurrentUser,
                  purpose: Purpose = None) -> DeparturePublic:
    """Departure lists, the changes against arrival with their reasons, draught and tide
    window, outbound screening (not for agents)."""
    call = calls.get_call(session, user=user, call_id=call_id, audited=True, purpose=purpose)
    return _departure(session, user, call)


@router.post("/{call_id}/departure/{which}", response_model=DeclarationPublic, status_code=201)
def upload_departure(call_id: Id, which: str, file: UploadFile, session: SessionDep,
                     user: CurrentUser) -> DeclarationPublic:
    """The departure crew (``crew``) or passenger (``passengers``) list, FAL 5/6 template."""
    data = read_upload(file, MAX_UPLOAD)
    call = calls.get_call(session, user=user, call_id=call_id)
    return DeclarationPublic.model_validate(departure.upload(
        session, user=user, call=call, which=which, data=data, filename=file.filename or which))


@router.post("/{call_id}/departure/{which}/rows", response_model=DeclarationPublic,
             status_code=201)
def departure_rows(call_id: Id, which: str, data: RowsIn, session: SessionDep,
                   user: CurrentUser) -> DeclarationPublic:
    from bastion.clearance.declarations.forms import DEPARTURE_FORMS
    from bastion.core.errors import Invalid
    from bastion.core.i18n import gettext as _

    if which not in DEPARTURE_FORMS:
        raise Invalid(_("Unknown form."), field="form")
    call = calls.get_call(session, user=user, call_id=call_id)
    return DeclarationPublic.model_validate(service.submit_rows(
        session, user=user, call=call, form=DEPARTURE_FORMS[which], rows=data.rows,
        filename=f"{which}.json", channel="rows"))


@router.put("/{call_id}/departure/reasons", response_model=DeparturePublic)
def mark(call_id: Id, data: ReasonIn, session: SessionDep, user: CurrentUser) -> DeparturePublic:
    """Why a person missing at departure (signed_off, hospital, deserted, deceased) or new at
    it (signed_on, stowaway) is so; ``person_key`` from the changes."""
    call = calls.get_call(session, user=user, call_id=call_id)
    departure.mark(session, user=user, call=call, person_key=data.person_key,
                   reason=data.reason, note=data.note)
    return _departure(session, user, call)


@router.put("/{call_id}/departure/draught", response_model=DeparturePublic)
def draught(call_id: Id, data: DraughtIn, session: SessionDep,
            user: CurrentUser) -> DeparturePublic:
    """The departure draught; at a tide-window terminal, the first window it can sail in."""
    call = calls.get_call(session, user=user, call_id=call_id)
    departure.set_draught(session, user=user, call=call, draught_m=data.draught_m)
    return _departure(session, user, call)


@router.post("/{call_id}/departure-screening", response_model=DeparturePublic)
def screen(call_id: Id, session: SessionDep, user: CurrentUser) -> DeparturePublic:
    """Run the outbound screening again (the station)."""
    call = calls.get_call(session, user=user, call_id=call_id)
    departure.screen(session, call=call, user=user)
    return _departure(session, user, call)


# --- Maritime Declaration of Health ------------------------------------------------------------

@router.get("/{call_id}/health")
def get_health(call_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """The latest declaration, its attachment of ill persons, the port health decisions."""
    call = calls.get_call(session, user=user, call_id=call_id)
    return health.view(session, user=user, call=call)


@router.post("/{call_id}/health/{form}", response_model=DeclarationPublic, status_code=201)
def upload_health(call_id: Id, form: str, file: UploadFile, session: SessionDep,
                  user: CurrentUser) -> DeclarationPublic:
    """``health`` (the answers, one row) or ``health_ill`` (the attachment), xlsx or CSV."""
    data = read_upload(file, MAX_UPLOAD)
    call = calls.get_call(session, user=user, call_id=call_id)
    return DeclarationPublic.model_validate(health.upload(
        session, user=user, call=call, form=form, data=data, filename=file.filename or form))


@router.post("/{call_id}/health-decision", status_code=201)
def decide(call_id: Id, data: DecisionIn, session: SessionDep,
           user: CurrentUser) -> dict[str, Any]:
    """Customs (port health quarantine) records its decision: free_pratique, conditional
    (with the sanitary measures) or quarantine."""
    call = calls.get_call(session, user=user, call_id=call_id)
    row = health.decide(session, user=user, call=call, decision=data.decision,
                        conditions=data.conditions)
    return {"id": row.id, "decision": row.decision, "conditions": row.conditions,
            "decided_at": row.decided_at}
