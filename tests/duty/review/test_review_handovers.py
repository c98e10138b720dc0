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


def test_a_handover_withholds_the_open_items_its_reader_may_not_read(client, w):
    """The snapshot copied an AMBER entry's content (a hotline call's, say) and showed it to an
    auxiliary (a viewer) who cannot open that entry in the log."""
    from datetime import UTC, datetime, timedelta

    from tests.web_helpers import login

    h = w.headers(client, "a_officer")
    when = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    amber = client.post(f"{API}/log", headers=h, json={
        "occurred_at": when, "content": "越方渔民求助（来电人身份待核）",
        "marking": {"tlp": "amber", "distribution": "own"}})
    assert amber.status_code == 201, amber.text
    green = client.post(f"{API}/log", headers=h, json={
        "occurred_at": when, "content": "界河边有陌生人徘徊"})
    assert green.status_code == 201, green.text
    # The auxiliary may not open the AMBER entry in the log ...
    assert client.get(f"{API}/log/{amber.json()['id']}",
                      headers=w.headers(client, "a_aux")).status_code == 404
    made = client.post(f"{API}/handovers", headers=h,
                       json={"incoming_user_id": w.users["a_aux"].id, "situation": "平稳"})
    assert made.status_code == 201, made.text
    hid = made.json()["id"]
    assert {i["id"] for i in made.json()["open_items"]} == {amber.json()["id"],
                                                            green.json()["id"]}
    # ... nor read it through the handover (API, list, page and print sheet) ...
    got = client.get(f"{API}/handovers/{hid}", headers=w.headers(client, "a_aux")).json()
    assert [i["id"] for i in got["open_items"]] == [green.json()["id"]]
    assert got["withheld_items"] == 1
    listed = client.get(f"{API}/handovers", headers=w.headers(client, "a_aux")).json()
    assert all("越方渔民" not in str(x["open_items"]) for x in listed["items"])
    confirmed = client.post(f"{API}/handovers/{hid}/confirm",
                            headers=w.headers(client, "a_aux"))
    assert confirmed.status_code == 200 and "越方渔民" not in confirmed.text
    login(client, w.users["a_aux"].username)
    for path in (f"/duty/handovers/{hid}", f"/duty/handovers/{hid}/print"):
        page = client.get(path)
        assert page.status_code == 200
        assert "界河边有陌生人徘徊" in page.text and "越方渔民" not in page.text, path
        assert "您无权查看" in page.text, path
    # ... while the officer who wrote it, and the command, still see every item.
    for who in ("a_officer", "cmd"):
        full = client.get(f"{API}/handovers/{hid}", headers=w.headers(client, who)).json()
        assert len(full["open_items"]) == 2 and full["withheld_items"] == 0, who
