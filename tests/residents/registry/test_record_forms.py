"""The person page's record forms (family, marriages, residence, lodgings, permits,
employment, household, photo) as each kind of user: a post and the command write; the village
committee of the village sees the person but has no forms and is refused; the committee of
another village, a post of another village, the port's border inspection station and a shipping
agent do not see the person; the police write on persons shared with them. Errors are named by
field in the form that failed, and nothing is written."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bastion.audit.models import AuditEntry
from bastion.core.marking import AreaAssignment
from bastion.org.models import AgencyKind, Role
from bastion.residents.flags.models import FlagStatus, RiskFlag
from bastion.residents.models import (
    Employment,
    FamilyLink,
    Household,
    Lodging,
    Marriage,
    Permit,
    ResidencePeriod,
    Resident,
)
from tests.attachments import samples
from tests.factories import make_agency, make_user
from tests.residents.registry.world import build_registry, register
from tests.web_helpers import login

RECORDS = (FamilyLink, Marriage, ResidencePeriod, Lodging, Permit, Employment, Household)


@pytest.fixture
def w(session):
    world = build_registry(session)
    other = make_agency(session, kind=AgencyKind.VILLAGE_COMMITTEE, name="江平村委会")
    world.f.users["village_b"] = make_user(session, agency=other, role=Role.VIEWER)
    session.add(AreaAssignment(agency_id=other.id, area_kind="village",
                               area_id=world.village_b.id))
    session.commit()
    return world


def as_user(client, w, who):
    return login(client, w.users[who].username)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def counts(session) -> dict[str, int]:
    return {m.__name__: count(session, m) for m in RECORDS}


def flags(session, rid: int) -> dict[str, FlagStatus]:
    return {f.kind: f.status for f in session.scalars(
        select(RiskFlag).where(RiskFlag.resident_id == rid))}


def page(client, rid: int, **params) -> str:
    got = client.get(f"/residents/{rid}", params={"purpose": "home_visit", **params})
    assert got.status_code == 200, got.text
    return got.text


def test_a_post_adds_every_kind_of_record_from_the_person_page(client, session, w):
    rid = register(client, w, "a_officer", w.village_a)
    token = as_user(client, w, "a_officer")
    shown = page(client, rid)
    for form in ("family-form", "marriages-form", "residence-form", "lodgings-form",
                 "permits-form", "employment-form", "household-form", "new-household-form",
                 "photo-form"):
        assert f'id="{form}"' in shown, form

    def post(path, **data):
        done = client.post(f"/residents/{rid}/{path}", data={
            "csrf_token": token, "purpose": "home_visit", **data}, follow_redirects=False)
        assert done.status_code == 303, (path, done.text)
        assert done.headers["location"].startswith(f"/residents/{rid}?purpose=home_visit#")
        return done

    post("household/new", code="ZS-017", address="竹山村 3 组")
    household = session.scalar(select(Household).where(Household.code == "ZS-017"))
    assert household.village_id == w.village_a.id
    session.expire_all()
    assert session.get(Resident, rid).household_id == household.id
    post("records/marriages", spouse_name="李明", spouse_id_number="450681198001011234",
         since="2019-05-01")
    assert flags(session, rid)["unregistered_marriage"] == FlagStatus.OPEN
    post("records/family", relation="child", relative_name="李小花")
    post("records/residence", village_id=str(w.village_a.id), address="竹山村 3 组 12 号",
         since="2019-05-01")
    post("records/lodgings", registered_at="2026-11-30T20:15", address="竹山村 3 组 12 号",
         host="李明")
    post("records/employment", employer="东兴红木厂", since="2026-01-05")
    assert flags(session, rid)["work_without_permit"] == FlagStatus.OPEN
    post("records/permits", kind="residence", number="R-1", valid_from="2026-01-01",
         valid_to="2027-12-31")
    assert flags(session, rid)["work_without_permit"] == FlagStatus.OPEN  # not a work permit
    post("records/permits", kind="work", number="W-1", valid_from="2026-01-01",
         valid_to="2027-12-31")
    assert flags(session, rid)["work_without_permit"] == FlagStatus.CLEARED

    lodging = session.scalar(select(Lodging).where(Lodging.resident_id == rid))
    # the wall clock of a Beijing-time user, kept in UTC
    assert lodging.registered_at == datetime(2026, 11, 30, 12, 15, tzinfo=UTC)
    shown = page(client, rid)
    for text in ("李明", "李小花", "竹山村 3 组 12 号", "东兴红木厂", "W-1", "ZS-017"):
        assert text in shown, text
    assert "flag-unregistered_marriage" in shown
    kinds = {a.summary for a in session.scalars(select(AuditEntry).where(
        AuditEntry.record_kind == "resident", AuditEntry.record_id == rid))}
    for what in ("marriage added", "family_link added", "residence added", "lodging added",
                 "employment added", "permit added", "household changed"):
        assert f"resident {rid}: {what}" in kinds, what


def test_edit_and_end_a_permit_employment_residence_and_marriage(client, session, w):
    rid = register(client, w, "a_officer", w.village_a)
    token = as_user(client, w, "a_officer")
    base = {"csrf_token": token, "purpose": "home_visit"}
    client.post(f"/residents/{rid}/records/employment",
                data={**base, "employer": "东兴红木厂", "since": "2026-01-05"})
    job = session.scalar(select(Employment).where(Employment.resident_id == rid))
    client.post(f"/residents/{rid}/records/permits", data={
        **base, "kind": "work", "number": "W-9", "valid_from": "2026-01-01",
        "valid_to": "2026-02-28"})
    permit = session.scalar(select(Permit).where(Permit.resident_id == rid))
    assert flags(session, rid)["work_without_permit"] == FlagStatus.OPEN  # ran out

    edit = page(client, rid, edit=f"permits:{permit.id}")
    assert 'id="permits-edit-form"' in edit and 'value="2026-02-28"' in edit
    assert f'action="/residents/{rid}/records/permits/{permit.id}"' in edit
    saved = client.post(f"/residents/{rid}/records/permits/{permit.id}", data={
        **base, "kind": "work", "number": "W-9", "valid_from": "2026-01-01",
        "valid_to": "2030-12-31"}, follow_redirects=False)
    assert saved.status_code == 303
    session.expire_all()
    assert session.get(Permit, permit.id).valid_to == date(2030, 12, 31)
    assert flags(session, rid)["work_without_permit"] == FlagStatus.CLEARED
    audit = session.scalar(select(AuditEntry).where(
        AuditEntry.summary == f"resident {rid}: permit changed").order_by(AuditEntry.id.desc()))
    assert audit.detail["changed"] == ["valid_to"]

    # a refused edit names its field in the edit form, and keeps the stored values
    bad = client.post(f"/residents/{rid}/records/permits/{permit.id}", data={
        **base, "kind": "work", "valid_from": "2026-01-01", "valid_to": "2025-01-01"})
    assert bad.status_code == 422
    assert 'id="permits-edit-form"' in bad.text
    assert 'aria-describedby="error-permits-edit-form-valid_to"' in bad.text
    session.expire_all()
    assert session.get(Permit, permit.id).valid_to == date(2030, 12, 31)

    # ending the job: the open row offers "End"; before its start is refused at the field
    shown = page(client, rid)
    assert f'id="end-employment-{job.id}"' in shown
    early = client.post(f"/residents/{rid}/records/employment/{job.id}/end",
                        data={**base, "until": "2025-12-31"})
    assert early.status_code == 422
    assert f'aria-describedby="error-end-employment-{job.id}-until"' in early.text
    ended = client.post(f"/residents/{rid}/records/employment/{job.id}/end",
                        data={**base, "until": "2026-03-31"}, follow_redirects=False)
    assert ended.status_code == 303
    session.expire_all()
    assert session.get(Employment, job.id).until == date(2026, 3, 31)
    assert f'id="end-employment-{job.id}"' not in page(client, rid)

    client.post(f"/residents/{rid}/records/residence",
                data={**base, "address": "旧屋", "since": "2018-01-01"})
    period = session.scalar(select(ResidencePeriod).where(ResidencePeriod.resident_id == rid))
    assert client.post(f"/residents/{rid}/records/residence/{period.id}", data={
        **base, "village_id": str(w.village_a.id), "address": "新屋", "since": "2018-01-01"},
        follow_redirects=False).status_code == 303
    assert client.post(f"/residents/{rid}/records/residence/{period.id}/end",
                       data={**base, "until": "2026-06-30"},
                       follow_redirects=False).status_code == 303
    session.expire_all()
    period = session.get(ResidencePeriod, period.id)
    assert (period.address, period.village_id, period.until) == (
        "新屋", w.village_a.id, date(2026, 6, 30))

    client.post(f"/residents/{rid}/records/marriages",
                data={**base, "spouse_name": "黄强", "since": "2015-02-01"})
    assert flags(session, rid)["unregistered_marriage"] == FlagStatus.OPEN
    marriage = session.scalar(select(Marriage).where(Marriage.resident_id == rid))
    client.post(f"/residents/{rid}/records/marriages/{marriage.id}/end",
                data={**base, "until": "2020-01-31"})
    assert flags(session, rid)["unregistered_marriage"] == FlagStatus.CLEARED

    # lodgings and family links are added, not edited; another person's row is no row here
    other = register(client, w, "a_officer", w.village_a, name="Lê Thị Hoa", name_han="黎氏花")
    for path in (f"records/lodgings/{permit.id}", f"records/permits/{permit.id}",
                 f"records/permits/{permit.id}/end"):
        assert client.post(f"/residents/{other}/{path}", data={
            **base, "kind": "work", "until": "2027-01-01", "valid_to": "2027-01-01"}
        ).status_code == 404, path


def test_errors_are_named_by_field_in_the_form_that_failed(client, session, w):
    rid = register(client, w, "a_officer", w.village_a)
    token = as_user(client, w, "a_officer")
    base = {"csrf_token": token, "purpose": "home_visit"}
    before = counts(session)
    cases = (
        ("employment", {"employer": "", "since": "2026-01-01"}, "employer"),
        ("employment", {"employer": "厂", "since": "2026-05-01", "until": "2026-01-01"},
         "until"),
        ("permits", {"kind": "visa"}, "kind"),
        ("permits", {"kind": "work", "valid_from": "2026-13-01"}, "valid_from"),
        ("lodgings", {"address": "x"}, "registered_at"),
        ("lodgings", {"registered_at": "yesterday"}, "registered_at"),
        ("marriages", {"since": "2020-01-01"}, "spouse_name"),
        ("marriages", {"spouse_id": "999999", "since": "2020-01-01"}, "spouse_id"),
        ("family", {"relation": "cousin", "relative_name": "x"}, "relation"),
        ("family", {"relation": "child"}, "relative_name"),
        ("residence", {"village_id": "999999"}, "village_id"),
        ("residence", {"address": "x" * 301}, "address"),
    )
    for part, data, field in cases:
        bad = client.post(f"/residents/{rid}/records/{part}", data={**base, **data})
        assert bad.status_code == 422, (part, data)
        assert f'aria-describedby="error-{part}-form-{field}"' in bad.text, (part, field)
        # only the failed form shows an error; its values are kept
        assert bad.text.count('class="field-error"') == 1, (part, field)
    assert counts(session) == before
    assert client.post(f"/residents/{rid}/records/documents_x", data=base).status_code == 404
    bad = client.post(f"/residents/{rid}/household", data={**base, "household_id": "77777"})
    assert bad.status_code == 422 and "error-household-form-household_id" in bad.text
    bad = client.post(f"/residents/{rid}/household/new", data={**base, "code": ""})
    assert bad.status_code == 422 and "error-new-household-form-code" in bad.text
    # a household of another organisation cannot be joined
    foreign = Household(owner_org_id=w.police.id, code="P-1", village_id=w.village_a.id)
    session.add(foreign)
    session.commit()
    bad = client.post(f"/residents/{rid}/household", data={**base, "household_id": str(foreign.id)})
    assert bad.status_code == 422
    assert counts(session) == {**before, "Household": before["Household"] + 1}


def test_the_photo_is_checked_as_a_hostile_file(client, session, w):
    rid = register(client, w, "a_officer", w.village_a)
    token = as_user(client, w, "a_officer")
    base = {"csrf_token": token, "purpose": "home_visit"}

    def upload(name, data, kind="image/png"):
        return client.post(f"/residents/{rid}/photo", data=base,
                           files={"file": (name, data, kind)}, follow_redirects=False)

    refused = (
        ("page.png", b"<html><script>alert(1)</script></html>", 422),  # a page named .png
        ("scan.pdf", samples.PDF, 422),  # not an image
        ("tiny.png", samples.png(3, 2), 422),  # no face in 6 pixels
        ("bomb.png", samples.png(30000, 30000, pixels=False), 422),  # claims 900 Mpx
        ("wide.jpg", samples.jpeg(9000, 100), 422),  # a side too long
        ("big.jpg", samples.jpeg() + b"\x00" * (5 * 2**20), 413),  # over 5 MB
        ("prog.png", b"MZ\x90\x00" + b"\x00" * 64, 422),
    )
    from bastion.attachments.models import Attachment

    for name, data, status in refused:
        got = upload(name, data)
        assert got.status_code == status, (name, got.text[:200])
        assert 'id="error-photo-form-file"' in got.text, name
    assert count(session, Attachment) == 0
    assert upload("", b"").status_code == 422
    done = upload("face.jpg", samples.jpeg(480, 640), "application/octet-stream")
    assert done.status_code == 303
    session.expire_all()
    photo = session.get(Attachment, session.get(Resident, rid).photo_id)
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 480, 640)
    assert f'src="/api/v1/attachments/{photo.id}/content"' in page(client, rid)


def test_each_kind_of_user(client, session, w):
    rid = register(client, w, "a_officer", w.village_a, agency_ids=[w.police.id])
    data = {"purpose": "home_visit", "employer": "东兴红木厂", "since": "2026-01-05"}

    def try_add(who, expected):
        token = as_user(client, w, who)
        before = count(session, Employment)
        got = client.post(f"/residents/{rid}/records/employment", data={**data, "csrf_token": token},
                          follow_redirects=False)
        assert got.status_code == expected, (who, got.status_code)
        assert count(session, Employment) == before + (1 if expected == 303 else 0), who

    # writers who see the person: the post of the village, the command, the police it is
    # shared with
    for who in ("a_officer", "cmd_officer", "police"):
        try_add(who, 303)
        assert 'id="employment-form"' in page(client, rid), who
    # the village committee of the village sees the person, without forms, and may not write
    try_add("village", 403)
    shown = page(client, rid)
    assert "东兴红木厂" in shown and 'id="employment-form"' not in shown
    assert 'id="photo-form"' not in shown and "edit-link" not in shown
    # the committee of another village does not see the person at all
    try_add("village_b", 403)
    assert client.get(f"/residents/{rid}", params={"purpose": "home_visit"}).status_code == 404
    # a post of another village writes but does not see this person: 404
    try_add("b_officer", 404)
    # a post's auxiliary (viewer) sees but may not write
    try_add("a_aux", 403)
    # police not shared with, the port's border inspection station, a shipping agent, the army
    try_add("police_2", 404)
    for who in ("port", "agent", "army"):
        try_add(who, 403)
        assert client.get(f"/residents/{rid}", params={"purpose": "case"}).status_code == 403
    job = session.scalar(select(Employment).where(Employment.resident_id == rid))
    for who, expected in (("village", 403), ("b_officer", 404), ("port", 403), ("agent", 403)):
        token = as_user(client, w, who)
        got = client.post(f"/residents/{rid}/records/employment/{job.id}/end",
                          data={"csrf_token": token, "until": "2026-06-30"})
        assert got.status_code == expected, who
        got = client.post(f"/residents/{rid}/photo", data={"csrf_token": token},
                          files={"file": ("f.jpg", samples.jpeg(), "image/jpeg")})
        assert got.status_code == expected, who
    session.expire_all()
    assert session.get(Employment, job.id).until is None


def test_the_api_edits_ends_and_sets_the_household(client, session, w):
    rid = register(client, w, "a_officer", w.village_a)
    api = f"/api/v1/residents/{rid}"
    h = w.headers(client, "a_officer")
    permit = client.post(f"{api}/permits", headers=h, json={
        "kind": "work", "valid_from": "2026-01-01", "valid_to": "2026-12-31"}).json()
    changed = client.put(f"{api}/permits/{permit['id']}", headers=h, json={
        "kind": "work", "number": "W-2", "valid_from": "2026-01-01", "valid_to": "2027-12-31"})
    assert changed.status_code == 200 and changed.json()["valid_to"] == "2027-12-31"
    bad = client.put(f"{api}/permits/{permit['id']}", headers=h, json={
        "kind": "work", "valid_from": "2026-01-01", "valid_to": "2025-12-31"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "valid_to"
    ended = client.post(f"{api}/permits/{permit['id']}/end", headers=h, json={"on": "2026-06-30"})
    assert ended.status_code == 200 and ended.json()["valid_to"] == "2026-06-30"
    early = client.post(f"{api}/permits/{permit['id']}/end", headers=h, json={"on": "2025-06-30"})
    assert early.status_code == 422 and "valid_to" in early.text
    assert client.post(f"{api}/lodgings/{permit['id']}/end", headers=h,
                       json={"on": "2026-06-30"}).status_code == 404
    assert client.put(f"{api}/lodgings/{permit['id']}", headers=h, json={
        "registered_at": "2026-01-01T10:00"}).status_code in (404, 405)
    made = client.post(f"{api}/household", headers=h, json={"code": "ZS-1", "address": "3 组"})
    assert made.status_code == 201 and made.json()["village_id"] == w.village_a.id
    assert client.put(f"{api}/household", headers=h, json={"household_id": None}).json() == {
        "id": rid, "household_id": None}
    joined = client.put(f"{api}/household", headers=h, json={"household_id": made.json()["id"]})
    assert joined.json()["household_id"] == made.json()["id"]
    # the command writes on every village's persons
    assert client.post(f"{api}/permits/{permit['id']}/end", headers=w.headers(
        client, "cmd_officer"), json={"on": "2026-06-30"}).status_code == 200
    for who, status in (("a_aux", 403), ("village", 403), ("village_b", 403),
                        ("b_officer", 404), ("police", 404), ("port", 403), ("agent", 403)):
        hh = w.headers(client, who)
        assert client.put(f"{api}/permits/{permit['id']}", headers=hh, json={
            "kind": "work"}).status_code == status, who
        assert client.post(f"{api}/permits/{permit['id']}/end", headers=hh,
                           json={"on": "2026-07-01"}).status_code == status, who
        assert client.put(f"{api}/household", headers=hh,
                          json={"household_id": None}).status_code == status, who
    session.expire_all()
    assert session.get(Permit, permit["id"]).valid_to == date(2026, 6, 30)
    assert session.get(Resident, rid).household_id == made.json()["id"]
    assert datetime.now(UTC) - timedelta(minutes=5) < session.get(Resident, rid).updated_at
