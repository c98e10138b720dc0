"""Driving the web UI like a browser: CSRF token from the page, form posts, logins."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.factories import PASSWORD

_META = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')


def csrf_token(client: TestClient, path: str = "/login") -> str:
    response = client.get(path)
    match = _META.search(response.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the CSRF token to use for later writes."""
    client.cookies.delete("bastion_session")
    token = csrf_token(client)
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token, "next": "/dashboard"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    # Login rotates the CSRF nonce; the token for later writes comes from a fresh page.
    return csrf_token(client, "/account")


def api_token(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
