"""A unique key the service did not check first is a 409 after a rollback, and a value the
database cannot hold a 422, never a 500 (issue #10): the app maps SQLAlchemy's IntegrityError
and DataError once, as safety nets."""

from __future__ import annotations

from sqlalchemy import select

from bastion.org.models import Agency, AgencyKind
from bastion.web.deps import SessionDep


def _add_route(app, path: str) -> None:
    def duplicate(session: SessionDep) -> dict[str, str]:
        session.add(Agency(code="ORG-A", name="again", kind=AgencyKind.BORDER_INSPECTION,
                           active=True))
        session.flush()
        return {"unreachable": "yes"}

    app.add_api_route(path, duplicate, methods=["POST"])


def test_a_unique_key_violation_is_a_409_and_rolls_back(app, client, session, world):
    _add_route(app, "/api/v1/test-duplicate")
    response = client.post("/api/v1/test-duplicate")
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "conflict"
    assert response.json()["detail"] == "与已有记录冲突。"  # the default language's words
    assert session.scalars(select(Agency.name).where(Agency.code == "ORG-A")).all() != ["again"]
    # The connection is usable afterwards: the failed transaction was rolled back.
    assert client.get("/healthz").status_code == 200


def test_a_page_gets_the_conflict_as_an_error_page(app, client, world):
    _add_route(app, "/test-duplicate")
    response = client.post("/test-duplicate")
    assert response.status_code == 409
    assert "text/html" in response.headers["content-type"]


def test_a_value_the_database_cannot_hold_is_a_422(app, client, world):
    from sqlalchemy.exc import DataError

    def too_long(session: SessionDep) -> None:
        raise DataError("UPDATE agency SET name=%(name)s", {"name": "x" * 300},
                        Exception("value too long for type character varying(200)"))

    app.add_api_route("/api/v1/test-too-long", too_long, methods=["POST"])
    response = client.post("/api/v1/test-too-long")
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["type"] == "invalid"
