"""Areas of responsibility: a record tied to a place (here a notice tied to a border segment)
is narrowed to the units answering for that place, on top of its TLP marking."""

from __future__ import annotations

from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token


def test_a_post_sees_its_own_segment_and_a_village_its_own_village(client, session, world):
    command = make_agency(session, code="JDC", kind=AgencyKind.JOINT_DEFENCE_COMMAND)
    pingmeng = make_agency(session, code="JDC-PM", kind=AgencyKind.JOINT_DEFENCE_POST,
                           parent=command)
    bainan = make_agency(session, code="JDC-BN", kind=AgencyKind.JOINT_DEFENCE_POST,
                         parent=command)
    village = make_agency(session, code="VC-NJ", kind=AgencyKind.VILLAGE_COMMITTEE)
    chief = make_user(session, agency=command, role=Role.SUPERVISOR, username="chief")
    make_user(session, agency=pingmeng, role=Role.OFFICER, username="pm.officer")
    make_user(session, agency=bainan, role=Role.OFFICER, username="bn.officer")
    make_user(session, agency=village, role=Role.VIEWER, username="vc.viewer")
    session.commit()
    admin = api_token(client, "a.admin")
    for agency, areas in ((pingmeng, [{"kind": "segment", "id": 7}]),
                          (bainan, [{"kind": "segment", "id": 8}]),
                          (village, [{"kind": "village", "id": 3}])):
        saved = client.put(f"/api/v1/agencies/{agency.id}/areas", headers=admin,
                           json={"areas": areas})
        assert saved.status_code == 200 and saved.json() == areas
    assert client.put(f"/api/v1/agencies/{pingmeng.id}/areas", headers=api_token(
        client, "pm.officer"), json={"areas": []}).status_code == 403

    author = api_token(client, chief.username)
    segment = client.post("/api/v1/notices", headers=author, json={
        "title": "segment 7 path", "tlp": "green", "distribution": "all",
        "area_kind": "segment", "area_id": 7}).json()
    in_village = client.post("/api/v1/notices", headers=author, json={
        "title": "village 3 meeting", "tlp": "green", "distribution": "all",
        "area_kind": "village", "area_id": 3}).json()
    everywhere = client.post("/api/v1/notices", headers=author, json={
        "title": "all posts", "tlp": "green", "distribution": "all"}).json()
    assert segment["marking"]["area_kind"] == "segment" and segment["marking"]["area_id"] == 7

    def titles(username):
        rows = client.get("/api/v1/notices", headers=api_token(client, username)).json()
        return {n["title"] for n in rows["items"]} & {
            "segment 7 path", "village 3 meeting", "all posts"}

    assert titles("pm.officer") == {"segment 7 path", "all posts"}
    assert titles("bn.officer") == {"all posts"}
    assert titles("vc.viewer") == {"village 3 meeting", "all posts"}
    assert titles("b.officer") == {"segment 7 path", "village 3 meeting", "all posts"}  # no areas
    assert titles("chief") == {"segment 7 path", "village 3 meeting", "all posts"}  # author
    bn = api_token(client, "bn.officer")
    assert client.get(f"/api/v1/notices/{segment['id']}", headers=bn).status_code == 404
    assert client.get(f"/api/v1/notices/{everywhere['id']}", headers=bn).status_code == 200
    assert client.get(f"/api/v1/notices/{in_village['id']}", headers=bn).status_code == 404


def test_an_area_needs_both_its_kind_and_its_number(client, world):
    author = api_token(client, "author")
    half = client.post("/api/v1/notices", headers=author, json={
        "title": "t", "tlp": "green", "distribution": "all", "area_kind": "segment"})
    assert half.status_code == 422 and half.json()["detail"][0]["loc"] == ["body", "area_id"]
