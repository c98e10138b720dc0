"""One hit per person, entry and scope, however often a list is screened (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bastion.screening import service
from bastion.screening.models import HitStatus, ScreeningHit
from tests.web_helpers import api_token

DATA = Path(__file__).resolve().parents[2] / "data" / "watchlist"
CREW = {"people": [{"name": "ZHANG WEI", "dob": "1975-03-02", "nationality": "CHN", "ref": "C4"},
                   {"name": "LI MING", "dob": "1990-01-01", "ref": "C5"}],
        "context": "port call 17"}


def _list_with_entries(client):
    sup = api_token(client, "a.super")
    wl = client.post("/api/v1/watchlists", headers=sup, json={
        "name": "Wanted", "source": "test", "tlp": "amber", "distribution": "all"}).json()
    files = {"file": ("sample.jsonl", (DATA / "bastion-ftm-sample.jsonl").read_bytes())}
    assert client.post(f"/api/v1/watchlists/{wl['id']}/import", headers=sup,
                       files=files).status_code == 200
    return wl


def _hits(session, name: str) -> int:
    return session.scalar(select(func.count(ScreeningHit.id)).where(
        ScreeningHit.subject["name"].as_string() == name))


def test_rescreening_through_the_api_keeps_one_pending_hit(client, session, world):
    _list_with_entries(client)
    officer = api_token(client, "b.officer")
    ids = set()
    for _ in range(3):
        result = client.post("/api/v1/screen", headers=officer, json=CREW)
        assert result.status_code == 200, result.text
        first = result.json()[0]
        assert first["outcome"] == "check" and len(first["hits"]) == 1
        ids.add(first["hits"][0]["id"])
    assert len(ids) == 1
    pending = client.get("/api/v1/screening/hits", headers=officer).json()
    assert [h["subject"]["name"] for h in pending["items"]].count("ZHANG WEI") == 1
    assert pending["total"] == 1


def test_the_service_finds_the_same_hit_per_source_and_a_new_one_per_other_source(
        client, session, world):
    _list_with_entries(client)
    people = [service.Person(name="ZHANG WEI", dob="1975-03-02", nationality="CHN", ref="C4")]
    runs = [service.screen(session, user=world.b_officer, people=people,
                           context=f"port call 17 v{v}", source=("port_call", 17))
            for v in (1, 2, 3)]
    hit_ids = {r[0].hits[0].id for r in runs}
    assert len(hit_ids) == 1
    hit = session.get(ScreeningHit, hit_ids.pop())
    assert hit.scope == "port_call:17" and hit.context == "port call 17 v3"  # latest run
    other = service.screen(session, user=world.b_officer, people=people, source=("port_call", 18))
    assert other[0].hits[0].id != hit.id and other[0].hits[0].scope == "port_call:18"
    assert _hits(session, "ZHANG WEI") == 2
    # a decided hit stays as decided when the list is screened again
    service.decide(session, user=world.b_officer, hit=hit, confirm=True, reason="same passport")
    again = service.screen(session, user=world.b_officer, people=people, source=("port_call", 17))
    assert again[0].hits[0].id == hit.id and again[0].outcome == "stop"
    assert again[0].hits[0].status == HitStatus.CONFIRMED


def test_the_database_refuses_a_second_hit_for_the_same_person_entry_and_scope(
        client, session, world):
    _list_with_entries(client)
    people = [service.Person(name="ZHANG WEI", dob="1975-03-02", nationality="CHN")]
    hit = service.screen(session, user=world.b_officer, people=people)[0].hits[0]
    twin = ScreeningHit(entry_id=hit.entry_id, subject=hit.subject, subject_key=hit.subject_key,
                        scope=hit.scope, score=hit.score, explanation=[],
                        screened_by_org_id=hit.screened_by_org_id)
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(twin)
        session.flush()
