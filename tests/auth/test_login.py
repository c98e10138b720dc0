"""Login through the form and the API: sessions, lockout, rate limit, CSRF, logout, passwords."""

from __future__ import annotations

from sqlalchemy import select

from bastion.audit.models import AuditAction, AuditEntry
from bastion.org.models import User
from tests.factories import PASSWORD
from tests.web_helpers import api_token, csrf_token, login


def _actions(session, username: str) -> list[AuditAction]:
    return list(session.scalars(select(AuditEntry.action).where(
        AuditEntry.actor_name == username).order_by(AuditEntry.id)))


def test_login_sets_a_session_and_is_audited(client, session, world):
    login(client, "author")
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert world.author.display_name in page.text
    assert AuditAction.LOGIN in _actions(session, "author")


def test_wrong_password_is_refused_and_audited(client, session, world):
    token = csrf_token(client)
    response = client.post("/login", data={"username": "author", "password": "nope-nope-nope",
                                           "csrf_token": token})
    assert response.status_code == 401
    assert "bastion_session" not in response.cookies
    assert _actions(session, "author")[-1] == AuditAction.LOGIN_FAILED


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client, world):
    token = csrf_token(client)
    unknown = client.post("/login", data={"username": "nobody", "password": "x" * 12,
                                          "csrf_token": token})
    wrong = client.post("/login", data={"username": "author", "password": "x" * 12,
                                        "csrf_token": token})
    assert unknown.status_code == wrong.status_code == 401
    assert "用户名或密码错误" in unknown.text and "用户名或密码错误" in wrong.text


def test_lockout_after_repeated_failures(client, session, world, settings):
    for _ in range(settings.lockout_failures):
        client.post("/api/v1/auth/token", json={"username": "author", "password": "bad-guess"})
    # Now even the right password is refused until the lock expires.
    response = client.post("/api/v1/auth/token", json={"username": "author", "password": PASSWORD})
    assert response.status_code == 401
    user = session.scalar(select(User).where(User.username == "author"))
    session.refresh(user)
    assert user.locked_until is not None
    assert AuditAction.LOCKOUT in [a for a in session.scalars(select(AuditEntry.action))]


def test_admin_can_unlock(client, session, world, settings):
    for _ in range(settings.lockout_failures):
        client.post("/api/v1/auth/token", json={"username": "author", "password": "bad-guess"})
    admin = api_token(client, "a.admin")
    response = client.patch(f"/api/v1/users/{world.author.id}", json={"unlock": True},
                            headers=admin)
    assert response.status_code == 200
    assert response.json()["locked_until"] is None
    assert client.post("/api/v1/auth/token",
                       json={"username": "author", "password": PASSWORD}).status_code == 200


def test_login_rate_limit_per_client_address(client, world, settings):
    statuses = [client.post("/api/v1/auth/token",
                            json={"username": f"ghost{i}", "password": "whatever1"}).status_code
                for i in range(settings.login_rate_per_minute + 1)]
    assert statuses[:-1] == [401] * settings.login_rate_per_minute
    assert statuses[-1] == 429


def test_forms_without_csrf_token_are_refused(client, world):
    login(client, "author")
    no_token = client.post("/notices/new", data={"title": "x", "tlp": "clear",
                                                 "distribution": "all"})
    forged = client.post("/notices/new", data={"title": "x", "tlp": "clear",
                                               "distribution": "all", "csrf_token": "0" * 64})
    assert no_token.status_code == forged.status_code == 403


def test_cookie_api_writes_need_the_csrf_header(client, world):
    token = login(client, "author")
    body = {"title": "via cookie", "tlp": "clear", "distribution": "all"}
    assert client.post("/api/v1/notices", json=body).status_code == 403
    assert client.post("/api/v1/notices", json=body,
                       headers={"X-CSRF-Token": token}).status_code == 201


def test_login_form_itself_needs_csrf(client, world):
    response = client.post("/login", data={"username": "author", "password": PASSWORD})
    assert response.status_code == 403


def test_logout_revokes_the_session(client, world):
    token = login(client, "author")
    cookie = client.cookies.get("bastion_session")
    assert client.post("/logout", data={"csrf_token": token},
                       follow_redirects=False).status_code == 303
    client.cookies.set("bastion_session", cookie)
    assert client.get("/api/v1/me").status_code == 401


def test_bearer_tokens_work_and_can_be_revoked(client, world):
    headers = api_token(client, "author")
    assert client.get("/api/v1/me", headers=headers).json()["username"] == "author"
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_password_change_ends_other_sessions(client, session, world):
    old = api_token(client, "author")
    response = client.post("/api/v1/me/password", headers=old,
                           json={"current_password": PASSWORD, "new_password": "a-new-long-pass"})
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=old).status_code == 401
    assert client.post("/api/v1/auth/token", json={"username": "author",
                                                   "password": "a-new-long-pass"}).status_code == 200
    assert AuditAction.PASSWORD_CHANGE in _actions(session, "author")


