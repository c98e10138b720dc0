"""The web shell: login, logout, dashboard, account, language, API schema and health."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import text

from bastion.auth import service as auth
from bastion.auth.models import TokenKind
from bastion.core import context, domains
from bastion.core.errors import BastionError, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.web import dashboard
from bastion.web.deps import (
    CSRF_COOKIE,
    LANG_COOKIE,
    SESSION_COOKIE,
    CurrentUser,
    OptionalUser,
    SessionDep,
    SettingsDep,
    check_csrf,
)
from bastion.web.forms import error_for
from bastion.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", tags=["shell"])

# Areas the navigation shows before their issue lands; each says so in the user's language.
PLANNED_AREAS = {
    "border": lazy("Border"),
}


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect after login is a phishing aid.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/dashboard"


@router.get("/healthz")
def health(request: Request, session: SessionDep) -> JSONResponse:
    """The server and its database answer ("ok"); ``feeds`` says how each configured AIS feed
    is doing (state, last message time), so a dead feed shows without failing the server."""
    session.execute(text("SELECT 1"))
    feeds = [feed.as_dict() for feed in getattr(request.app.state, "feeds", ())]
    return JSONResponse({"status": "ok", "feeds": feeds})


@router.get("/")
def home(user: OptionalUser) -> RedirectResponse:
    return RedirectResponse("/dashboard" if user else "/login", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", next=_safe_next(next))


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/dashboard",
) -> Response:
    try:
        user = auth.authenticate(session, settings=settings, username=username, password=password)
    except BastionError as exc:
        session.commit()  # the failed attempt and any lockout must be kept
        return render(request, "login.html", status_code=exc.status_code, next=_safe_next(next),
                      username=username, errors={"__all__": exc.message})
    token = auth.issue_token(session, user=user, kind=TokenKind.SESSION,
                             lifetime=timedelta(hours=settings.session_hours))
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=settings.session_hours * 3600,
                        httponly=True, samesite="lax", secure=settings.cookie_secure)
    if user.language:
        response.set_cookie(LANG_COOKIE, user.language, max_age=365 * 86400, samesite="lax")
    # A fresh CSRF nonce with the new session: a nonce planted before login is worthless.
    response.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(24), httponly=True, samesite="lax",
                        secure=settings.cookie_secure)
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    from bastion.audit import service as audit
    from bastion.audit.models import AuditAction

    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        auth.revoke_token(session, token=cookie)
    audit.record(session, action=AuditAction.LOGOUT, actor=user, summary="logout")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/language", dependencies=[Depends(check_csrf)])
def switch_language(
    request: Request, session: SessionDep, user: OptionalUser,
    language: Annotated[str, Form()], next: Annotated[str, Form()] = "/",
) -> Response:
    if language not in ("zh-CN", "en"):
        language = "zh-CN"
    if user is not None and user.language != language:
        user.language = language
        from bastion.audit import service as audit
        from bastion.audit.models import AuditAction

        audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind="user",
                     record_id=user.id, summary="language", detail={"fields": ["language"]})
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, language, max_age=365 * 86400, samesite="lax")
    return response


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(request, "dashboard.html", summary=dashboard.summary(session, user=user),
                  tiles=domains.tiles(session=session, user=user))


@api_router.get("/dashboard")
def dashboard_data(session: SessionDep, user: CurrentUser) -> dict:
    """Counts behind the dashboard charts: notices the caller can see, and recent activity."""
    return dashboard.summary(session, user=user)


@router.get("/area/{area}", response_class=HTMLResponse)
def planned_area(request: Request, user: CurrentUser, area: str) -> Response:
    if area not in PLANNED_AREAS:
        raise NotFound(_("This page does not exist."))
    return render(request, "planned.html", area=area, title=_(PLANNED_AREAS[area]))


def _zones() -> list[str]:
    from zoneinfo import available_timezones

    return sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, user: CurrentUser) -> Response:
    return render(request, "account.html", zones=_zones())


@router.post("/account/preferences", response_class=HTMLResponse)
def account_preferences(
    request: Request, session: SessionDep, user: CurrentUser,
    language: Annotated[str, Form()] = "", timezone: Annotated[str, Form()] = "",
) -> Response:
    from pydantic import ValidationError

    from bastion.org import service as org
    from bastion.web.forms import field_errors

    try:
        org.update_preferences(session, user=user, language=language, timezone=timezone)
    except ValidationError as exc:
        return render(request, "account.html", status_code=422, zones=_zones(),
                      errors=field_errors(exc))
    response = RedirectResponse("/account", status_code=303)
    response.set_cookie(LANG_COOKIE, user.language or request.app.state.settings.language,
                        max_age=365 * 86400, samesite="lax")
    return response


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request, session: SessionDep, user: CurrentUser,
    current_password: Annotated[str, Form()] = "", new_password: Annotated[str, Form()] = "",
    confirm_password: Annotated[str, Form()] = "",
) -> Response:
    try:
        if new_password != confirm_password:
            raise Invalid(_("The two new passwords differ."), field="confirm_password")
        auth.change_password(session, user=user, current=current_password, new=new_password,
                             settings=request.app.state.settings)
    except BastionError as exc:
        session.commit()  # nothing changed but the counted failure and its audit entry
        return render(request, "account.html", status_code=exc.status_code, zones=_zones(),
                      errors=error_for(exc))
    session.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@api_router.get("/openapi.json", include_in_schema=False)
def openapi_schema(request: Request, user: CurrentUser) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request, user: CurrentUser) -> Response:
    return render(request, "api_docs.html")


def language_of_request() -> str:
    return context.current().language
