"""One ASGI middleware for what every response needs: request context, CSRF nonce, headers.

Pure ASGI rather than ``BaseHTTPMiddleware`` so that server-sent event streams pass untouched.

Everything but the static files is ``Cache-Control: no-store``: pages, API answers, exports
and attachments are a logged-in person's view of records they may see (and the token and login
answers carry credentials), so neither the browser's cache nor a proxy on the way may keep a
copy for the next user of a shared workstation (OWASP ASVS 8.2.1). Static files stay
cacheable; they hold nothing of anyone's.
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bastion.core import context
from bastion.core.config import Settings
from bastion.core.i18n import negotiate
from bastion.web.deps import CSRF_COOKIE, LANG_COOKIE

# No inline script or style anywhere: every script is a static file (CSP Level 3).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(self)",
    "cross-origin-opener-policy": "same-origin",
}
NO_STORE = "no-store"
CACHEABLE_PREFIXES = ("/static/",)


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        declared = conn.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.settings.max_request_mb * 2**20:
            await self._too_large(scope, receive, send)
            return
        nonce = conn.cookies.get(CSRF_COOKIE)
        new_nonce = None
        if not nonce or len(nonce) < 20:
            nonce = new_nonce = secrets.token_urlsafe(24)
        scope.setdefault("state", {})["csrf_nonce"] = nonce
        language = conn.cookies.get(LANG_COOKIE)
        if language not in ("zh-CN", "en"):
            language = negotiate(conn.headers.get("accept-language"), self.settings.language)
        token = context.set_current(context.RequestContext(
            language=language,
            timezone=self.settings.timezone,
            client_ip=conn.client.host if conn.client else None,
        ))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in SECURITY_HEADERS.items():
                    headers.setdefault(key, value)
                if not scope.get("path", "").startswith(CACHEABLE_PREFIXES) and \
                        NO_STORE not in headers.get("cache-control", ""):
                    headers["cache-control"] = NO_STORE
                if self.settings.cookie_secure:
                    headers.setdefault("strict-transport-security", "max-age=31536000")
                if new_nonce:
                    cookie: SimpleCookie = SimpleCookie()
                    cookie[CSRF_COOKIE] = new_nonce
                    cookie[CSRF_COOKIE]["path"] = "/"
                    cookie[CSRF_COOKIE]["httponly"] = True
                    cookie[CSRF_COOKIE]["samesite"] = "Lax"
                    if self.settings.cookie_secure:
                        cookie[CSRF_COOKIE]["secure"] = True
                    headers.append("set-cookie", cookie.output(header="").strip())
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            context.reset(token)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        """413 for a body over ``max_request_mb`` by its Content-Length, read not at all, so
        an upload too big for any route never reaches a disk or a parser."""
        from starlette.responses import JSONResponse

        from bastion.core.i18n import gettext as _

        limit = self.settings.max_request_mb
        message = _("The request is larger than the limit of {mb} MB.").format(mb=limit)
        response = JSONResponse({"detail": message, "code": "too_large"}, status_code=413,
                                headers={"connection": "close", **SECURITY_HEADERS})
        await response(scope, receive, send)
