"""Managing agencies and users: API and admin pages, validation, permissions."""

from __future__ import annotations

from sqlalchemy import select

from bastion.org.models import User
from tests.factories import PASSWORD
from tests.web_helpers import api_token, login


def test_create_user_through_the_admin_page(client, session, world):
    token = login(client, "a.admin")
    response = client.post("/admin/users/new", data={
        "csrf_token": token, "username": "new.officer", "display_name": "新警官",
        "agency_id": str(world.b.id), "role": "officer", "password": "a-good-password"},
        follow_redirects=False)
    assert response.status_code == 303, response.text
    user = session.scalar(select(User).where(User.username == "new.officer"))
    assert user is not None and user.agency_id == world.b.id
    assert client.post("/api/v1/auth/token", json={"username": "new.officer",
                                                   "password": "a-good-password"}).status_code == 200


def test_user_form_errors_are_per_field(client, world):
    token = login(client, "a.admin")
    response = client.post("/admin/users/new", data={
        "csrf_token": token, "username": "Bad Name", "display_name": "",
        "agency_id": str(world.b.id), "role": "officer", "password": "short"})
    assert response.status_code == 422
    for field in ("username", "display_name", "password"):
        assert f'id="error-{field}"' in response.text, field


def test_duplicate_username_is_a_conflict(client, world):
    admin = api_token(client, "a.admin")
    response = client.post("/api/v1/users", headers=admin, json={
        "username": "author", "display_name": "x", "agency_id": world.a.id,
        "password": "another-password"})
    assert response.status_code == 409


def test_non_admins_cannot_manage(client, world):
    officer = api_token(client, "author")
    assert client.get("/api/v1/users", headers=officer).status_code == 403
    assert client.post("/api/v1/agencies", headers=officer, json={
        "code": "X1", "name": "x", "kind": "other"}).status_code == 403
    assert client.get("/api/v1/agencies", headers=officer).status_code == 200  # directory


def test_admin_cannot_demote_or_deactivate_themselves(client, world):
    admin = api_token(client, "a.admin")
    response = client.patch(f"/api/v1/users/{world.a_admin.id}", headers=admin,
                            json={"active": False})
    assert response.status_code == 422


def test_deactivated_user_cannot_log_in(client, world):
    admin = api_token(client, "a.admin")
    client.patch(f"/api/v1/users/{world.c_officer.id}", headers=admin, json={"active": False})
    response = client.post("/api/v1/auth/token", json={"username": "c.officer",
                                                       "password": PASSWORD})
    assert response.status_code == 401


def test_units_cannot_change_organisation(client, world):
    admin = api_token(client, "a.admin")
    response = client.patch(f"/api/v1/agencies/{world.a_unit.id}", headers=admin,
                            json={"parent_id": world.b.id})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "parent_id"]


def test_bad_timezone_is_rejected(client, world):
    admin = api_token(client, "a.admin")
    response = client.patch(f"/api/v1/users/{world.author.id}", headers=admin,
                            json={"timezone": "Mars/Olympus"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "timezone"
