"""Request dependencies: the transaction, the caller, roles and CSRF.

``Annotated`` aliases keep route signatures short: ``session: SessionDep, user: CurrentUser``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from bastion.auth.models import TokenKind
from bastion.auth.service import resolve_token
from bastion.core import context
from bastion.core.config import Settings
from bastion.core.db import read_sessions
from bastion.core.errors import Forbidden, NotAuthenticated
from bastion.core.i18n import gettext as _
from bastion.core.security import csrf_valid
from bastion.org.models import Role, User

SESSION_COOKIE = "bastion_session"
CSRF_COOKIE = "bastion_csrf"
LANG_COOKIE = "bastion_lang"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
SAFE_METHODS = {"GET", "HEAD"}


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def get_session(request: Request) -> Iterator[Session]:
    """The request's unit of work: commit when the handler returns, roll back when it raises.

    A GET or HEAD reads: on SQLite its transaction begins deferred and holds no write lock
    (``core.db.make_read_sessionmaker``), so readers never queue behind each other or behind a
    writer; an audited read takes the lock only from its audit row to the commit. Other
    methods write, and begin IMMEDIATE: a read-modify-write never meets a stale snapshot.
    """
    factory = request.app.state.sessionmaker
    session = (read_sessions(factory) if request.method in SAFE_METHODS else factory)()
    try:
        yield session
        session.commit()
    finally:
        # Closing without a commit rolls back; unlike rollback() it leaves loaded objects
        # readable, so an error page can still show who is logged in.
        session.close()


# scope="function": commit before the response is sent. With the default, FastAPI would send
# a 201 or a redirect first and commit afterwards, so a client could act on (or be told of)
# a change that then failed to commit.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _load_user(session: Session, request: Request) -> User | None:
    token = bearer_token(request)
    if token:
        return resolve_token(session, token=token, kind=TokenKind.API)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        return resolve_token(session, token=cookie, kind=TokenKind.SESSION)
    return None


async def optional_user(request: Request, session: SessionDep) -> User | None:
    """Resolve the caller once; async so that the language and zone it sets reach the handler."""
    if "user" in request.scope.get("state", {}):
        return request.state.user
    user = await run_in_threadpool(_load_user, session, request)
    request.state.user = user
    if user is not None:
        ctx = context.current()
        settings: Settings = request.app.state.settings
        language = request.cookies.get(LANG_COOKIE) or user.language or ctx.language
        context.set_current(context.RequestContext(
            language=language if language in ("zh-CN", "en") else settings.language,
            timezone=user.timezone or settings.timezone,
            client_ip=ctx.client_ip,
        ))
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


async def check_csrf(request: Request) -> None:
    """Cookie-authenticated writes must carry the form token (field or X-CSRF-Token header).

    Bearer-token clients are exempt: a browser never attaches that header on its own.
    """
    if request.method not in UNSAFE_METHODS or bearer_token(request):
        return
    token = request.headers.get("x-csrf-token")
    if token is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        token = value if isinstance(value, str) else None
    secret = request.app.state.settings.secret_key
    if not csrf_valid(secret, request.cookies.get(CSRF_COOKIE), token):
        raise Forbidden(_("The form expired or did not come from this site. Reload and retry."))


async def current_user(request: Request, user: OptionalUser) -> User:
    # Who first, then whether the form is genuine: an anonymous write is a 401, not a 403.
    if user is None:
        raise NotAuthenticated(_("Please log in."))
    await check_csrf(request)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(role: Role):
    async def _check(user: CurrentUser) -> User:
        if not user.has_role(role):
            raise Forbidden(_("Your role does not allow this."))
        return user

    return _check


def require_capability(capability: str):
    """For platform routes whose whole function is one capability (administration, audit);
    domain records are checked in their services."""

    async def _check(user: CurrentUser) -> User:
        from bastion.org.capabilities import require

        require(user, capability)
        return user

    return _check


AdminUser = Annotated[User, Depends(require_capability("accounts.manage"))]
AuditReader = Annotated[User, Depends(require_capability("audit.read"))]
SupervisorUser = Annotated[User, Depends(require_role(Role.SUPERVISOR))]

SESSION_LIFETIME = timedelta(hours=12)
