"""Legal outreach through the API as each kind of user: a post records visits to its linked
villages (422 naming the field for another), the command for any post, a village committee
reads its own village's visits, others nothing (403; 404 out of sight); a visit re-sent with
its client id is a duplicate; a photo hangs on a visit by its client id; the compliance board
shows who is behind; figures count operational visits only."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from bastion.border.geo.models import BorderPost
from bastion.core.marking import TLP
from bastion.outreach import figures
from tests.attachments import samples
from tests.residents.registry.world import build_registry

API = "/api/v1/outreach"
TODAY = date.today().isoformat()


@pytest.fixture
def w(session):
    return build_outreach(session)


def build_outreach(session):
    """The registry's border, its posts GREEN as in the demo (so an auxiliary, a viewer, sees
    where their post stands and its villages)."""
    w = build_registry(session)
    for post in session.scalars(select(BorderPost)):
        post.tlp = TLP.GREEN
    session.commit()
    return w


def record(client, w, who, village, **extra):
    body = {"village_id": village.id, "visited_on": TODAY, "topic": "border_law",
            "attendees": 40, "officers": ["农文光"], "materials": "宣传册", **extra}
    return client.post(f"{API}/visits", json=body, headers=w.headers(client, who))


def test_who_may_record(client, w):
    expect = {  # who: (village A, linked to post A; village B, linked to post B)
        "a_officer": (201, 422), "a_aux": (201, 422), "b_officer": (422, 201),
        "cmd_viewer": (403, 403), "village": (403, 403), "agent": (403, 403),
        "police": (403, 403), "army": (403, 403), "port": (403, 403),
    }
    for who, statuses in expect.items():
        got = tuple(record(client, w, who, v).status_code for v in (w.village_a, w.village_b))
        assert got == statuses, who
    # the command names the post; one not linked to the village is refused naming the field
    ok = record(client, w, "cmd_officer", w.village_b, post_agency_id=w.post_b.id)
    assert ok.status_code == 201 and ok.json()["post_agency_id"] == w.post_b.id
    bad = record(client, w, "cmd_officer", w.village_b, post_agency_id=w.post_a.id)
    assert bad.status_code == 422 and "village_id" in bad.text
    bad = record(client, w, "a_officer", w.village_a, post_agency_id=w.post_b.id)
    assert bad.status_code == 422 and "post_agency_id" in bad.text


def test_bad_input_names_the_field(client, w):
    for extra, field in (({"topic": "gossip"}, "topic"), ({"attendees": -1}, "attendees"),
                         ({"visited_on": "2999-01-01"}, "visited_on"),
                         ({"visited_on": "soon"}, "visited_on"),
                         ({"officers": ["x" * 101]}, "officers")):
        bad = record(client, w, "a_officer", w.village_a, **extra)
        assert bad.status_code == 422 and field in bad.text, extra
    assert client.get(f"{API}/visits/999999", headers=w.headers(client, "cmd")).status_code == 404


def test_who_sees_which_visits(client, w):
    va = record(client, w, "a_officer", w.village_a).json()["id"]
    vb = record(client, w, "b_officer", w.village_b).json()["id"]

    def seen(who):
        r = client.get(f"{API}/visits", headers=w.headers(client, who))
        return r.status_code, {v["id"] for v in r.json().get("items", [])}

    assert seen("cmd") == (200, {va, vb})
    assert seen("a_aux") == (200, {va})
    assert seen("b_officer") == (200, {vb})
    assert seen("village") == (200, {va})
    for who in ("agent", "police", "port", "army"):
        assert seen(who)[0] == 403, who
    assert client.get(f"{API}/visits/{vb}", headers=w.headers(client, "village")).status_code == 404
    own = client.get(f"{API}/visits/{va}", headers=w.headers(client, "village"))
    assert own.status_code == 200
    # the committee reads its village's visits with the village and the post named
    assert own.json()["village"] == w.village_a.name and own.json()["post"]


def test_a_replay_is_a_duplicate_and_a_photo_follows(client, w):
    client_id = str(uuid.uuid4())
    first = record(client, w, "a_aux", w.village_a, client_id=client_id)
    again = record(client, w, "a_aux", w.village_a, client_id=client_id)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["duplicate"] is True and again.json()["id"] == first.json()["id"]
    assert client.get(f"{API}/visits", headers=w.headers(client, "cmd")).json()["total"] == 1
    image = samples.png(4, 3)

    def photo(who, cid):
        return client.post(f"{API}/photos", data={"client_id": cid},
                           files={"file": ("p.png", image, "image/png")},
                           headers=w.headers(client, who))

    assert photo("a_aux", client_id).status_code == 201
    assert photo("a_aux", client_id).json()["duplicate"] is True
    assert photo("b_officer", client_id).status_code == 404
    assert photo("village", client_id).status_code == 403
    assert photo("a_aux", str(uuid.uuid4())).status_code == 404
    unnamed = client.post(f"{API}/photos", files={"file": ("p.png", image, "image/png")},
                          headers=w.headers(client, "a_aux"))
    assert unnamed.status_code == 422 and "visit_id" in unnamed.text
    one = client.get(f"{API}/visits/{first.json()['id']}", headers=w.headers(client, "village"))
    assert len(one.json()["photos"]) == 1


def test_the_board_shows_who_is_behind(client, w):
    for _n in range(2):
        record(client, w, "a_officer", w.village_a)
    record(client, w, "b_officer", w.village_b)
    record(client, w, "b_officer", w.village_b, exercise=True)  # a drill's visit is not counted
    board = client.get(f"{API}/board?months=2", headers=w.headers(client, "cmd")).json()
    rows = {r["village_id"]: r for r in board["rows"]}
    assert board["minimum"] == 2 and board["behind"] == 1
    assert rows[w.village_a.id]["cells"][-1] == {"month": TODAY[:7], "count": 2, "behind": False}
    assert rows[w.village_b.id]["behind"] is True
    assert len(rows[w.village_a.id]["cells"]) == 2
    mine = client.get(f"{API}/board", headers=w.headers(client, "a_aux")).json()
    assert [r["village_id"] for r in mine["rows"]] == [w.village_a.id]
    assert client.get(f"{API}/board", headers=w.headers(client, "village")).status_code == 403
    assert client.get(f"{API}/board?months=99", headers=w.headers(client, "cmd")).status_code == 422


def test_figures_count_operational_visits(client, session, w):
    record(client, w, "a_officer", w.village_a, attendees=30)
    record(client, w, "b_officer", w.village_b, attendees=12)
    record(client, w, "b_officer", w.village_b, attendees=99, exercise=True)
    year = date.today().year
    found = {f.key: f.value for f in figures.figures(
        session=session, user=w.users["cmd"], start=date(year, 1, 1), end=date(year + 1, 1, 1))}
    assert found == {"outreach.visits": 2, "outreach.people_reached": 42, "outreach.villages": 2}
    stats = client.get(f"{API}/stats", headers=w.headers(client, "cmd")).json()
    assert stats["totals"]["visits"] == 2 and sum(m["visits"] for m in stats["months"]) == 2
