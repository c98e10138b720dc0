"""Cases through the API as each kind of user: a case opened from a vessel alert links the
vessel, its open call and the call's crew, and is visible to a named participating agency and
to nobody else (404); tasks, timeline, outcome, the list's filters and the map; bad input is a
422 naming the field."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bastion.cases.models import Case
from tests.cases.world import API, MMSI, build, now_iso


@pytest.fixture
def w(session):
    return build(session)


def open_from_alert(client, w, **extra):
    body = {"kind": "alert", "record_id": w.alert_id,
            "marking": {"tlp": "amber", "distribution": "named",
                        "agency_ids": [w.agencies["customs"].id]}, **extra}
    made = client.post(API, json=body, headers=w.headers(client, "station_off"))
    assert made.status_code == 201, made.text
    return made.json()


def test_a_case_from_a_vessel_alert_links_vessel_call_and_crew(client, w):
    case = open_from_alert(client, w)
    assert case["kind"] == "alert" and case["realm"] == "sea" and case["source_id"] == w.alert_id
    assert case["title"].startswith("XIN HAI 9")
    kinds = [(link["kind"], link["ref"]) for link in case["links"]]
    assert ("alert", str(w.alert_id)) in kinds and ("vessel", str(MMSI)) in kinds
    assert ("port_call", str(w.call_id)) in kinds
    crew = [link for link in case["links"] if link["kind"] == "crew_member"]
    assert [c["ref"] for c in crew] == [f"{w.call_id}:1", f"{w.call_id}:2"]
    assert "NGUYEN VAN AN" in crew[1]["title"]
    assert case["geometry"] == {"type": "Point", "coordinates": [111.9, 21.7]}
    assert case["marking"]["agency_ids"] == [w.agencies["customs"].id]
    assert [e["action"] for e in case["timeline"]] == ["opened"]


def test_visible_to_the_named_agency_and_nobody_else(client, w):
    case = open_from_alert(client, w)
    url = f"{API}/{case['id']}"
    for who in ("station_off", "station_sup", "customs"):
        assert client.get(url, headers=w.headers(client, who)).status_code == 200, who
        listed = client.get(API, headers=w.headers(client, who)).json()
        assert [c["id"] for c in listed["items"]] == [case["id"]], who
    for who in ("msa", "cmd", "post_a", "police"):
        assert client.get(url, headers=w.headers(client, who)).status_code == 404, who
        assert client.get(API, headers=w.headers(client, who)).json()["total"] == 0, who
        assert client.post(f"{url}/notes", json={"note": "x"},
                           headers=w.headers(client, who)).status_code == 404, who
    for who in ("aux", "village", "agent"):  # no cases at all: refused the function
        assert client.get(url, headers=w.headers(client, who)).status_code in (403, 404), who
    feature = client.get(f"{API}/map.geojson", headers=w.headers(client, "customs")).json()
    assert [f["id"] for f in feature["features"]] == [case["id"]]
    assert client.get(f"{API}/map.geojson",
                      headers=w.headers(client, "msa")).json()["features"] == []


def test_an_alert_one_may_not_see_opens_no_case(client, w):
    """Customs reads alerts but not the station's AMBER one: 404, and nothing is made."""
    got = client.post(API, json={"kind": "alert", "record_id": w.alert_id},
                      headers=w.headers(client, "customs"))
    assert got.status_code == 404, got.text
    unknown = client.post(API, json={"kind": "nonsense", "record_id": 1},
                          headers=w.headers(client, "station_off"))
    assert unknown.status_code == 422 and "kind" in unknown.text


def test_only_the_owner_changes_the_sharing(client, w):
    case = open_from_alert(client, w)
    url = f"{API}/{case['id']}/marking"
    body = {"tlp": "amber", "distribution": "named", "agency_ids": [w.agencies["msa"].id]}
    assert client.put(url, json=body, headers=w.headers(client, "customs")).status_code == 409
    shared = client.put(url, json=body, headers=w.headers(client, "station_sup"))
    assert shared.status_code == 200, shared.text
    assert client.get(f"{API}/{case['id']}", headers=w.headers(client, "msa")).status_code == 200
    assert client.get(f"{API}/{case['id']}",
                      headers=w.headers(client, "customs")).status_code == 404


