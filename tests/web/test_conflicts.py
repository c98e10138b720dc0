"""A unique key the service did not check first is a 409 after a rollback, never a 500
(issue #10): the app maps SQLAlchemy's IntegrityError once, as a safety net."""

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
