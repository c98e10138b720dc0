"""The import's duplicates, through the import page: a row whose document number is a stored
person's is merged into that person (what it adds is stored, nothing twice); a row whose name,
in another script, and birth date are a stored person's is a warning (sheet, row, the person)
and is registered; a person the importer may not see is neither merged into nor named."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bastion.residents.crossings.models import Crossing
from bastion.residents.crossings.points import load_reference
from bastion.residents.imports import store
from bastion.residents.models import Resident, ResidentDocument
from tests.residents.imports import workbook
from tests.web_helpers import login

PERSON_HEAD = workbook.PERSONS[0]
HEADS = {k: [v[0]] for k, v in workbook.SHEETS.items()}


def _book(tmp_path, **rows):
    return workbook.build(tmp_path / "dup.xlsx", {k: HEADS[k] + list(rows.get(k, []))
                                                 for k in HEADS})


def _upload(client, token, path):
    return client.post("/residents/import", data={"csrf_token": token},
                       files={"file": (path.name, path.read_bytes())})


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_the_same_document_merges_and_a_name_in_another_script_warns(client, session, rw,
                                                                      tmp_path):
    load_reference(session)
    session.commit()
    token = login(client, rw.users["post_a"].username)
    api = rw.headers(client, "post_a")
    han = client.post("/api/v1/residents", headers=api, json={
        "name": "阮文安", "sex": "male", "birth_date": "1985-03-02", "nationality": "VNM",
        "village_id": rw.village_a.id})
    assert han.status_code == 201, han.text
    han_id = han.json()["resident"]["id"]
    book = _book(
        tmp_path,
        persons=[("X1", "NGUYEN VAN ANH", "NGUYEN VAN ANH", "M", "1980-04-04", "VNM", "念井村", ""),
                 ("X2", "Nguyễn Văn An", "NGUYEN VAN AN", "M", "1985-03-02", "VNM", "念井村", ""),
                 ("X3", "Lê Văn Bình", "LE VAN BINH", "M", "1970-01-01", "VNM", "念井村", "")],
        documents=[("X1", "743", "t 100", "2026-01-01", "2027-06-30", ""),
                   ("X2", "743", "T7001", "2026-01-01", "2027-06-30", ""),
                   ("X3", "743", "T200", "2026-01-01", "2027-06-30", "")],
        crossings=[("X1", "2026-11-10 08:00", "in", "东兴", "T100")])
    # what the check (as the post) reports before anything is stored
    by = {d["person_id"]: d for d in store.duplicates(
        session, user=rw.users["post_a"], path=book, zone=ZoneInfo("Asia/Shanghai"))}
    assert set(by) == {"X1", "X2"}  # not X3: Lê Văn Bình is not the post's to see
    assert (by["X1"]["match"], by["X1"]["merged"], by["X1"]["row"], by["X1"]["sheet"]) == (
        "document", True, 2, "persons")
    assert by["X1"]["existing"][0]["id"] == rw.anh.id and by["X1"]["document"] == "T100"
    assert (by["X2"]["match"], by["X2"]["merged"], by["X2"]["row"]) == ("name", False, 3)
    assert [e["id"] for e in by["X2"]["existing"]] == [han_id] and by["X2"]["why"]
    persons, documents = count(session, Resident), count(session, ResidentDocument)
    done = _upload(client, token, book)
    assert done.status_code == 200, done.text
    assert 'id="import-duplicates"' in done.text
    # X1 is Nguyễn Văn Anh (T100): merged, the crossing is his, his document not doubled
    session.expire_all()
    assert count(session, Resident) == persons + 2
    assert count(session, ResidentDocument) == documents + 2
    crossing = session.scalar(select(Crossing).where(Crossing.resident_id == rw.anh.id))
    assert crossing is not None and crossing.document_id is not None
    anh = session.get(Resident, rw.anh.id)
    assert anh.birth_date.isoformat() == "1980-04-04"  # the empty field filled
    assert anh.name == "Nguyễn Văn Anh"  # the stored name kept
    assert f'href="/residents/{rw.anh.id}"' in done.text
    # X2 may be 阮文安 (same birth date): warned, registered all the same
    assert f'href="/residents/{han_id}"' in done.text and 'class="duplicate-name"' in done.text
    # X3 holds the number of Lê Văn Bình of the other post's village: not seen, not named
    assert f'href="/residents/{rw.binh.id}"' not in done.text
    assert session.scalar(select(func.count()).select_from(ResidentDocument).where(
        ResidentDocument.number == "T200")) == 2

    # after the import, the check finds X2 by the document it stored
    again = {d["person_id"]: d for d in store.duplicates(
        session, user=rw.users["post_a"], path=book, zone=ZoneInfo("Asia/Shanghai"))}
    assert again["X2"]["match"] == "document" and again["X2"]["merged"]


def test_a_file_of_persons_without_documents_imported_twice(client, session, rw, tmp_path):
    from bastion.residents.models import Household, Lodging, Marriage

    token = login(client, rw.users["post_a"].username)
    book = _book(
        tmp_path,
        persons=[("Y1", "Hà Văn Tú", "HA VAN TU", "M", "1990-02-02", "VNM", "念井村", "H9"),
                 ("Y2", "Hà Thị Lụa", "HA THI LUA", "F", "1992-03-03", "VNM", "念井村", "H9")],
        marriages=[("Y1", "Y2", "", "no", "2015-01-01")],
        lodgings=[("Y1", "2026-11-10 15:00", "念井村9组")])
    first = _upload(client, token, book)
    assert first.status_code == 200 and 'id="import-duplicates"' not in first.text
    kinds = (Resident, ResidentDocument, Crossing, Household, Lodging, Marriage)
    before = {m.__name__: count(session, m) for m in kinds}
    assert before["Marriage"] >= 1 and before["Lodging"] >= 1
    again = _upload(client, token, book)
    assert again.status_code == 200
    assert {m.__name__: count(session, m) for m in kinds} == before
    assert again.text.count('class="duplicate-same_record"') == 2
    # the same file as another organisation's importer (the command sees the persons):
    # merged all the same, nothing doubled
    token = login(client, rw.users["command"].username)
    assert _upload(client, token, book).status_code == 200
    for m in (Resident, Lodging, Marriage):
        assert count(session, m) == before[m.__name__], m


def test_the_import_api_checks_stores_and_merges(client, session, rw, tmp_path):
    load_reference(session)
    session.commit()
    h = rw.headers(client, "post_a")
    api = "/api/v1/residents/import"
    upload = {"file": ("check.xlsx", workbook.OUT.read_bytes())}
    persons = count(session, Resident)
    checked = client.post(f"{api}/check", headers=h, params={"on": workbook.CHECK_DAY},
                          files=upload)
    assert checked.status_code == 200, checked.text
    body = checked.json()
    assert body["errors"] == [] and body["duplicates"] == []
    assert {(f["person_id"], f["flag"]) for f in body["flags"]} == workbook.EXPECTED
    assert count(session, Resident) == persons  # a check stores nothing
    made = client.post(api, headers=h, files=upload)
    assert made.status_code == 201, made.text
    assert (made.json()["persons"], made.json()["merged"]) == (17, 0)
    stored = {m.__name__: count(session, m) for m in (Resident, ResidentDocument, Crossing)}
    again = client.post(api, headers=h, files=upload)
    assert again.status_code == 201
    assert (again.json()["persons"], again.json()["merged"], again.json()["crossings"]) == (
        0, 17, 0)
    assert again.json()["already_stored"] > 0
    assert {m.__name__: count(session, m) for m in (Resident, ResidentDocument, Crossing)} == stored
    rows = {(d["row"], d["person_id"], d["match"], d["merged"]) for d in again.json()["duplicates"]}
    assert rows == {(n + 1, f"P{n:02d}", "document", True) for n in range(1, 18)}
    checked = client.post(f"{api}/check", headers=h, params={"on": workbook.CHECK_DAY},
                          files=upload).json()
    assert len(checked["duplicates"]) == 17 and checked["duplicates"][0]["existing"][0]["id"]

    sheets = {k: list(v) for k, v in workbook.SHEETS.items()}
    sheets["crossings"].append(("P01", "2026-11-31 08:00", "in", "东兴", "T0001"))
    bad = workbook.build(tmp_path / "bad.xlsx", sheets)
    for path in (api, f"{api}/check"):
        refused = client.post(path, headers=h, params={"on": workbook.CHECK_DAY},
                              files={"file": ("bad.xlsx", bad.read_bytes())})
        assert refused.status_code == 422, path
        assert {"sheet": "crossings", "row": len(workbook.CROSSINGS) + 1, "column": "时间 Time",
                "code": "BAD_TIME"}.items() <= refused.json()["errors"][0].items(), path
    assert client.post(f"{api}/check", headers=h, files=upload).status_code == 422  # no day
    assert count(session, Resident) == stored["Resident"]

    for who in ("aux_a", "village", "station", "agent", "police"):
        hh = rw.headers(client, who)
        assert client.post(api, headers=hh, files=upload).status_code == 403, who
        assert client.post(f"{api}/check", headers=hh, params={"on": workbook.CHECK_DAY},
                           files=upload).status_code == 403, who


def test_a_merged_row_fills_the_village_and_shares_with_its_committee(client, session, rw,
                                                                    tmp_path):
    token = login(client, rw.users["post_a"].username)
    api = rw.headers(client, "post_a")
    made = client.post("/api/v1/residents", headers=api, json={"name": "Vi Thị Lụa"})
    rid = made.json()["resident"]["id"]
    assert client.post(f"/api/v1/residents/{rid}/documents", headers=api, json={
        "doc_type": "743", "number": "V-0001"}).status_code == 201
    committee = rw.headers(client, "village")
    assert client.get(f"/api/v1/residents/{rid}", headers=committee,
                      params={"purpose": "home_visit"}).status_code == 404
    book = _book(tmp_path, persons=[("Z1", "Vi Thị Lụa", "VI THI LUA", "F", "1991-01-01", "VNM",
                                     "念井村", "")],
                 documents=[("Z1", "743", "V-0001", "", "", "")])
    assert _upload(client, token, book).status_code == 200
    session.expire_all()
    person = session.get(Resident, rid)
    assert (person.village_id, person.name_latin, str(person.birth_date)) == (
        rw.village_a.id, "VI THI LUA", "1991-01-01")
    # now a villager of 念井村: its committee sees her, and the Latin spelling finds her
    assert client.get(f"/api/v1/residents/{rid}", headers=committee,
                      params={"purpose": "home_visit"}).status_code == 200
    found = client.get("/api/v1/residents", headers=api, params={"q": "VI THI LUA"}).json()
    assert rid in [p["id"] for p in found["items"]]
