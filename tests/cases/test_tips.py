"""Tips from the public: a village committee member's tip becomes a case in the queue of the
post linked to the committee's village; the reporter sees "received", then "acted on", and
nothing of the case; a re-send is a duplicate, a different tip under a used id a conflict."""

from __future__ import annotations

import pytest

from tests.attachments.samples import png
from tests.cases.world import API, build, new_id, now_iso

PNG = png()

TIPS = "/api/v1/tips"


@pytest.fixture
def w(session):
    return build(session)


def tip_body(**extra):
    return {"client_id": new_id(), "kind": "suspicious_persons",
            "description": "后山有3名陌生人背大包往界碑走", "lon": 105.951, "lat": 22.952,
            "device_at": now_iso(minutes=3), **extra}


def test_a_tip_reaches_the_post_s_queue_and_the_reporter_sees_its_state(client, w):
    body = tip_body()
    made = client.post(TIPS, json=body, headers=w.headers(client, "village"))
    assert made.status_code == 201, made.text
    tip = made.json()
    assert tip["status"] == "received" and not tip["duplicate"] and "case_id" not in tip
    again = client.post(TIPS, json=body, headers=w.headers(client, "village"))
    assert again.status_code == 200 and again.json()["duplicate"] and again.json()["id"] == tip["id"]
    other = client.post(TIPS, json={**body, "description": "别的事"},
                        headers=w.headers(client, "village"))
    assert other.status_code == 409

    queue = client.get(f"{API}?agency_id={w.agencies['post_a'].id}&kind=tip",
                       headers=w.headers(client, "post_a")).json()
    assert queue["total"] == 1
    case = queue["items"][0]
    assert case["unit_id"] == w.agencies["post_a"].id and case["realm"] == "land"
    assert case["geometry"] == {"type": "Point", "coordinates": [105.951, 22.952]}
    # the reporter sees their tip, not the case
    assert client.get(f"{API}/{case['id']}",
                      headers=w.headers(client, "village")).status_code in (403, 404)
    mine = client.get(f"{TIPS}/mine", headers=w.headers(client, "village")).json()
    assert [t["status"] for t in mine["items"]] == ["received"]
    # the station, the police: not theirs
    for who in ("station_sup", "police"):
        assert client.get(f"{API}/{case['id']}",
                          headers=w.headers(client, who)).status_code == 404, who

    closed = client.post(f"{API}/{case['id']}/close", headers=w.headers(client, "post_a"),
                         json={"outcome": "handed_to_police", "persons": 3})
    assert closed.status_code == 200, closed.text
    mine = client.get(f"{TIPS}/mine", headers=w.headers(client, "village")).json()
    assert mine["items"][0]["status"] == "acted_on" and mine["items"][0]["acted_on_at"]


def test_a_tip_with_a_photo_by_multipart(client, w):
    body = tip_body(kind="damaged_fence", description="")
    body = {k: str(v) for k, v in body.items()}
    made = client.post(TIPS, data=body, files={"photo": ("fence.png", PNG, "image/png")},
                       headers=w.headers(client, "village"))
    assert made.status_code == 201, made.text
    case = client.get(f"{API}?kind=tip", headers=w.headers(client, "post_a")).json()["items"][0]
    files = client.get(f"/api/v1/attachments?record_kind=case_tip&record_id={made.json()['id']}",
                       headers=w.headers(client, "post_a"))
    assert files.status_code == 200 and files.json()["total"] == 1
    assert case["title"].startswith("铁丝网") or "·" in case["title"]


def test_bad_tips_name_the_field(client, w):
    h = w.headers(client, "village")
    assert client.post(TIPS, json=tip_body(kind="ufo"), headers=h).status_code == 422
    empty = client.post(TIPS, json=tip_body(description=""), headers=h)
    assert empty.status_code == 422 and "description" in empty.text
    half = client.post(TIPS, json=tip_body(lat=None), headers=h)
    assert half.status_code == 422 and "lat" in half.text
    future = client.post(TIPS, json=tip_body(device_at=now_iso(hours=-5)), headers=h)
    assert future.status_code == 422 and "device_at" in future.text
    assert client.post(TIPS, content=b"[", headers={**h, "content-type": "application/json"}
                       ).status_code == 422
    for who in ("post_a", "station_off", "agent"):
        assert client.post(TIPS, json=tip_body(), headers=w.headers(client, who)).status_code == 403


def test_a_committee_without_a_village_is_told(client, session, w):
    from bastion.org.models import AgencyKind, Role
    from tests.factories import make_agency, make_user

    lonely = make_user(session, agency=make_agency(session, kind=AgencyKind.VILLAGE_COMMITTEE),
                       role=Role.VIEWER)
    session.commit()
    from tests.web_helpers import api_token

    got = client.post(TIPS, json=tip_body(), headers=api_token(client, lonely.username))
    assert got.status_code == 422 and "village" in got.text
