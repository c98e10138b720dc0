"""The notifications page: the caller's notifications, a page at a time, to acknowledge."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import object_session

from bastion.core.bounds import Id, Offset
from bastion.core.pagination import PageParams, paginate
from bastion.notifications import service
from bastion.notifications.schemas import ContactIn, NotificationPublic, SentPublic
from bastion.org.models import User
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import validate
from bastion.web.templating import environment, render

router = APIRouter(prefix="/notifications", include_in_schema=False)
PER_PAGE = 25


def _counts(user: User | None) -> dict[str, int] | None:
    """The top bar's number, through the request's own session (the one the user came from)."""
    session = object_session(user) if user is not None else None
    return service.counts(session, user=user) if session is not None and user else None


# base.html shows the badge wherever this package is installed.
environment.globals["notification_counts"] = _counts


@router.get("", response_class=HTMLResponse)
def page(request: Request, session: SessionDep, user: CurrentUser,
         offset: Annotated[Offset, Query()] = 0, fragment: bool = False) -> Response:
    result = paginate(session, service.mine_query(user), PageParams(PER_PAGE, offset),
                      NotificationPublic.of)
    template = "notifications/_rows.html" if fragment else "notifications/list.html"
    return render(request, template, page=result)


@router.get("/badge", response_class=HTMLResponse)
def badge(request: Request, user: CurrentUser) -> Response:
    """The top bar's count alone, refreshed live when a notification arrives."""
    return render(request, "notifications/_badge.html")


@router.get("/sent", response_class=HTMLResponse)
def sent(request: Request, session: SessionDep, user: CurrentUser,
         offset: Annotated[Offset, Query()] = 0) -> Response:
    """What the caller sent: how many acknowledged, how many are late."""
    result = paginate(session, service.sent_query(user), PageParams(PER_PAGE, offset),
                      lambda n: SentPublic.of(n, service.follow_up(session, n)))
    return render(request, "notifications/sent.html", page=result)


@router.get("/sent/{notification_id}", response_class=HTMLResponse)
def follow_up(request: Request, session: SessionDep, user: CurrentUser, notification_id: Id,
              fragment: bool = False) -> Response:
    """The sender's view of one notification, updated live as people acknowledge."""
    notification = service.get_sent(session, user=user, notification_id=notification_id)
    states = service.follow_up(session, notification)
    summary = SentPublic.of(notification, states)
    template = "notifications/_follow_rows.html" if fragment else "notifications/follow_up.html"
    return render(request, template, notification=notification, summary=summary,
                  states=states, body=service.shown(notification)[1])


@router.get("/contact", response_class=HTMLResponse)
def contact(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(request, "notifications/contact.html",
                  contact=service.contact_of(session, user), errors={})


@router.post("/contact", response_class=HTMLResponse)
async def set_contact(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    form = await request.form()
    data, errors = validate(ContactIn, {"email": form.get("email") or None,
                                        "phone": form.get("phone") or None})
    if errors:
        return render(request, "notifications/contact.html", status_code=422, errors=errors,
                      contact=ContactIn.model_construct(email=form.get("email"),
                                                        phone=form.get("phone")))
    service.set_contact(session, user=user, email=data.email, phone=data.phone)
    return RedirectResponse("/notifications", status_code=303)


@router.get("/{notification_id}")
def follow(session: SessionDep, user: CurrentUser, notification_id: Id) -> Response:
    """Marks it read and goes where it points (or back to the list)."""
    copy = service.get_mine(session, user=user, notification_id=notification_id)
    return RedirectResponse(copy.notification.link or "/notifications", status_code=303)


@router.post("/{notification_id}/acknowledge")
def acknowledge(session: SessionDep, user: CurrentUser, notification_id: Id) -> Response:
    copy = service.get_mine(session, user=user, notification_id=notification_id)
    service.acknowledge(session, user=user, copy=copy)
    return RedirectResponse("/notifications", status_code=303)
