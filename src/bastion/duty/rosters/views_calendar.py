"""The roster's outputs: the month calendar (print-ready), the person's own calendar
``/duty/me`` (with the form to ask a swap and the calendar-feed links), the xlsx export, and
the iCalendar feeds (``/api/v1/duty/feeds``; ``/duty/ical/{token}.ics`` needs no login: the
token is the secret)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Body, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.pagination import Page, PageDep, paginate
from bastion.duty import access
from bastion.duty.rosters import calendars, ical, xlsx
from bastion.duty.rosters.models import CalendarFeed, DutyPerson
from bastion.org.models import User
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.templating import render

router = APIRouter()


def _home(settings: Any) -> ZoneInfo:
    return ZoneInfo(settings.timezone)


def _zone() -> ZoneInfo:
    return ZoneInfo(context.current().timezone)


# --- the month of a roster -------------------------------------------------------------------

@router.get("/duty/rosters/{roster_id}/month", response_class=HTMLResponse,
            include_in_schema=False)
def month_page(roster_id: Id, request: Request, session: SessionDep, user: CurrentUser,
               settings: SettingsDep) -> Response:
    roster = calendars.find_roster(session, user=user, roster_id=roster_id)
    month = calendars.roster_month(session, roster=roster, user=user, home=_home(settings))
    return render(request, "duty/calendar_month.html", month=month,
                  can_plan=access.plans(user, roster), zone=context.current().timezone)


@router.get("/duty/rosters/{roster_id}.xlsx", include_in_schema=False)
def month_xlsx(roster_id: Id, session: SessionDep, user: CurrentUser,
               settings: SettingsDep) -> Response:
    roster = calendars.find_roster(session, user=user, roster_id=roster_id)
    month = calendars.roster_month(session, roster=roster, user=user, home=_home(settings))
    body = xlsx.workbook(month, zone=_zone())
    audit.record(session, action=AuditAction.EXPORT, actor=user, record_kind="duty_roster",
                 record_id=roster.id, summary=f"roster {roster.id} as xlsx")
    return Response(body, media_type=xlsx.MEDIA_TYPE, headers={
        "content-disposition": f"attachment; filename={xlsx.filename(month)}"})


# --- the person's own calendar ------------------------------------------------------------------

def _today(settings: Any) -> date:
    return datetime.now(_home(settings)).date()


def _me(request: Request, session: Any, user: Any, settings: Any, *, month: str | None,
        status_code: int = 200, **extra: Any) -> HTMLResponse:
    errors: dict[str, str] = extra.pop("errors", {})
    try:
        first = calendars.parse_month(month, today=_today(settings))
    except Invalid as exc:
        errors[exc.field or "month"] = exc.message
        first = calendars.parse_month(None, today=_today(settings))
        status_code = 422
    data = calendars.person_month(session, user=user, first=first)
    feeds = [(feed, session.get(DutyPerson, feed.person_id)) for feed in session.scalars(
        ical.my_feeds_query(user).where(CalendarFeed.revoked_at.is_(None)))]
    return render(request, "duty/me.html", status_code=status_code, data=data, feeds=feeds,
                  errors=errors, today=_today(settings), **extra)


@router.get("/duty/me", response_class=HTMLResponse, include_in_schema=False)
def me_page(request: Request, session: SessionDep, user: CurrentUser, settings: SettingsDep,
            month: str | None = None) -> Response:
    return _me(request, session, user, settings, month=month)


def _feed_url(request: Request, token: str) -> str:
    return str(request.base_url).rstrip("/") + f"/duty/ical/{token}.ics"


@router.post("/duty/me/feeds", response_class=HTMLResponse, include_in_schema=False)
async def me_new_feed(request: Request, session: SessionDep, user: CurrentUser,
                      settings: SettingsDep) -> Response:
    form = await request.form()
    raw = form.get("person_id")
    person_id = None
    if isinstance(raw, str) and raw:
        if not raw.isdigit() or len(raw) > 9:
            raise Invalid(_("Choose one of the listed values."), field="person_id")
        person_id = int(raw)
    try:
        _feed, token = ical.create_feed(session, user=user, person_id=person_id)
    except Invalid as exc:
        return _me(request, session, user, settings, month=None, status_code=422,
                   errors={exc.field or "person_id": exc.message})
    return _me(request, session, user, settings, month=None, status_code=201,
               new_feed_url=_feed_url(request, token))


@router.post("/duty/me/feeds/{feed_id}/revoke", include_in_schema=False)
def me_revoke_feed(feed_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    ical.revoke_feed(session, user=user, feed_id=feed_id)
    return RedirectResponse("/duty/me#feeds", status_code=303)


# --- the feeds over the API -------------------------------------------------------------------

class FeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person_id: Id | None = None


class FeedOut(BaseModel):
    id: int
    person_id: int
    person: str | None = None
    created_at: datetime
    created_by_id: int
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None
    active: bool


class FeedCreated(FeedOut):
    url: str
    token: str


def _out(session: Any, feed: CalendarFeed) -> FeedOut:
    return FeedOut(**ical.summary(feed, session.get(DutyPerson, feed.person_id)))


@router.post("/api/v1/duty/feeds", status_code=201, tags=["duty"])
def create_feed(request: Request, session: SessionDep, user: CurrentUser,
                data: Annotated[FeedIn | None, Body()] = None) -> FeedCreated:
    """A secret calendar URL for a duty person (one's own by default; a planner may make one
    for a person of their organisation). The URL is shown this once: only its digest is kept."""
    feed, token = ical.create_feed(session, user=user,
                                   person_id=data.person_id if data else None)
    return FeedCreated(**_out(session, feed).model_dump(), url=_feed_url(request, token),
                       token=token)


@router.get("/api/v1/duty/feeds", tags=["duty"])
def list_feeds(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[FeedOut]:
    """My feeds: my own person's and those I made (never their tokens)."""
    calendars.require_read(user)
    return paginate(session, ical.my_feeds_query(user), page, lambda f: _out(session, f))


@router.delete("/api/v1/duty/feeds/{feed_id}", tags=["duty"])
def revoke_feed(feed_id: Id, session: SessionDep, user: CurrentUser) -> FeedOut:
    """Revoke a feed: its URL answers 404 from now on."""
    return _out(session, ical.revoke_feed(session, user=user, feed_id=feed_id))


@router.get("/duty/ical/{token}.ics", include_in_schema=False)
def feed_ics(token: str, session: SessionDep, settings: SettingsDep) -> Response:
    """The feed itself: no login, the token is the secret; unknown or revoked: 404."""
    feed = ical.feed_of_token(session, token)
    person = session.get(DutyPerson, feed.person_id)
    language = settings.language
    if person is not None and person.user_id is not None:
        owner = session.get(User, person.user_id)
        if owner is not None and owner.language in ("zh-CN", "en"):
            language = owner.language
    body = ical.ics(session, feed=feed, language=language)
    feed.last_used_at = datetime.now(UTC)
    session.flush()
    return Response(body, media_type="text/calendar; charset=utf-8", headers={
        "content-disposition": "inline; filename=duty.ics"})

