"""Holes found walking the product as the demo users (review of issue #13): a handover's
shift day must be a day of the calendar (the pattern alone stored "2027-02-30")."""

from __future__ import annotations

import pytest

from tests.duty.log.world import build

API = "/api/v1/duty"


@pytest.fixture
def w(session):
    return build(session)


@pytest.mark.parametrize("day", ["2027-02-30", "2026-13-01", "2026-00-10"])
def test_a_handover_on_a_day_that_does_not_exist_is_refused(client, w, day):
    got = client.post(f"{API}/handovers", headers=w.headers(client, "a_officer"),
                      json={"incoming_user_id": w.users["a_officer2"].id, "shift_day": day})
    assert got.status_code == 422, got.text
    assert got.json()["detail"][0]["loc"][-1] == "shift_day"


def test_a_handover_on_a_real_day_is_taken(client, w):
    got = client.post(f"{API}/handovers", headers=w.headers(client, "a_officer"),
                      json={"incoming_user_id": w.users["a_officer2"].id,
                            "shift_day": "2028-02-29"})
    assert got.status_code == 201, got.text
    assert got.json()["shift_day"] == "2028-02-29"
