"""The registry's pages as each kind of user: the list, the person page (asks the purpose,
then writes the read with it), registration with the duplicate warning before saving, the
crossing and document forms, the crossing-points page edited by the command."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bastion.residents.crossings.models import Crossing, CrossingPoint
from bastion.residents.models import RecordRead, Resident
from tests.residents.registry.world import build_registry, register
from tests.web_helpers import login


@pytest.fixture
def w(session):
    return build_registry(session)


def as_user(client, w, who):
    return login(client, w.users[who].username)


def test_list_and_person_page_by_kind_of_user(client, session, w):
    in_a = register(client, w, "a_officer", w.village_a)
    in_b = register(client, w, "cmd_officer", w.village_b, name="Lê Thị Hoa", name_han="黎氏花")
    for who, seen, unseen in (("village", in_a, in_b), ("a_aux", in_a, in_b),
                              ("b_officer", in_b, in_a), ("cmd", in_a, None)):
        as_user(client, w, who)
        page = client.get("/residents")
        assert page.status_code == 200
        assert f'href="/residents/{seen}"' in page.text, who
        if unseen:
            assert f'href="/residents/{unseen}"' not in page.text, who
            assert client.get(f"/residents/{unseen}?purpose=home_visit").status_code == 404
        ask = client.get(f"/residents/{seen}")
        assert ask.status_code == 200 and 'id="purpose-form"' in ask.text
        assert "Nguyễn" not in ask.text and "Lê Thị" not in ask.text
        before = session.scalar(select(func.count()).select_from(RecordRead))
        shown = client.get(f"/residents/{seen}?purpose=home_visit")
        assert shown.status_code == 200 and 'id="crossings"' in shown.text
        assert session.scalar(select(func.count()).select_from(RecordRead)) == before + 1
    for who in ("army", "agent", "port"):
        as_user(client, w, who)
        assert client.get("/residents").status_code == 403, who
        assert client.get(f"/residents/{in_a}?purpose=case").status_code == 403, who
    as_user(client, w, "village")
    assert f'href="/residents/{in_b}"' not in client.get("/residents?q=黎氏花").text
    as_user(client, w, "cmd")
    for q in ("黎氏花", "Lê Thị Hoa"):
        found = client.get("/residents", params={"q": q}).text
        assert f'href="/residents/{in_b}"' in found and f'href="/residents/{in_a}"' not in found


def test_registration_warns_of_a_duplicate_before_saving(client, session, w):
    register(client, w, "a_officer", w.village_a)
    token = as_user(client, w, "a_officer")
    assert 'id="register-form"' in client.get("/residents/new").text
    form = {"csrf_token": token, "name": "NGUYEN VAN AN", "name_latin": "NGUYEN VAN AN",
            "sex": "male", "nationality": "VNM", "village_id": str(w.village_a.id)}
    warned = client.post("/residents/new", data=form)
    assert warned.status_code == 200 and 'id="duplicate-warning"' in warned.text
    assert session.scalar(select(func.count()).select_from(Resident)) == 1
    saved = client.post("/residents/new", data={**form, "confirm": "1"}, follow_redirects=False)
    assert saved.status_code == 303 and "purpose=registration" in saved.headers["location"]
    assert session.scalar(select(func.count()).select_from(Resident)) == 2
    bad = client.post("/residents/new", data={**form, "nationality": "ZZZ", "confirm": "1"})
    assert bad.status_code == 422 and 'aria-describedby="error-nationality"' in bad.text
    as_user(client, w, "a_aux")
    assert client.get("/residents/new").status_code == 403


def test_crossing_and_document_forms(client, session, w):
    rid = register(client, w, "a_officer", w.village_a)
    token = as_user(client, w, "a_aux")
    done = client.post(f"/residents/{rid}/crossings", data={
        "csrf_token": token, "purpose": "crossing_check", "at": "2026-11-30T07:45",
        "direction": "in", "crossing_point": "Sóc Giang"}, follow_redirects=False)
    assert done.status_code == 303, done.text
    client.post(f"/residents/{rid}/crossings", data={
        "csrf_token": token, "purpose": "crossing_check", "at": "2026-11-30T19:10",
        "direction": "out", "crossing_point": "弄腊屯后山小路"})
    page = client.get(f"/residents/{rid}?purpose=crossing_check").text
    assert "平孟" in page and "弄腊屯后山小路" in page and 'class="undesignated"' in page
    assert 'class="flag-undesignated_crossing"' in page  # R2's flag, in the reader's words
    assert [c.designated for c in session.scalars(select(Crossing).order_by(Crossing.at))] == [
        True, False]
    bad = client.post(f"/residents/{rid}/crossings", data={
        "csrf_token": token, "purpose": "crossing_check", "at": "", "direction": "in",
        "crossing_point": "东兴"})
    assert bad.status_code == 422 and 'aria-describedby="error-at"' in bad.text
    assert client.post(f"/residents/{rid}/documents", data={
        "csrf_token": token, "doc_type": "743", "number": "X"}).status_code == 403
    token = as_user(client, w, "a_officer")
    added = client.post(f"/residents/{rid}/documents", data={
        "csrf_token": token, "purpose": "registration", "doc_type": "743",
        "number": "GX7430001", "expires": "2027-06-30"}, follow_redirects=False)
    assert added.status_code == 303
    assert "GX7430001" in client.get(f"/residents/{rid}?purpose=registration").text


def test_points_page_edited_by_the_command(client, session, w):
    token = as_user(client, w, "a_aux")
    page = client.get("/residents/points")
    assert page.status_code == 200 and "Móng Cái" in page.text and 'id="point-form"' not in page.text
    assert client.post("/residents/points", data={"csrf_token": token, "code": "X-1",
                                                  "name_zh": "x", "kind": "bilateral"}
                       ).status_code == 403
    token = as_user(client, w, "cmd_officer")
    dulong = session.scalar(select(CrossingPoint).where(CrossingPoint.code == "YN-DULONG"))
    form = client.get(f"/residents/points?edit={dulong.id}")
    assert 'name="point_id"' in form.text
    saved = client.post("/residents/points", data={
        "csrf_token": token, "point_id": str(dulong.id), "code": "YN-DULONG", "name_zh": "都龙",
        "name_vi": "Xín Mần (checked by the command)", "kind": "bilateral",
        "province_cn": "云南", "aliases": "Dulong; 都龙口岸", "source": "edited", "active": "1"},
        follow_redirects=False)
    assert saved.status_code == 303, saved.text
    session.refresh(dulong)
    assert dulong.name_vi.startswith("Xín Mần") and dulong.aliases == ["Dulong", "都龙口岸"]
    bad = client.post("/residents/points", data={"csrf_token": token, "code": "GX-DONGXING",
                                                 "name_zh": "重复", "kind": "bilateral"})
    assert bad.status_code == 422 and "GX-DONGXING" in bad.text
    for who in ("army", "agent"):
        as_user(client, w, who)
        assert client.get("/residents/points").status_code == 403
