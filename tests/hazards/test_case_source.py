"""A case opened from a hazard (the hazards domain's case source): it starts with the hazard's
place and title, as the command and the post that reported it see it; a post that may not
see the hazard cannot open a case from it (404), nor can a village committee (403)."""

from __future__ import annotations

import pytest

from tests.hazards.world import body, build, report


@pytest.fixture
def w(session):
    return build(session)


def test_a_case_opened_from_a_hazard_starts_with_its_place(client, w):
    hazard = report(client, w)
    made = client.post("/api/v1/cases", json={"kind": "hazard", "record_id": hazard["id"]},
                       headers=w.headers(client, "cmd"))
    assert made.status_code == 201, made.text
    case = made.json()
    assert case["kind"] == "hazard" and case["realm"] == "land"
    assert case["source_id"] == hazard["id"]
    assert case["geometry"] == body()["geometry"]
    assert any(link["kind"] == "place" for link in case["links"])
    assert client.post("/api/v1/cases", json={"kind": "hazard", "record_id": hazard["id"]},
                       headers=w.headers(client, "post_a")).status_code == 201
    assert client.post("/api/v1/cases", json={"kind": "hazard", "record_id": hazard["id"]},
                       headers=w.headers(client, "post_b")).status_code == 404
    assert client.post("/api/v1/cases", json={"kind": "hazard", "record_id": hazard["id"]},
                       headers=w.headers(client, "village")).status_code == 403
