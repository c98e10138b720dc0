"""Home visits as each kind of user: who lists, makes, records and cancels (404 for a person
not seen, 403 without the function); the field kit holds only what is needed at the door and
writes the reads; a result re-uploaded with its client id is a duplicate, another result on a
done task a 409 naming its state; a result on a flag's visit puts the flag in hand and writes
the finding on it."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from bastion.audit.models import AuditEntry
from bastion.residents.flags.models import FlagStatus, RiskFlag
from bastion.residents.models import RecordRead, ResidencePeriod
from bastion.residents.visits.models import VisitStatus, VisitTask
from tests.residents.registry.world import build_registry, register

API = "/api/v1/residents/visits"
WHEN = "2026-12-07T10:15:00+07:00"


@pytest.fixture
def w(session):
    return build_registry(session)


@pytest.fixture
def people(client, session, w):
    a = register(client, w, "a_officer", w.village_a, agency_ids=[w.police.id])
    b = register(client, w, "b_officer", w.village_b, name="Lê Thị Hoa", name_latin="LE THI HOA",
                 name_han="黎氏花", sex="female", birth_date="1990-01-02")
    session.add(ResidencePeriod(resident_id=a, village_id=w.village_a.id, address="竹山村3组12号"))
    session.commit()
    return a, b


def make(client, w, who, resident_id, **extra):
    return client.post(API, json={"resident_id": resident_id, "reason": "check address", **extra},
                       headers=w.headers(client, who))


def result(client, w, who, task_id, client_id=None, value="verified", notes=""):
    return client.post(f"{API}/{task_id}/result",
                       json={"client_id": client_id or str(uuid.uuid4()), "result": value,
                             "notes": notes, "device_at": WHEN, "lon": 107.93, "lat": 21.64},
                       headers=w.headers(client, who))


def test_who_may_send_a_visit(client, session, w, people):
    a, b = people
    expect = {  # who: (person in village A, person in village B)
        "cmd": (201, 201), "cmd_officer": (201, 201), "cmd_viewer": (403, 403),
        "a_officer": (201, 404), "a_aux": (403, 403), "b_officer": (404, 201),
        "b_aux": (403, 403), "police": (201, 404), "police_2": (404, 404),
        "village": (403, 403), "army": (403, 403), "port": (403, 403), "agent": (403, 403),
    }
    for who, statuses in expect.items():
        got = tuple(make(client, w, who, rid).status_code for rid in (a, b))
        assert got == statuses, who
    # the visit is the person's post's by default
    task = session.scalars(select(VisitTask).where(VisitTask.resident_id == a)).first()
    assert task.post_agency_id == w.post_a.id and task.status == VisitStatus.OPEN
    # a post sends its own visits only; a post of nowhere is refused naming the field
    bad = make(client, w, "a_officer", a, post_agency_id=w.post_b.id)
    assert bad.status_code == 422 and "post_agency_id" in bad.text
    bad = make(client, w, "cmd", a, post_agency_id=w.police.id)
    assert bad.status_code == 422 and "post_agency_id" in bad.text
    assert make(client, w, "cmd", 999999).status_code == 404
    assert make(client, w, "cmd", a, due="soon").status_code == 422


def test_who_sees_which_visits(client, session, w, people):
    a, b = people
    ta = make(client, w, "cmd", a).json()["id"]
    tb = make(client, w, "cmd", b).json()["id"]
    expect = {
        "cmd": {ta, tb}, "cmd_officer": {ta, tb}, "a_officer": {ta}, "a_aux": {ta},
        "b_officer": {tb}, "b_aux": {tb}, "police": {ta}, "police_2": set(),
    }
    for who, ids in expect.items():
        got = client.get(API, headers=w.headers(client, who))
        assert got.status_code == 200, who
        assert {t["id"] for t in got.json()["items"]} == ids, who
    for who in ("village", "army", "port", "agent"):
        assert client.get(API, headers=w.headers(client, who)).status_code == 403, who
        assert client.get(f"{API}/field-kit", headers=w.headers(client, who)).status_code == 403
    # one task: 404 when unseen
    assert client.get(f"{API}/{tb}", headers=w.headers(client, "a_officer")).status_code == 404
    assert client.get(f"{API}/{ta}", headers=w.headers(client, "a_aux")).status_code == 200
    assert client.get(f"{API}/{ta}", headers=w.headers(client, "police_2")).status_code == 404
    # paginated
    page = client.get(API, params={"limit": 1}, headers=w.headers(client, "cmd")).json()
    assert page["total"] == 2 and len(page["items"]) == 1


def test_field_kit_holds_only_what_the_door_needs_and_writes_reads(client, session, w, people):
    a, _b = people
    ta = make(client, w, "a_officer", a, due="2026-12-10").json()["id"]
    before = session.scalar(select(func.count()).select_from(RecordRead))
    got = client.get(f"{API}/field-kit", headers=w.headers(client, "a_aux"))
    assert got.status_code == 200
    body = got.json()
    assert [t["id"] for t in body["tasks"]] == [ta]
    assert body["tasks"][0]["due"] == "2026-12-10"
    assert body["persons"] == [{"id": a, "name": "Nguyễn Văn An", "name_latin": "NGUYEN VAN AN",
                                "name_han": "阮文安", "village": "竹山村",
                                "address": "竹山村3组12号", "photo_id": None}]
    assert set(body["results"]) == {"verified", "changed", "absent", "left", "not_found"}
    reads = session.scalars(select(RecordRead).order_by(RecordRead.id.desc())).all()
    assert len(reads) == before + 1 and reads[0].purpose == "home_visit"
    assert reads[0].user_id == w.users["a_aux"].id and reads[0].resident_id == a


def test_result_is_idempotent_by_client_id(client, session, w, people):
    a, _b = people
    ta = make(client, w, "a_officer", a).json()["id"]
    cid = str(uuid.uuid4())
    first = result(client, w, "a_aux", ta, cid, "changed", "moved to 5组")
    assert first.status_code == 201, first.text
    assert first.json()["duplicate"] is False and first.json()["status"] == "done"
    again = result(client, w, "a_aux", ta, cid, "changed", "moved to 5组")
    assert again.status_code == 200 and again.json()["duplicate"] is True
    # the same client id with other content: a conflict
    assert result(client, w, "a_aux", ta, cid, "absent").status_code == 409
    # a second, different result on a done task: 409 naming the state
    other = result(client, w, "a_officer", ta, None, "absent")
    assert other.status_code == 409
    assert "已完成（信息需更正）" in other.json()["detail"]  # done (changed), in zh-CN
    task = session.get(VisitTask, ta)
    session.refresh(task)
    assert task.result.value == "changed" and task.notes == "moved to 5组"
    assert task.visited_by_id == w.users["a_aux"].id
    assert task.visited_device_at.replace(tzinfo=None).isoformat() == "2026-12-07T03:15:00"
    assert (task.lon, task.lat) == (107.93, 21.64)
    audits = session.scalars(select(AuditEntry.summary).where(
        AuditEntry.record_kind == "resident_visit", AuditEntry.record_id == ta)).all()
    assert sorted(audits) == [f"home visit {ta} for resident {a}", f"home visit {ta}: changed"]


def test_result_as_each_kind_of_user(client, session, w, people):
    a, _b = people
    expect = {"a_officer": 201, "a_aux": 201, "cmd": 201, "police": 201, "b_officer": 404,
              "b_aux": 404, "police_2": 404, "village": 403, "army": 403, "port": 403,
              "agent": 403}
    for who, status in expect.items():
        ta = make(client, w, "cmd", a).json()["id"]
        assert result(client, w, who, ta).status_code == status, who


def test_bad_result_names_the_field(client, w, people):
    a, _b = people
    ta = make(client, w, "a_officer", a).json()["id"]
    h = w.headers(client, "a_officer")
    for payload, field in (
        ({"client_id": "x", "result": "verified", "device_at": WHEN}, "client_id"),
        ({"client_id": str(uuid.uuid4()), "result": "maybe", "device_at": WHEN}, "result"),
        ({"client_id": str(uuid.uuid4()), "result": "verified",
          "device_at": "2026-12-07T10:15:00"}, "device_at"),
        ({"client_id": str(uuid.uuid4()), "result": "verified", "device_at": WHEN,
          "lat": 95}, "lat"),
        ({"client_id": str(uuid.uuid4()), "result": "verified",
          "device_at": "1990-01-01T00:00:00+00:00"}, "device_at"),
    ):
        got = client.post(f"{API}/{ta}/result", json=payload, headers=h)
        assert got.status_code == 422 and field in got.text, (field, got.text)


def test_cancel(client, session, w, people):
    a, _b = people
    ta = make(client, w, "a_officer", a).json()["id"]
    assert client.post(f"{API}/{ta}/cancel", json={"reason": "x"},
                       headers=w.headers(client, "a_aux")).status_code == 403
    assert client.post(f"{API}/{ta}/cancel", json={"reason": "x"},
                       headers=w.headers(client, "b_officer")).status_code == 404
    got = client.post(f"{API}/{ta}/cancel", json={"reason": "moved away"},
                      headers=w.headers(client, "a_officer"))
    assert got.status_code == 200 and got.json()["status"] == "cancelled"
    late = result(client, w, "a_aux", ta)
    assert late.status_code == 409 and "已取消" in late.json()["detail"]  # cancelled
    assert client.post(f"{API}/{ta}/cancel", headers=w.headers(client, "a_officer")).status_code == 409
    # a cancelled visit leaves the open list
    assert client.get(API, headers=w.headers(client, "a_officer")).json()["total"] == 0
    done = client.get(API, params={"status": "cancelled"}, headers=w.headers(client, "a_officer"))
    assert [t["id"] for t in done.json()["items"]] == [ta]


def test_a_flags_visit_puts_the_flag_in_hand_and_reports(client, session, w, people):
    a, b = people
    flag = RiskFlag(resident_id=a, kind="no_lodging_registration", rule="lodging_24h",
                    article="出境入境管理法 第三十九条", why=[], post_agency_id=w.post_a.id)
    other = RiskFlag(resident_id=b, kind="overstay", rule="overstay", article="第七十八条",
                     why=[], post_agency_id=w.post_b.id)
    session.add_all([flag, other])
    session.commit()
    bad = make(client, w, "cmd", a, flag_id=other.id)
    assert bad.status_code == 422 and "flag_id" in bad.text
    made = make(client, w, "a_officer", a, flag_id=flag.id, reason="")
    assert made.status_code == 201
    assert "no_lodging_registration" in made.json()["reason"]
    session.refresh(flag)
    assert flag.status == FlagStatus.IN_HAND
    # the post put it back to open meanwhile: the result puts it in hand again
    flag.status = FlagStatus.OPEN
    session.commit()
    assert result(client, w, "a_aux", made.json()["id"], value="absent",
                  notes="neighbours say he works in 东兴").status_code == 201
    session.refresh(flag)
    assert flag.status == FlagStatus.IN_HAND
    assert flag.outcome.endswith(f"home visit {made.json()['id']}: absent — neighbours say he works in 东兴")


def test_field_page_as_each_kind_of_user(client, w, people):
    for who, status in {"a_officer": 200, "a_aux": 200, "cmd": 200, "village": 403,
                        "agent": 403, "port": 403}.items():
        got = client.get("/residents/visits/field", headers=w.headers(client, who))
        assert got.status_code == status, who
    page = client.get("/residents/visits/field", headers=w.headers(client, "a_aux")).text
    assert "/static/js/residents-visits.js" in page and "data-words" in page
    sw = client.get("/sw.js").text
    assert "/residents/visits/field" in sw and "/static/js/residents-visits.js" in sw
