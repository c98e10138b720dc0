"""The application factory: settings, database, routers from each domain, error mapping."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from bastion import __version__
from bastion.core.config import Settings, get_settings
from bastion.core.db import make_engine, make_sessionmaker
from bastion.core.errors import BastionError, NotAuthenticated
from bastion.core.i18n import gettext as _
from bastion.web.middleware import RequestContextMiddleware
from bastion.web.templating import render

STATIC_DIR = Path(__file__).resolve().parent / "static"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path.startswith("/events")


def _bastion_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BastionError)
    if _wants_json(request):
        if exc.status_code == 422:
            loc = ["body", exc.field] if exc.field else ["body"]
            body = {"detail": [{"loc": loc, "msg": exc.message, "type": exc.code}]}
            rows = getattr(exc, "errors", None)  # file imports: every error with its place
            if rows:
                body["errors"] = [dataclasses.asdict(e) for e in rows]
        else:
            body = {"detail": exc.message, "code": exc.code}
        headers = {"www-authenticate": "Bearer"} if exc.status_code == 401 else None
        return JSONResponse(body, status_code=exc.status_code, headers=headers)
    if isinstance(exc, NotAuthenticated):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    return render(request, "error.html", status_code=exc.status_code, message=exc.message,
                  status=exc.status_code)


def _request_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _wants_json(request):
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)
    return render(request, "error.html", status_code=422, status=422,
                  message=_("The request was not valid."))


def _not_found(request: Request, exc: Exception) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": "Not Found", "code": "not_found"}, status_code=404)
    return render(request, "error.html", status_code=404, status=404,
                  message=_("This page does not exist."))


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the AIS feeds named in settings and the green channel's clock with the server,
    and stop them with it."""
    from bastion.clearance.green import timer
    from bastion.maritime.feeds import start_configured_feeds

    tasks = [*start_configured_feeds(app), *timer.start(app)]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        lifespan=_lifespan,
        title="Bastion API",
        version=__version__,
        description="Operations platform for border-control units. Authenticate with "
        "`POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`.",
        # The schema and its viewer need a login like everything else (see web/pages.py).
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.sessionmaker = make_sessionmaker(app.state.engine)

    app.add_middleware(RequestContextMiddleware, settings=settings)
    app.add_exception_handler(BastionError, _bastion_error)
    app.add_exception_handler(RequestValidationError, _request_validation_error)
    app.add_exception_handler(404, _not_found)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    from bastion.attachments import api as attachments_api
    from bastion.audit import api as audit_api
    from bastion.audit import views as audit_views
    from bastion.auth import api as auth_api
    from bastion.clearance.calls import api as clearance_api
    from bastion.clearance.calls import views as clearance_views
    from bastion.clearance.rulesets import api as precheck_rules_api
    from bastion.clearance.rulesets import views as precheck_rules_views
    from bastion.clearance.stats import api as stats_api
    from bastion.clearance.stats import views as stats_views
    from bastion.clearance.terminals import api as terminals_api
    from bastion.clearance.terminals import views as terminals_views
    from bastion.maritime import api as maritime_api
    from bastion.maritime import views as maritime_views
    from bastion.notices import api as notices_api
    from bastion.notices import views as notices_views
    from bastion.notifications import api as notifications_api
    from bastion.notifications import views as notifications_views
    from bastion.org import api as org_api
    from bastion.org import views as org_views
    from bastion.screening import api as screening_api
    from bastion.screening import views as screening_views
    from bastion.web import events, pages

    for router in (pages.router, org_views.router, notices_views.router, audit_views.router,
                   maritime_views.router, auth_api.router, org_api.router, notices_api.router,
                   screening_views.router, stats_views.router, stats_api.router, terminals_views.router,
                   precheck_rules_views.router, clearance_views.router, audit_api.router, maritime_api.router,
                   screening_api.router, clearance_api.router, terminals_api.router,
                   precheck_rules_api.router, attachments_api.router, notifications_api.router,
                   notifications_views.router,
                   pages.api_router, events.router):
        app.include_router(router)
    return app
