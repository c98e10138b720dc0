"""A port call with customs and maritime safety taking part, for the departure, health and
workspace tests."""

from __future__ import annotations

from pathlib import Path

from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

DATA = Path(__file__).resolve().parents[2] / "data" / "clearance"
CALL = {"vessel_name": "MIN XING 8", "imo": 9300013, "mmsi": 412440102, "flag": "CHN",
        "voyage_number": "V2611", "previous_port": "VNHPH", "eta": "2026-12-20T06:00:00+08:00",
        "etd": "2026-12-22T18:00:00+08:00", "draught_m": 6.0}
PERSON = {"family_name": "WANG", "given_names": "WEI", "rank": "Cook", "nationality": "CHN",
          "birth_date": "1985-03-02", "birth_place": "Dalian", "gender": "M",
          "document_type": "passport", "document_number": "E55554444", "issuing_state": "CHN",
          "expiry_date": "2033-01-01"}


def partners(session):
    """Customs and the maritime safety administration, each with an officer."""
    customs = make_agency(session, code="CUS-1", kind=AgencyKind.CUSTOMS)
    msa = make_agency(session, code="MSA-1", kind=AgencyKind.MARITIME_SAFETY)
    make_user(session, agency=customs, role=Role.OFFICER, username="customs.one")
    make_user(session, agency=msa, role=Role.OFFICER, username="msa.one")
    session.commit()
    return customs, msa


def users(client) -> dict[str, dict[str, str]]:
    return {name: api_token(client, username) for name, username in (
        ("agent", "agent.one"), ("other_agent", "agent.two"), ("officer", "a1.officer"),
        ("supervisor", "a.super"), ("viewer", "a.viewer"), ("customs", "customs.one"),
        ("msa", "msa.one"))}


def make_call(client, world, customs, msa, headers, **extra) -> int:
    made = client.post("/api/v1/port-calls", headers=headers, json={
        **CALL, "station_id": world.a.id, "participant_ids": [customs.id, msa.id], **extra})
    assert made.status_code == 201, made.text
    return made.json()["id"]


def crew_rows() -> list[dict]:
    """The three crew of tests/data/clearance/crew.csv as row objects."""
    import csv

    from bastion.clearance.declarations.forms import FORMS

    by_heading = {c.en: c.key for c in FORMS["crew"]}
    with open(DATA / "crew.csv", encoding="utf-8") as f:
        return [{by_heading[k]: v for k, v in row.items() if v} for row in csv.DictReader(f)]