def test_weak_new_password_is_a_field_error(client, world):
    headers = api_token(client, "author")
    response = client.post("/api/v1/me/password", headers=headers,
                           json={"current_password": PASSWORD, "new_password": "short"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "new_password"]


def test_next_parameter_cannot_redirect_off_site(client, world):
    token = csrf_token(client)
    response = client.post("/login", data={"username": "author", "password": PASSWORD,
                                           "csrf_token": token, "next": "//evil.example/"},
                           follow_redirects=False)
    assert response.headers["location"] == "/dashboard"


def test_admin_password_reset_and_deactivation_end_sessions(client, world):
    admin = api_token(client, "a.admin")
    victim = api_token(client, "author")
    client.patch(f"/api/v1/users/{world.author.id}", headers=admin,
                 json={"password": "reset-by-admin-1"})
    assert client.get("/api/v1/me", headers=victim).status_code == 401
    other = api_token(client, "c.officer")
    client.patch(f"/api/v1/users/{world.c_officer.id}", headers=admin, json={"active": False})
    assert client.get("/api/v1/me", headers=other).status_code == 401


def test_a_deactivated_agency_locks_out_its_people_and_units(client, world):
    admin = api_token(client, "a.admin")
    unit_officer = api_token(client, "a1.officer")
    client.patch(f"/api/v1/agencies/{world.a.id}", headers=admin, json={"active": False})
    assert client.get("/api/v1/me", headers=unit_officer).status_code == 401  # a unit of A
    assert client.post("/api/v1/auth/token", json={"username": "a1.officer",
                                                   "password": PASSWORD}).status_code == 401


def test_guessing_the_current_password_counts_towards_lockout(client, session, world, settings):
    headers = api_token(client, "author")
    for _ in range(settings.lockout_failures):
        client.post("/api/v1/me/password", headers=headers,
                    json={"current_password": "guess-guess", "new_password": "whatever-long"})
    user = session.scalar(select(User).where(User.username == "author"))
    session.refresh(user)
    assert user.locked_until is not None
    assert _actions(session, "author").count(AuditAction.LOGIN_FAILED) == settings.lockout_failures


def test_explicit_nulls_and_naive_times_are_field_errors(client, world):
    admin = api_token(client, "a.admin")
    for path, body, field in ((f"/api/v1/users/{world.author.id}", {"role": None}, "role"),
                              (f"/api/v1/users/{world.author.id}", {"active": None}, "active"),
                              (f"/api/v1/agencies/{world.b.id}", {"name": None}, "name")):
        response = client.patch(path, headers=admin, json=body)
        assert response.status_code == 422, (path, body)
        assert response.json()["detail"][0]["loc"][-1] == field
    naive = client.get("/api/v1/audit?since=2024-01-01T00:00:00", headers=admin)
    assert naive.status_code == 422 and naive.json()["detail"][0]["loc"][-1] == "since"


def test_unknown_time_zone_message_is_translated(client, world):
    token = login(client, "author")
    response = client.post("/account/preferences", data={"csrf_token": token,
                                                         "timezone": "Moon/Base"})
    assert response.status_code == 422
    assert "未知时区" in response.text and "Moon/Base" not in response.text.split("<main>")[1]


def test_login_rotates_the_csrf_nonce(client, world):
    before = csrf_token(client)
    after = login(client, "author")
    assert before != after


def test_api_tokens_live_at_most_the_configured_hours(client, session, world, settings):
    """Tokens could be asked for 90 days (issue #10): now at most BASTION_API_TOKEN_HOURS
    (default 12); a client may ask for less, and expires_in says what it got."""
    from datetime import timedelta

    from bastion.auth.models import AuthToken, TokenKind
    from bastion.core.config import Settings
    from bastion.core.security import token_digest

    assert Settings(_env_file=None).api_token_hours == 12

    def issued(**body):
        response = client.post("/api/v1/auth/token",
                               json={"username": "author", "password": PASSWORD, **body})
        assert response.status_code == 200, response.text
        row = session.scalar(select(AuthToken).where(
            AuthToken.digest == token_digest(response.json()["access_token"]),
            AuthToken.kind == TokenKind.API))
        return response.json()["expires_in"], row.expires_at - row.created_at

    for body, hours in (({}, 12), ({"hours": 24 * 90}, 12), ({"hours": 2}, 2)):
        expires_in, lifetime = issued(**body)
        assert expires_in == hours * 3600
        assert abs(lifetime - timedelta(hours=hours)) < timedelta(minutes=1)
    settings.api_token_hours = 1
    assert issued(hours=8)[0] == 3600
