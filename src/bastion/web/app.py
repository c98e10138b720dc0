"""The application factory: settings, database, routers from each domain, error mapping."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, IntegrityError

from bastion import __version__
from bastion.core import domains
from bastion.core.config import Settings, get_settings
from bastion.core.db import make_engine, make_sessionmakers
from bastion.core.errors import BastionError, Conflict, Invalid, NotAuthenticated
from bastion.core.i18n import gettext as _
from bastion.web.middleware import RequestContextMiddleware
from bastion.web.templating import render, use_registered_templates

logger = logging.getLogger(__name__)
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


def _integrity_error(request: Request, exc: Exception) -> Response:
    """A safety net: a unique key or other constraint the service did not check first is the
    client's conflict (409), not a server error. The request's session has rolled back by
    now (``web.deps.get_session`` closes it as the error passes); services still check their
    own keys, so that the message names the field."""
    assert isinstance(exc, IntegrityError)
    logger.warning("constraint violated on %s %s: %s", request.method, request.url.path,
                   str(exc.orig).splitlines()[0] if exc.orig else exc)
    return _bastion_error(request, Conflict(_("This conflicts with a record that exists.")))


def _data_error(request: Request, exc: Exception) -> Response:
    """The other safety net: a value the database cannot hold (a number out of its column's
    range, a text longer than its column on PostgreSQL) is the client's invalid input (422).
    Logged, since it means a schema let through what the column cannot take."""
    assert isinstance(exc, DataError)
    logger.warning("value refused by the database on %s %s: %s", request.method,
                   request.url.path, str(exc.orig).splitlines()[0] if exc.orig else exc)
    return _bastion_error(request, Invalid(_("A value is out of range or too long.")))


def _not_found(request: Request, exc: Exception) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": "Not Found", "code": "not_found"}, status_code=404)
    return render(request, "error.html", status_code=404, status=404,
                  message=_("This page does not exist."))


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start what each domain's manifest names under ``startup`` (the AIS feeds in settings),
    the scheduled jobs (unless a worker runs them) and the hearing of other processes' events
    with the server, and stop them with it. Of several server processes only the leader runs
    the jobs (``core/leader.py``; startup targets read ``app.state.leads`` for their own
    once-only work, such as the feeds); every process hears events."""
    from bastion.core import jobs, leader, remote

    app.state.leads = leader.take_lead()
    tasks = [task for domain in domains.registered() for target in domain.startup
             for task in domains.load(target)(app)]
    if app.state.leads:
        tasks += jobs.start_in_server(app)
    tasks += remote.start_in_server(app)
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
    app.state.engine = make_engine(settings.database_url, pool_size=settings.db_pool_size)
    app.state.sessionmaker = make_sessionmakers(app.state.engine)

    app.add_middleware(RequestContextMiddleware, settings=settings)
    app.add_exception_handler(BastionError, _bastion_error)
    app.add_exception_handler(RequestValidationError, _request_validation_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(404, _not_found)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    from bastion.web import events, offline, pages

    # Words and the live stream's visibility checks are registered by importing the modules
    # each manifest names, before the first request needs them.
    domains.import_all("labels")
    domains.import_all("visibility")
    use_registered_templates()
    app.include_router(pages.router)
    app.include_router(offline.router)  # /sw.js, the manifest, /help/certificate
    for domain in domains.registered():
        for target in domain.routers:
            app.include_router(domains.load(target))
    app.include_router(pages.api_router)
    app.include_router(events.router)
    return app
