"""Calendar feeds: who may make and revoke them, the token shown once and kept only as its
digest, the public .ics (no login; unknown or revoked: 404) with the person's published
duties only, in UTC, one stable UID per assignment."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from icalendar import Calendar
from sqlalchemy import select

from bastion.duty.rosters.models import CalendarFeed
from tests.web_helpers import csrf_token, login


def _make(client, duty, who, body=None):
    return client.post("/api/v1/duty/feeds", headers=duty.headers(client, who), json=body)


def _path(url: str) -> str:
    return url.split("testserver", 1)[1]


@pytest.mark.parametrize("who,status", [
    ("aux_on", 201),       # on the roster: their own
    ("police", 201),       # a partner on it: their own
    ("planner", 422),      # no duty person of their own: names the field
    ("aux_off", 422),      # not on any roster
    ("cmd_viewer", 422),
    ("police_2", 422),
    ("village", 403),      # no duty function
    ("agent", 403)])
def test_who_may_make_their_own_feed(client, duty, who, status):
    response = _make(client, duty, who)
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json()["detail"][0]["loc"] == ["body", "person_id"]


def test_planner_makes_one_for_a_person_of_the_organisation(client, duty):
    lu = duty.people["lu"].id
    assert _make(client, duty, "planner", {"person_id": lu}).status_code == 201
    # others may not, and see no such person
    for who in ("aux_on", "aux_off", "police", "cmd_viewer"):
        assert _make(client, duty, who, {"person_id": lu}).status_code == 404, who
    for who in ("village", "agent"):
        assert _make(client, duty, who, {"person_id": lu}).status_code == 403, who


def test_bad_input_is_a_4xx_naming_the_field(client, duty):
    assert _make(client, duty, "planner", {"person_id": "x"}).status_code == 422
    assert _make(client, duty, "planner", {"person_id": 0}).status_code == 422
    assert _make(client, duty, "planner", {"person_id": 2**40}).status_code == 422
    assert _make(client, duty, "planner", {"person": 1}).status_code == 422
    missing = _make(client, duty, "planner", {"person_id": 999999})
    assert missing.status_code == 404


def test_token_shown_once_and_kept_as_its_digest(client, session, duty):
    made = _make(client, duty, "aux_on").json()
    token = made["token"]
    assert made["url"].endswith(f"/duty/ical/{token}.ics") and len(token) >= 40
    row = session.get(CalendarFeed, made["id"])
    session.refresh(row)
    assert row.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(session.execute(select(CalendarFeed.__table__)).all())
    listed = client.get("/api/v1/duty/feeds", headers=duty.headers(client, "aux_on")).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == made["id"]
    assert "token" not in listed["items"][0] and "url" not in listed["items"][0]
    assert token not in str(listed)


def test_the_feed_has_the_person_s_published_duties(client, session, duty):
    made = _make(client, duty, "aux_on").json()
    client.cookies.clear()
    response = client.get(_path(made["url"]))  # no login
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = [c for c in cal.walk("VEVENT")]
    mine = {a.id: a for a in duty.assignments["he"]}
    assert {str(e["UID"]) for e in events} == {f"duty-assignment-{i}@bastion" for i in mine}
    for event in events:
        a = mine[int(str(event["UID"]).split("-")[2].split("@")[0])]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.utcoffset().total_seconds() == 0 and start == a.starts_at
        assert end == a.ends_at and (end - start).total_seconds() == 12 * 3600
        assert "DTSTART:" in response.text and "Z\r\n" in response.text  # written in UTC
        summary = str(event["SUMMARY"])
        assert "白班" in summary and "值班员" in summary and "竹山联防所" in summary
    # the draft's duty is not in it
    assert f"duty-assignment-{duty.assignments['draft_he'][0].id}@" not in response.text
    row = session.get(CalendarFeed, made["id"])
    session.refresh(row)
    assert row.last_used_at is not None
    # the same UIDs next time (a calendar program updates, it does not duplicate)
    again = Calendar.from_ical(client.get(_path(made["url"])).content)
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(
        str(e["UID"]) for e in events)


def test_a_partner_s_feed_has_his_nights_in_english(client, session, duty):
    duty.users["police"].language = "en"
    session.commit()
    made = _make(client, duty, "police").json()
    cal = Calendar.from_ical(client.get(_path(made["url"])).content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 7
    assert all("Duty leader" in str(e["SUMMARY"]) and "Zhushan Post" in str(e["SUMMARY"])
               for e in events)


def test_revoked_and_unknown_feeds_are_404(client, duty):
    made = _make(client, duty, "aux_on").json()
    headers = duty.headers(client, "aux_on")
    revoked = client.delete(f"/api/v1/duty/feeds/{made['id']}", headers=headers)
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert client.get(_path(made["url"])).status_code == 404
    assert client.get("/duty/ical/not-a-token.ics").status_code == 404
    assert client.get("/duty/ical/" + "x" * 300 + ".ics").status_code == 404
    # revoking again is harmless
    assert client.delete(f"/api/v1/duty/feeds/{made['id']}", headers=headers).status_code == 200


def test_who_may_revoke(client, duty):
    own = _make(client, duty, "aux_on").json()
    for who in ("aux_off", "police", "cmd_viewer", "police_2"):
        assert client.delete(f"/api/v1/duty/feeds/{own['id']}",
                             headers=duty.headers(client, who)).status_code == 404, who
    for who in ("village", "agent"):
        assert client.delete(f"/api/v1/duty/feeds/{own['id']}",
                             headers=duty.headers(client, who)).status_code == 403, who
    # the organisation's planner may revoke a feed of one of its people
    assert client.delete(f"/api/v1/duty/feeds/{own['id']}",
                         headers=duty.headers(client, "planner")).status_code == 200
    # a feed the planner made for Lu: the planner lists and revokes it
    lus = _make(client, duty, "planner", {"person_id": duty.people["lu"].id}).json()
    listed = client.get("/api/v1/duty/feeds", headers=duty.headers(client, "planner")).json()
    assert [f["id"] for f in listed["items"]] == [lus["id"]]
    assert client.delete(f"/api/v1/duty/feeds/{lus['id']}",
                         headers=duty.headers(client, "aux_on")).status_code == 404
    assert client.delete(f"/api/v1/duty/feeds/{lus['id']}",
                         headers=duty.headers(client, "planner")).status_code == 200
    assert client.delete("/api/v1/duty/feeds/999999",
                         headers=duty.headers(client, "planner")).status_code == 404


def test_listing_needs_the_duty_function(client, duty):
    for who in ("village", "agent"):
        assert client.get("/api/v1/duty/feeds",
                          headers=duty.headers(client, who)).status_code == 403
    assert client.get("/api/v1/duty/feeds",
                      headers=duty.headers(client, "aux_off")).json()["total"] == 0


def test_the_page_makes_shows_once_and_revokes(client, session, duty):
    login(client, duty.users["aux_on"].username)
    token = csrf_token(client, "/duty/me")
    made = client.post("/duty/me/feeds", data={"csrf_token": token})
    assert made.status_code == 201
    url = made.text.split('id="duty-new-feed-url" readonly value="', 1)[1].split('"', 1)[0]
    assert "/duty/ical/" in url
    assert client.get(_path(url)).status_code == 200
    page = client.get("/duty/me").text
    assert url not in page  # shown once
    feed = session.scalars(select(CalendarFeed).order_by(CalendarFeed.id.desc())).first()
    assert f'action="/duty/me/feeds/{feed.id}/revoke"' in page
    gone = client.post(f"/duty/me/feeds/{feed.id}/revoke", data={"csrf_token": token},
                       follow_redirects=False)
    assert gone.status_code == 303
    session.refresh(feed)
    assert feed.revoked_at is not None and feed.revoked_at <= datetime.now(UTC)
    assert client.get(_path(url)).status_code == 404


def test_the_page_refuses_a_feed_to_someone_not_on_a_roster(client, duty):
    login(client, duty.users["aux_off"].username)
    token = csrf_token(client, "/duty/me")
    refused = client.post("/duty/me/feeds", data={"csrf_token": token})
    assert refused.status_code == 422 and 'id="error-person_id"' in refused.text


def test_the_feed_needs_no_login_but_the_api_does(client, duty):
    assert client.post("/api/v1/duty/feeds", json={}).status_code == 401
    assert client.get("/api/v1/duty/feeds").status_code == 401
    assert client.delete("/api/v1/duty/feeds/1").status_code == 401
