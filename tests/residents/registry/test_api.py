"""The registry API as each kind of user: who registers, who sees whom (a post its linked
village, a village committee its own village only), 404 when unseen, 403 without the
function; every read of a person written with its purpose; records on a person; crossings
at recognised points and at non-designated paths; validation naming the field."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bastion.audit.models import AuditEntry
from bastion.residents.crossings.models import Crossing
from bastion.residents.models import RecordRead, Resident
from tests.residents.registry.world import API, build_registry, person, register


@pytest.fixture
def w(session):
    return build_registry(session)


def get(client, w, who, rid, purpose="home visit"):
    return client.get(f"{API}/{rid}", params={"purpose": purpose}, headers=w.headers(client, who))


def test_register_marks_green_to_the_village_committee(client, session, w):
    rid = register(client, w, "a_officer", w.village_a)
    resident = session.get(Resident, rid)
    assert resident.tlp.value == "green" and resident.distribution.value == "named"
    assert resident.post_agency_id == w.post_a.id
    assert resident.owner_org_id == w.command.id
    record = get(client, w, "cmd", rid).json()
    assert record["person"]["marking"]["agency_ids"] == [w.village.id]
    assert record["village"]["name"] == "竹山村"


def test_need_to_know_by_kind_of_user(client, session, w):
    in_a = register(client, w, "a_officer", w.village_a)
    in_b = register(client, w, "cmd_officer", w.village_b, name="Lê Thị Hoa",
                    name_latin="LE THI HOA", name_han="黎氏花", sex="female")
    shared = register(client, w, "cmd_officer", w.village_b, name="Hoàng Văn Nam",
                      agency_ids=[w.police.id])
    expect = {  # who: (in village A, in village B, village B shared with police)
        "cmd": (200, 200, 200), "cmd_officer": (200, 200, 200), "cmd_viewer": (200, 200, 200),
        "a_officer": (200, 404, 404), "a_aux": (200, 404, 404),
        "b_officer": (404, 200, 200), "b_aux": (404, 200, 200),
        "village": (200, 404, 404), "police": (404, 404, 200), "police_2": (404, 404, 404),
        "army": (403, 403, 403), "port": (403, 403, 403), "agent": (403, 403, 403),
    }
    for who, statuses in expect.items():
        got = tuple(get(client, w, who, rid).status_code for rid in (in_a, in_b, shared))
        assert got == statuses, who
    # the list shows the same
    listed = {r["id"] for r in client.get(API, headers=w.headers(client, "village")).json()["items"]}
    assert listed == {in_a}
    listed = {r["id"] for r in client.get(API, headers=w.headers(client, "b_aux")).json()["items"]}
    assert listed == {in_b, shared}
    assert client.get(API, headers=w.headers(client, "army")).status_code == 403
    # a nonexistent person is 404 as well, for someone with the function
    assert get(client, w, "cmd", 999999).status_code == 404


def test_every_read_is_written_with_its_purpose(client, session, w):
    rid = register(client, w, "a_officer", w.village_a)
    missing = client.get(f"{API}/{rid}", headers=w.headers(client, "village"))
    assert missing.status_code == 422 and "purpose" in missing.text
    assert get(client, w, "village", rid, purpose="走访核实").status_code == 200
    reads = session.scalars(select(RecordRead).where(RecordRead.resident_id == rid)).all()
    assert [(r.user_id, r.purpose) for r in reads] == [(w.users["village"].id, "走访核实")]
    assert get(client, w, "b_officer", rid).status_code == 404
    assert session.scalar(select(func.count()).select_from(RecordRead)) == 1


def test_who_may_register_and_write(client, session, w):
    body = person(w, w.village_a)
    for who, status in (("a_aux", 403), ("village", 403), ("army", 403), ("agent", 403),
                        ("port", 403), ("police", 201), ("cmd_officer", 201)):
        got = client.post(API, json=body, headers=w.headers(client, who))
        assert got.status_code == status, (who, got.text)
    rid = register(client, w, "a_officer", w.village_a)
    doc = {"doc_type": "743", "number": "GX0012345", "issued": "2026-01-05",
           "expires": "2027-01-04"}
    for who, status in (("a_aux", 403), ("village", 403), ("b_officer", 404), ("army", 403),
                        ("a_officer", 201)):
        got = client.post(f"{API}/{rid}/documents", json=doc, headers=w.headers(client, who))
        assert got.status_code == status, (who, got.text)
    assert got.json()["type_code"] == "743" and got.json()["doc_type"] == "cn_vn_border_pass"


def test_crossings_recognised_or_not_and_who_records(client, session, w):
    rid = register(client, w, "a_officer", w.village_a)
    client.post(f"{API}/{rid}/documents", json={"doc_type": "护照", "number": "C1234567",
                                               "expires": "2030-01-01"},
                headers=w.headers(client, "a_officer"))
    at_port = {"at": "2026-11-20T09:15:00", "direction": "in", "crossing_point": "CỬA KHẨU SÓC GIANG",
               "doc_number": "C1234567", "client_id": "0b7e6a8e-3a2c-4d7c-9a50-2b1f3f1d9c11"}
    made = client.post(f"{API}/{rid}/crossings", json=at_port, headers=w.headers(client, "a_aux"))
    assert made.status_code == 201, made.text
    assert made.json()["designated"] is True and made.json()["document_id"]
    assert made.json()["at"].startswith("2026-11-20T01:15:00")  # Asia/Shanghai to UTC
    again = client.post(f"{API}/{rid}/crossings", json=at_port, headers=w.headers(client, "a_aux"))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    path = client.post(f"{API}/{rid}/crossings", json={
        "at": "2026-11-22T18:40:00+08:00", "direction": "out",
        "crossing_point": "1341号界碑东侧便道"}, headers=w.headers(client, "a_officer"))
    assert path.status_code == 201 and path.json()["designated"] is False
    assert path.json()["path"] == "1341号界碑东侧便道"
    for who, status in (("village", 403), ("b_aux", 404), ("army", 403)):
        assert client.post(f"{API}/{rid}/crossings", json=at_port,
                           headers=w.headers(client, who)).status_code == status, who
    assert session.scalar(select(func.count()).select_from(Crossing)) == 2
    record = get(client, w, "cmd", rid).json()
    assert [c["designated"] for c in record["crossings"]] == [False, True]
    assert record["crossings"][1]["point"]["name_zh"] == "平孟"
    summaries = set(session.scalars(select(AuditEntry.summary).where(
        AuditEntry.record_kind == "resident")))
    assert f"resident {rid}: crossing added" in summaries


@pytest.mark.parametrize(("path", "body", "field"), [
    ("", {"name": ""}, "name"),
    ("", {"name": "A", "nationality": "XYZ"}, "nationality"),
    ("", {"name": "A", "sex": "robot"}, "sex"),
    ("", {"name": "A", "birth_date": "2999-01-01"}, "birth_date"),
    ("", {"name": "A", "village_id": 99999}, "village_id"),
    ("", {"name": "A", "post_agency_id": 99999}, "post_agency_id"),
    ("", {"name": "A", "household_id": 99999}, "household_id"),
    ("/{rid}/documents", {"doc_type": "library card", "number": "1"}, "doc_type"),
    ("/{rid}/documents", {"doc_type": "711", "number": "1", "issued": "2026-02-01",
                          "expires": "2026-01-01"}, "expires"),
    ("/{rid}/marriages", {"registered": True}, "spouse_name"),
    ("/{rid}/marriages", {"spouse_id": 99999}, "spouse_id"),
    ("/{rid}/family", {"relation": "cousin", "relative_name": "x"}, "relation"),
    ("/{rid}/permits", {"kind": "study"}, "kind"),
    ("/{rid}/permits", {"kind": "work", "valid_from": "2026-05-01",
                        "valid_to": "2026-04-01"}, "valid_to"),
    ("/{rid}/lodgings", {"registered_at": "yesterday"}, "registered_at"),
    ("/{rid}/employment", {"employer": ""}, "employer"),
    ("/{rid}/crossings", {"at": "2026-11-20T09:00", "direction": "sideways",
                          "crossing_point": "东兴"}, "direction"),
    ("/{rid}/crossings", {"at": "2026-11-20T09:00", "direction": "in",
                          "crossing_point": "东兴", "document_id": 99999}, "document_id"),
])
def test_bad_input_is_422_naming_the_field(client, w, path, body, field):
    rid = register(client, w, "a_officer", w.village_a)
    got = client.post(API + path.format(rid=rid), json=body, headers=w.headers(client, "a_officer"))
    assert got.status_code == 422, got.text
    detail = got.json()["detail"]
    named = detail[0]["loc"][-1] if isinstance(detail, list) else got.json().get("field")
    assert named == field or field in got.text, got.text


def test_the_whole_history_on_one_record(client, session, w):
    rid = register(client, w, "a_officer", w.village_a)
    spouse = register(client, w, "a_officer", w.village_a, name="Lê Thị Hoa", sex="female")
    hh = client.post(f"{API}/households", json={"code": "ZS-007", "village_id": w.village_a.id,
                                                "address": "竹山村7号"},
                     headers=w.headers(client, "a_officer")).json()["id"]
    put = client.put(f"{API}/{rid}", json=person(w, w.village_a, household_id=hh),
                     headers=w.headers(client, "a_officer"))
    assert put.status_code == 200, put.text
    h = w.headers(client, "a_officer")
    for part, body in (
            ("documents", {"doc_type": "744", "number": "VN778899", "expires": "2020-01-01"}),
            ("marriages", {"spouse_name": "黄秀英", "spouse_id_number": "452626199001011234",
                           "registered": False, "since": "2019-05-01"}),
            ("marriages", {"spouse_id": spouse, "registered": True, "since": "2021-01-01",
                           "certificate_no": "J452626-2021-0001"}),
            ("family", {"relative_name": "阮文明", "relation": "sibling"}),
            ("residence", {"village_id": w.village_a.id, "address": "竹山村7号",
                           "since": "2019-05-01"}),
            ("lodgings", {"registered_at": "2026-11-20T20:00:00", "address": "竹山村7号",
                          "host": "黄秀英"}),
            ("permits", {"kind": "residence", "number": "R-1", "valid_from": "2026-01-01",
                         "valid_to": "2027-01-01"}),
            ("employment", {"employer": "竹山甘蔗合作社", "since": "2026-03-01"})):
        got = client.post(f"{API}/{rid}/{part}", json=body, headers=h)
        assert got.status_code == 201, (part, got.text)
    record = get(client, w, "a_aux", rid).json()
    assert record["documents"][0]["validity"] == "expired"
    assert {m["registered"] for m in record["marriages"]} == {True, False}
    assert any(m["spouse"] == "Lê Thị Hoa" for m in record["marriages"])
    assert record["household"]["code"] == "ZS-007"
    for key in ("residence", "lodgings", "permits", "employment", "family"):
        assert len(record[key]) == 1, key
    # R2's flags, recomputed by every write: a residence permit is not a work permit
    assert {"work_without_permit", "unregistered_marriage"} <= {f["kind"] for f in record["flags"]}
    assert record["visits"] == []
    # removing a mistaken record
    doc_id = record["documents"][0]["id"]
    assert client.delete(f"{API}/{rid}/documents/{doc_id}", headers=h).status_code == 204
    assert client.delete(f"{API}/{rid}/documents/{doc_id}", headers=h).status_code == 404


def test_export_only_for_the_command_supervisor_and_audited(client, session, w):
    rid = register(client, w, "a_officer", w.village_a)
    for who, status in (("a_officer", 403), ("village", 403), ("police", 403),
                        ("cmd_officer", 403), ("army", 403)):
        got = client.get(f"{API}/{rid}/export", params={"purpose": "case"},
                         headers=w.headers(client, who))
        assert got.status_code == status, who
    assert client.get(f"{API}/{rid}/export", headers=w.headers(client, "cmd")).status_code == 422
    got = client.get(f"{API}/{rid}/export", params={"purpose": "移交案件"},
                     headers=w.headers(client, "cmd"))
    assert got.status_code == 200 and got.json()["person"]["name"] == "Nguyễn Văn An"
    assert "attachment" in got.headers["content-disposition"]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.summary == f"resident {rid} export"))
    assert entry is not None and entry.reason == "移交案件"


def test_duplicate_warning_on_registration(client, w):
    register(client, w, "a_officer", w.village_a)
    found = client.get(f"{API}/similar", params={"name": "Nguyễn Văn An"},
                       headers=w.headers(client, "a_officer")).json()["matches"]
    assert len(found) == 1
    again = client.post(API, json=person(w, w.village_a), headers=w.headers(client, "a_officer"))
    assert again.status_code == 201 and len(again.json()["warnings"]) == 1
    # the other post does not learn of a person it cannot see
    assert client.get(f"{API}/similar", params={"name": "Nguyễn Văn An"},
                      headers=w.headers(client, "b_officer")).json()["matches"] == []


def test_points_api(client, session, w):
    listed = client.get(f"{API}/crossing-points", params={"limit": 100},
                        headers=w.headers(client, "a_aux"))
    assert listed.status_code == 200 and listed.json()["total"] >= 15
    hit = client.get(f"{API}/crossing-points/recognise", params={"text": "mong cai"},
                     headers=w.headers(client, "village")).json()
    assert hit["designated"] and hit["point"]["name_zh"] == "东兴"
    new = {"code": "GX-ZS-BM", "name_zh": "竹山边民通道", "name_vi": "", "kind": "border_resident",
           "province_cn": "广西", "aliases": ["竹山便民通道"], "source": "command, 2026-12"}
    for who, status in (("a_officer", 403), ("police", 403), ("army", 403), ("cmd_viewer", 403)):
        assert client.post(f"{API}/crossing-points", json=new,
                           headers=w.headers(client, who)).status_code == status, who
    made = client.post(f"{API}/crossing-points", json=new, headers=w.headers(client, "cmd_officer"))
    assert made.status_code == 201, made.text
    assert client.post(f"{API}/crossing-points", json=new,
                       headers=w.headers(client, "cmd_officer")).status_code == 409
    pid = made.json()["id"]
    edited = client.put(f"{API}/crossing-points/{pid}", json={**new, "name_vi": "Lối mở Trúc Sơn"},
                        headers=w.headers(client, "cmd_officer"))
    assert edited.status_code == 200 and edited.json()["name_vi"] == "Lối mở Trúc Sơn"
    assert client.get(f"{API}/crossing-points/recognise", params={"text": "loi mo truc son"},
                      headers=w.headers(client, "a_aux")).json()["designated"]
    bad = client.post(f"{API}/crossing-points", json={**new, "code": "x y", "kind": "secret"},
                      headers=w.headers(client, "cmd_officer"))
    assert bad.status_code == 422
    assert client.get(f"{API}/crossing-points", headers=w.headers(client, "agent")).status_code == 403


def test_the_command_loads_the_shipped_points(client, session, w):
    for who, status in (("a_officer", 403), ("police", 403), ("village", 403)):
        assert client.post(f"{API}/crossing-points/load-reference",
                           headers=w.headers(client, who)).status_code == status, who
    got = client.post(f"{API}/crossing-points/load-reference",
                      headers=w.headers(client, "cmd_officer"))
    assert got.status_code == 200 and got.json() == {"added": 0}  # the world loaded them
    assert session.scalar(select(AuditEntry.summary).where(
        AuditEntry.summary == "crossing points reference: 0 added")) is not None


def test_registration_and_each_crossing_are_screened_against_the_watchlists(client, session, w):
    from bastion.screening import service as screening
    from bastion.screening.models import ScreeningHit

    watchlist = screening.create_list(session, user=w.users["cmd"], name="Wanted")
    screening.add_entry(session, user=w.users["cmd"], watchlist=watchlist, fields={
        "source_id": "W-1", "type": "person", "name": "NGUYEN VAN AN",
        "birth_date": "1988-03-14", "nationality": "VNM"})
    session.commit()
    rid = register(client, w, "a_officer", w.village_a)

    def hits() -> int:
        return len(session.scalars(select(ScreeningHit).where(
            ScreeningHit.source_kind == "resident", ScreeningHit.source_id == rid)).all())

    at_registration = hits()
    assert at_registration >= 1
    # One hit per person, entry and scope (screening keeps decisions): a name listed after
    # the registration is found at the next crossing.
    screening.add_entry(session, user=w.users["cmd"], watchlist=watchlist, fields={
        "source_id": "W-2", "type": "person", "name": "阮文安", "nationality": "VNM"})
    session.commit()
    made = client.post(f"{API}/{rid}/crossings", json={
        "at": "2026-11-20T09:15:00", "direction": "in", "crossing_point": "东兴"},
        headers=w.headers(client, "a_officer"))
    assert made.status_code == 201, made.text
    assert hits() > at_registration