def test_tasks_timeline_and_outcome(client, session, w):
    case = open_from_alert(client, w)
    url = f"{API}/{case['id']}"
    h = w.headers(client, "station_off")
    bad = client.post(f"{url}/tasks", headers=h, json={
        "title": "登轮核查", "owner_id": w.users["msa"].id, "due_at": now_iso(hours=-4)})
    assert bad.status_code == 422 and "owner_id" in bad.text  # MSA may not read the case
    ok = client.post(f"{url}/tasks", headers=h, json={
        "title": "登轮核查", "owner_id": w.users["customs"].id, "due_at": now_iso(hours=-4)})
    assert ok.status_code == 201, ok.text
    task = ok.json()["tasks"][0]
    assert task["owner_name"] == w.users["customs"].display_name and not task["overdue"]
    done = client.post(f"{url}/tasks/{task['id']}/done", headers=w.headers(client, "customs"))
    assert done.status_code == 200 and done.json()["tasks"][0]["done_at"]
    link = client.post(f"{url}/links", headers=h, json={
        "kind": "place", "title": "锚地3号", "geometry": {"type": "Point",
                                                        "coordinates": [112.0, 21.6]}})
    assert link.status_code == 201
    broken = client.post(f"{url}/links", headers=h, json={
        "kind": "place", "title": "x", "geometry": {"type": "Point", "coordinates": ["a"]}})
    assert broken.status_code == 422 and "geometry" in broken.text
    no_persons = client.post(f"{url}/close", headers=h, json={"outcome": "smuggling_case"})
    assert no_persons.status_code == 422 and "persons" in no_persons.text
    wrong = client.post(f"{url}/close", headers=h, json={"outcome": "won_the_lottery"})
    assert wrong.status_code == 422 and "outcome" in wrong.text
    closed = client.post(f"{url}/close", headers=h, json={"outcome": "hazard_eliminated",
                                                          "note": "整改完毕"})
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed" and closed.json()["outcome_label"]
    again = client.post(f"{url}/close", headers=h, json={"outcome": "hazard_eliminated"})
    assert again.status_code == 409
    actions = [e["action"] for e in closed.json()["timeline"]]
    assert actions == ["opened", "task", "task_done", "linked", "closed"]
    assert session.scalar(select(Case.outcome).where(Case.id == case["id"])) == \
        "hazard_eliminated"


def test_sea_and_land_in_one_list_with_filters_and_pages(client, w):
    sea = open_from_alert(client, w)
    land = client.post(API, headers=w.headers(client, "cmd"), json={
        "title": "界碑旁可疑便道", "unit_id": w.agencies["post_a"].id,
        "marking": {"tlp": "amber", "distribution": "named",
                    "agency_ids": [w.agencies["station"].id]},
        "geometry": {"type": "LineString", "coordinates": [[105.9, 22.9], [105.91, 22.91]]}})
    assert land.status_code == 201, land.text
    assert land.json()["realm"] == "land"
    h = w.headers(client, "station_sup")
    both = client.get(API, headers=h).json()
    assert {c["id"] for c in both["items"]} == {sea["id"], land.json()["id"]}
    assert client.get(f"{API}?realm=land", headers=h).json()["items"][0]["id"] == \
        land.json()["id"]
    assert client.get(f"{API}?kind=alert", headers=h).json()["total"] == 1
    assert client.get(f"{API}?agency_id={w.agencies['post_a'].id}",
                      headers=h).json()["total"] == 1
    assert client.get(f"{API}?status=closed", headers=h).json()["total"] == 0
    page = client.get(f"{API}?limit=1", headers=h).json()
    assert page["total"] == 2 and len(page["items"]) == 1 and page["next_offset"] == 1
    assert len(client.get(f"{API}/map.geojson", headers=h).json()["features"]) == 2
    # the post sees its organisation's land case, not the station's sea case
    assert client.get(API, headers=w.headers(client, "post_a")).json()["total"] == 1
    bad = client.post(API, headers=w.headers(client, "cmd"), json={
        "title": "x", "unit_id": w.agencies["team"].id})
    assert bad.status_code == 422 and "unit_id" in bad.text


def test_an_exercise_is_marked_and_prefixed(client, w):
    made = client.post(API, headers=w.headers(client, "cmd"), json={
        "title": "反走私演练", "exercise": True})
    assert made.status_code == 201
    assert made.json()["exercise"] and made.json()["display_title"] != "反走私演练"
    assert "反走私演练" in made.json()["display_title"]
