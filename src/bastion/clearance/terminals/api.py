"""REST API of terminal profiles and the station's inspection agenda."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from bastion.clearance.terminals import service
from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, paginate
from bastion.org.schemas import check_timezone
from bastion.web.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1/clearance", tags=["port clearance"])
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class TerminalIn(BaseModel):
    code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=120)
    name_en: str | None = Field(default=None, max_length=120)
    port: str | None = Field(default=None, pattern=r"^[A-Z]{2}[A-Z2-9]{3}$")
    service_hours: str = Field(default="office", pattern=r"^(24h|office)$")
    timezone: str = Field(default="Asia/Shanghai", min_length=1)
    opens: str = Field(default="08:30", pattern=HHMM)
    closes: str = Field(default="17:30", pattern=HHMM)
    working_days: str = Field(default="12345", pattern=r"^[1-7]{1,7}$",
                              description="ISO weekdays served, 1 = Monday")
    inspection_minutes: int = Field(default=120, ge=15, le=1440)
    inspection_teams: int = Field(default=1, ge=1, le=50)
    tide_station: str | None = Field(default=None, description="tide-window terminal when set")
    charted_depth_m: float | None = Field(default=None, gt=0, lt=50)
    datum_offset_m: float | None = Field(default=None, ge=0, lt=20,
                                         description="chart datum, metres below MSL")
    ukc_fixed_m: float = Field(default=0.5, ge=0, lt=10)
    ukc_percent: float = Field(default=10.0, ge=0, le=50)
    active: bool = True

    _tz = field_validator("timezone")(check_timezone)


class TerminalPublic(TerminalIn):
    model_config = ConfigDict(from_attributes=True)
    id: int
    station_org_id: int


class AgendaItem(BaseModel):
    slot_id: int
    call_id: int
    vessel_name: str
    terminal: str
    purpose: str
    start: datetime
    end: datetime
    outside_hours: bool
    priority: str


@router.get("/terminals", response_model=Page[TerminalPublic])
def list_terminals(session: SessionDep, user: CurrentUser, page: PageDep,
                   station_id: Id | None = None) -> Page[TerminalPublic]:
    """A station's terminals (default: the user's own); agents pick one when they declare."""
    from bastion.org import service as org

    station = org.get_agency(session, agency_id=station_id).organisation_id if station_id \
        else user.organisation_id
    return paginate(session, service.terminals_query(station_org_id=station), page,
                    TerminalPublic.model_validate)


@router.post("/terminals", response_model=TerminalPublic, status_code=201)
def create_terminal(data: TerminalIn, session: SessionDep, user: CurrentUser) -> TerminalPublic:
    return TerminalPublic.model_validate(service.save_terminal(session, user=user,
                                                               fields=data.model_dump()))


@router.put("/terminals/{terminal_id}", response_model=TerminalPublic)
def update_terminal(terminal_id: Id, data: TerminalIn, session: SessionDep,
                    user: CurrentUser) -> TerminalPublic:
    terminal = service.get_terminal(session, user=user, terminal_id=terminal_id)
    return TerminalPublic.model_validate(service.save_terminal(
        session, user=user, fields=data.model_dump(), terminal=terminal))


@router.get("/agenda", response_model=Page[AgendaItem])
def agenda(session: SessionDep, user: CurrentUser, page: PageDep, day: date | None = None,
           days: Annotated[int, Query(ge=1, le=31)] = 1) -> Page[AgendaItem]:
    """The station's booked inspections from ``day`` (the user's local date, default today)."""
    zone = ZoneInfo(context.current().timezone)
    first = day or datetime.now(zone).date()
    start = datetime.combine(first, time(0), zone).astimezone(UTC)
    query = service.agenda_query(station_org_id=user.organisation_id, start=start,
                                 end=start + timedelta(days=days))
    return paginate(session, query, page, _agenda_item, scalars=False)


def _agenda_item(row) -> AgendaItem:
    s, c, t = row
    return AgendaItem(slot_id=s.id, call_id=c.id, vessel_name=c.vessel_name, terminal=t.code,
                      purpose=s.purpose, start=s.start, end=s.end, outside_hours=s.outside_hours,
                      priority=c.priority)

