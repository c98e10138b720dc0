"""No endpoint answers without a login except login, health and static files."""

from __future__ import annotations

import re

from starlette.routing import Mount

PUBLIC = {"/login", "/api/v1/auth/token", "/healthz", "/", "/language",
          # the offline kit's worker and manifest, and how a phone trusts the unit's CA
          "/sw.js", "/manifest.webmanifest", "/help/certificate", "/help/certificate/ca.crt",
          # a person's duty calendar feed: a calendar program cannot log in, the secret token
          # in the URL is the key (unknown or revoked: 404; tests/duty/calendars/test_feeds.py)
          "/duty/ical/{token}.ics",
          # an alarm post's or sensor's message: the device signs it with its own key, it has
          # no login (tests/fieldalarms/test_intake.py refuses bad keys with 401)
          "/api/v1/field-alarms/intake"}


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _routes(routes):
    """Routes, looking inside included routers (FastAPI keeps them as wrapper objects)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)
        else:
            yield route


def test_every_route_requires_authentication(client, app, world):
    """With a genuine CSRF token, so that a 403 from the CSRF check cannot hide a route that
    forgot authentication: anonymous requests must get exactly 401 (API) or a login redirect."""
    from tests.web_helpers import csrf_token

    token = csrf_token(client)
    checked = 0
    for route in _routes(app.routes):
        if isinstance(route, Mount) or not getattr(route, "methods", None):
            continue
        if route.path in PUBLIC:
            continue
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            response = client.request(method, _concrete(route.path), follow_redirects=False,
                                      headers={"X-CSRF-Token": token})
            assert response.status_code in (401, 303), (method, route.path, response.status_code)
            if response.status_code == 303:
                assert response.headers["location"].startswith("/login")
            checked += 1
    assert checked > 30


def test_root_redirects_anonymous_users_to_login(client):
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_health_and_static_need_no_login(client):
    assert client.get("/healthz").json() == {"status": "ok", "feeds": []}
    assert client.get("/static/css/bastion.css").status_code == 200
    assert client.get("/static/vendor/echarts.min.js").status_code == 200


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text  # no inline script: the CSP would block it


def test_no_inline_scripts_or_cdn_in_any_template():
    from bastion.web.templating import template_dirs

    for folder in template_dirs():
        for template in folder.rglob("*.html"):
            text = template.read_text()
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
            assert not re.search(r" on[a-z]+=\"", text), template  # no inline handlers
            assert "http://" not in text and "https://" not in text, template


def test_unknown_pages_and_records_are_404(client, world):
    from tests.web_helpers import api_token, login

    headers = api_token(client, "author")
    assert client.get("/api/v1/notices/424242", headers=headers).status_code == 404
    assert client.get("/api/v1/agencies/424242", headers=headers).status_code == 404
    login(client, "author")
    assert client.get("/notices/424242").status_code == 404
    assert client.get("/no/such/page").status_code == 404


def test_authenticated_responses_are_never_stored(client, app, world):
    """Cache-Control: no-store on every answer but static files (issue #10): a shared
    workstation's cache or a proxy must not keep a logged-in person's records, nor a token."""
    from tests.web_helpers import api_token, login

    token = client.post("/api/v1/auth/token", json={"username": "a.admin",
                                                     "password": "correct-horse-battery"})
    assert token.headers["cache-control"] == "no-store"
    headers = api_token(client, "a.admin")
    login(client, "a.admin")
    checked = 0
    for route in _routes(app.routes):
        if isinstance(route, Mount) or "GET" not in getattr(route, "methods", set()) \
                or "{" in route.path or route.path.startswith("/events"):
            continue
        response = client.get(route.path, headers=headers if route.path.startswith("/api/")
                              else {}, follow_redirects=False)
        assert "no-store" in response.headers.get("cache-control", ""), \
            (route.path, response.status_code, response.headers.get("cache-control"))
        checked += 1
    assert checked > 30
    for path in ("/api/v1/notices/999999", "/api/v1/vessels?offset=-1", "/no-such-page"):
        assert client.get(path, headers=headers).headers["cache-control"] == "no-store"
    assert "cache-control" not in client.get("/static/css/bastion.css").headers
