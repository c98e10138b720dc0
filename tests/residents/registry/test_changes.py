"""Changing a person: a move to another village changes who sees them (the old village's
committee no longer, the new one's post yes); the photo is an image attached to the person;
writes are audited and emitted on the person's record kind."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bastion.audit.models import AuditEntry
from bastion.core.events import EventRecord
from bastion.residents.models import Resident
from tests.attachments import samples
from tests.residents.registry.world import API, build_registry, person, register


@pytest.fixture
def w(session):
    return build_registry(session)


def test_a_move_changes_who_sees_the_person(client, session, w):
    rid = register(client, w, "a_officer", w.village_a)
    see = {"purpose": "home visit"}
    assert client.get(f"{API}/{rid}", params=see, headers=w.headers(client, "village")
                      ).status_code == 200
    moved = client.put(f"{API}/{rid}", json=person(w, w.village_b),
                       headers=w.headers(client, "cmd_officer"))
    assert moved.status_code == 200, moved.text
    assert moved.json()["post_agency_id"] == w.post_b.id
    assert client.get(f"{API}/{rid}", params=see, headers=w.headers(client, "village")
                      ).status_code == 404
    assert client.get(f"{API}/{rid}", params=see, headers=w.headers(client, "b_aux")
                      ).status_code == 200
    assert session.get(Resident, rid).distribution.value == "own"
    entries = session.scalars(select(AuditEntry).where(
        AuditEntry.record_kind == "resident", AuditEntry.record_id == rid)).all()
    assert [e.summary for e in entries] == [f"resident {rid}", f"resident {rid}"]
    assert entries[1].detail["changed"] == ["post_agency_id", "village_id"]
    kinds = set(session.scalars(select(EventRecord.kind).where(
        EventRecord.record_kind == "resident", EventRecord.record_id == rid)))
    assert {"resident.registered", "resident.changed"} <= kinds


def test_the_photo_is_an_image_on_the_person(client, session, w):
    rid = register(client, w, "a_officer", w.village_a)
    h = w.headers(client, "a_officer")
    made = client.post(f"{API}/{rid}/photo", headers=h,
                       files={"file": ("face.png", samples.png(96, 128), "image/png")})
    assert made.status_code == 201, made.text
    assert session.get(Resident, rid).photo_id == made.json()["id"]
    refused = client.post(f"{API}/{rid}/photo", headers=h,
                          files={"file": ("x.pdf", samples.PDF, "application/pdf")})
    assert refused.status_code == 422 and "file" in refused.text
    for who, status in (("a_aux", 403), ("b_officer", 404), ("army", 403)):
        got = client.post(f"{API}/{rid}/photo", headers=w.headers(client, who),
                          files={"file": ("face.png", samples.png(96, 128), "image/png")})
        assert got.status_code == status, who
    # whoever sees the person sees the photo; others do not
    assert client.get(f"/api/v1/attachments/{made.json()['id']}",
                      headers=w.headers(client, "village")).status_code == 200
    assert client.get(f"/api/v1/attachments/{made.json()['id']}",
                      headers=w.headers(client, "b_officer")).status_code == 404


def test_amber_keeps_the_person_from_the_committee_and_auxiliaries(client, session, w):
    rid = register(client, w, "a_officer", w.village_a, amber=True)
    see = {"purpose": "case"}
    for who, status in (("village", 404), ("a_aux", 404), ("a_officer", 200), ("cmd", 200)):
        assert client.get(f"{API}/{rid}", params=see,
                          headers=w.headers(client, who)).status_code == status, who
