"""Watchlists in the database: need-to-know, atomic imports, screening and remembered reviews."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from bastion.screening.models import WatchlistEntry
from tests.web_helpers import api_token

DATA = Path(__file__).resolve().parents[2] / "data" / "watchlist"


def _make_list(client, headers, name="Wanted persons", **marking):
    body = {"name": name, "source": "test", "tlp": "amber", "distribution": "all", **marking}
    response = client.post("/api/v1/watchlists", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _import(client, headers, list_id, path: Path, name: str | None = None, content=None):
    files = {"file": (name or path.name, content if content is not None else path.read_bytes())}
    return client.post(f"/api/v1/watchlists/{list_id}/import", headers=headers, files=files)


def test_import_screen_and_remember_a_dismissal(client, session, world):
    sup = api_token(client, "a.super")
    wl = _make_list(client, sup)
    summary = _import(client, sup, wl["id"], DATA / "bastion-ftm-sample.jsonl")
    assert summary.status_code == 200, summary.text
    assert summary.json()["created"] == 3  # two persons, one vessel; other schemas skipped
    again = _import(client, sup, wl["id"], DATA / "bastion-ftm-sample.jsonl").json()
    assert (again["created"], again["updated"]) == (0, 3)  # re-import updates by source id

    officer = api_token(client, "b.officer")
    crew = {"people": [{"name": "ZHANG WEI", "dob": "1975-03-02", "nationality": "CHN",
                        "ref": "crew 4"},
                       {"name": "LI MING", "dob": "1990-01-01", "ref": "crew 5"}],
            "context": "port call 17"}
    first = client.post("/api/v1/screen", headers=officer, json=crew).json()
    assert [p["outcome"] for p in first] == ["check", "clear"]
    hit = first[0]["hits"][0]
    assert hit["entry"]["name"] in ("张伟", "Zhang Wei") and hit["explanation"]

    decided = client.post(f"/api/v1/screening/hits/{hit['id']}/decision", headers=officer,
                          json={"confirm": False, "reason": "different person: passport E99"})
    assert decided.status_code == 200 and decided.json()["status"] == "dismissed"
    second = client.post("/api/v1/screen", headers=officer, json=crew).json()
    assert second[0]["outcome"] == "clear"  # screened again: the same, decided hit
    assert second[0]["hits"][0]["id"] == hit["id"]
    assert second[0]["hits"][0]["status"] == "dismissed"
    pending = client.get("/api/v1/screening/hits", headers=officer).json()
    assert all(h["subject"]["name"] != "ZHANG WEI" for h in pending["items"])
    # another agency screening the same person gets its own hit, decided by the dismissal
    other = api_token(client, "author")
    elsewhere = client.post("/api/v1/screen", headers=other, json=crew).json()[0]
    assert elsewhere["outcome"] == "clear" and elsewhere["hits"][0]["remembered"] is True
    assert elsewhere["hits"][0]["id"] != hit["id"]


def test_a_confirmed_hit_stops_the_person(client, world):
    sup = api_token(client, "a.super")
    wl = _make_list(client, sup)
    _import(client, sup, wl["id"], DATA / "bastion-ftm-sample.jsonl")
    officer = api_token(client, "author")
    people = {"people": [{"name": "山田太郎", "dob": "1980-05-17"}]}
    hit = client.post("/api/v1/screen", headers=officer, json=people).json()[0]["hits"][0]
    client.post(f"/api/v1/screening/hits/{hit['id']}/decision", headers=officer,
                json={"confirm": True, "reason": "same passport"})
    again = client.post("/api/v1/screen", headers=officer, json=people).json()[0]
    assert again["outcome"] == "stop" and again["hits"][0]["id"] == hit["id"]
    elsewhere = client.post("/api/v1/screen", headers=api_token(client, "b.officer"),
                            json=people).json()[0]
    assert elsewhere["outcome"] == "stop" and elsewhere["hits"][0]["remembered"] is True
    # A matching document number alone is decisive too.
    assert client.post("/api/v1/screen", headers=officer, json={
        "people": [{"name": "Yamada Taro", "document_number": "TK1234567"}]}).json()[0][
        "outcome"] == "stop"


def test_a_bad_row_stores_nothing_and_names_the_place(client, session, world):
    sup = api_token(client, "a.super")
    wl = _make_list(client, sup)
    csv = (b"Source ID,Type,Name,Date of birth,Nationality\n"
           b"p1,person,Chen Da Wen,1970-01-01,CHN\n"
           b"p2,person,Nguyen Van Duc,1970-13-45,VNM\n")
    response = _import(client, sup, wl["id"], DATA / "x.csv", name="crew.csv", content=csv)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["row"] == 3 and e["column"] == "Date of birth" and e["code"] == "BAD_DATE"
               for e in errors), errors
    assert session.scalar(select(func.count(WatchlistEntry.id))) == 0


def test_lists_follow_need_to_know(client, world):
    sup = api_token(client, "a.super")
    wl = _make_list(client, sup, name="Station only", tlp="amber+strict", distribution="own")
    _import(client, sup, wl["id"], DATA / "bastion-ftm-sample.jsonl")
    outsider = api_token(client, "b.officer")
    assert client.get(f"/api/v1/watchlists/{wl['id']}/entries", headers=outsider).status_code == 404
    result = client.post("/api/v1/screen", headers=outsider,
                         json={"people": [{"name": "ZHANG WEI", "dob": "1975"}]}).json()
    assert result[0]["outcome"] == "clear"  # a list you may not see does not screen for you
    assert client.post("/api/v1/watchlists", headers=outsider,
                       json={"name": "x", "tlp": "green", "distribution": "all"}).status_code == 403


def test_template_download(client, world):
    headers = api_token(client, "author")
    csv = client.get("/api/v1/watchlists/template.csv", headers=headers)
    assert csv.status_code == 200 and "Source ID" in csv.content.decode("utf-8-sig")
    xlsx = client.get("/api/v1/watchlists/template.xlsx?language=zh-CN", headers=headers)
    assert xlsx.content[:2] == b"PK"


def test_cli_import_and_screen_a_crew_list(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from bastion.cli import app
    from bastion.core import migrate
    from bastion.core.config import get_settings

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("BASTION_DATABASE_URL", url)
    get_settings.cache_clear()
    migrate.upgrade(url)
    runner = CliRunner()
    try:
        assert runner.invoke(app, ["demo", "load", "--no-maritime"]).exit_code == 0
        imported = runner.invoke(app, ["watchlist", "import", str(DATA / "bastion-ftm-sample.jsonl"),
                                       "--list", "Interpol notices", "--as", "chen.supervisor",
                                       "--create"])
        assert imported.exit_code == 0, imported.output
        assert "3 created" in imported.output
        crew = tmp_path / "crew.csv"
        crew.write_text("No,Family name,Given names,Nationality,Date of birth,Gender,"
                        "Document number\n1,ZHANG,WEI,CHN,1975-02-01,M,E12345678\n"
                        "2,NGUYEN,VAN MINH,VNM,1988-07-07,M,C7654321\n", encoding="utf-8")
        screened = runner.invoke(app, ["screen", "names", str(crew), "--list", "Interpol notices",
                                       "--as", "li.officer"])
        assert screened.exit_code == 0, screened.output
        assert "stop" in screened.output and "clear" in screened.output  # passport matches
        bad = tmp_path / "bad.csv"
        bad.write_text("Source ID,Type,Name,Date of birth\np1,person,,1970\n", encoding="utf-8")
        rejected = runner.invoke(app, ["watchlist", "import", str(bad), "--list",
                                       "Interpol notices", "--as", "chen.supervisor"])
        assert rejected.exit_code == 1 and "MISSING_NAME" in rejected.output
    finally:
        get_settings.cache_clear()


def test_review_pages(client, session, world):
    from tests.web_helpers import login

    sup = api_token(client, "a.super")
    wl = _make_list(client, sup)
    _import(client, sup, wl["id"], DATA / "bastion-ftm-sample.jsonl")
    token = login(client, "author")
    page = client.post("/screening/screen", data={"csrf_token": token,
                                                  "names": "张伟, 1975\nMaria Garcia, 1980"})
    assert page.status_code == 200
    assert "outcome-check" in page.text and "outcome-clear" in page.text
    queue = client.get("/screening/hits")
    assert "张伟" in queue.text
    hit_id = client.get("/api/v1/screening/hits", headers=api_token(client, "author")).json()[
        "items"][0]["id"]
    no_reason = client.post(f"/screening/hits/{hit_id}/decision",
                            data={"csrf_token": token, "confirm": "no", "reason": ""})
    assert no_reason.status_code == 422
    done = client.post(f"/screening/hits/{hit_id}/decision", follow_redirects=False,
                       data={"csrf_token": token, "confirm": "no", "reason": "born 1975-09, other"})
    assert done.status_code == 303
    bad_file = client.post(f"/screening/lists/{wl['id']}/import", data={"csrf_token": login(
        client, "a.super")}, files={"file": ("x.csv", b"Source ID,Type,Name\n1,person,\n")})
    assert bad_file.status_code == 422 and "MISSING_NAME" in bad_file.text


def test_add_one_entry_with_import_rules_and_screen_a_vessel(client, world):
    sup = api_token(client, "a.super")
    wl = _make_list(client, sup)
    bad = client.post(f"/api/v1/watchlists/{wl['id']}/entries", headers=sup, json={
        "source_id": "v1", "type": "vessel", "name": "HAI XING 88", "imo": "9876544"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "imo"]
    ok = client.post(f"/api/v1/watchlists/{wl['id']}/entries", headers=sup, json={
        "source_id": "v1", "type": "vessel", "name": "HAI XING 88", "imo": "9876543",
        "mmsi": "412345678", "reason": "ship-to-ship transfers"})
    assert ok.status_code == 201, ok.text
    person = client.post(f"/api/v1/watchlists/{wl['id']}/entries", headers=sup, json={
        "source_id": "p9", "type": "person", "name": "陈大文", "birth_date": "1969",
        "nationality": "HKG", "document_number": "K1234567"})
    assert person.status_code == 201 and person.json()["documents"][0]["number"] == "K1234567"
    officer = api_token(client, "b.officer")
    found = client.post("/api/v1/screen/vessel", headers=officer, json={"imo": 9876543}).json()
    assert [e["source_id"] for e in found] == ["v1"]
    assert client.post("/api/v1/screen/vessel", headers=officer,
                       json={"mmsi": 412000000}).json() == []
    hit = client.post("/api/v1/screen", headers=officer, json={"people": [
        {"name": "CHAN TAI MAN", "dob": "1969-08-01"}]}).json()[0]
    assert hit["outcome"] == "check"  # Cantonese romanisation of 陈大文


def test_add_entry_form_shows_the_error_beside_the_field(client, world):
    from tests.web_helpers import login

    sup = api_token(client, "a.super")
    wl = _make_list(client, sup)
    token = login(client, "a.super")
    page = client.post(f"/screening/lists/{wl['id']}/entries", data={
        "csrf_token": token, "source_id": "p1", "type": "person", "name": "Le Van Tam",
        "nationality": "XYZ"})
    assert page.status_code == 422 and 'id="error-nationality"' in page.text
    assert 'value="Le Van Tam"' in page.text
    saved = client.post(f"/screening/lists/{wl['id']}/entries", follow_redirects=False, data={
        "csrf_token": token, "source_id": "p1", "type": "person", "name": "Le Van Tam",
        "nationality": "VNM"})
    assert saved.status_code == 303
