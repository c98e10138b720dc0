"""Fixtures of the integrity tests: a station with the SYNTHETIC demo watchlist, a customs
participant, an agent, and a call approved for arrival with a clean crew list."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bastion.core import context
from bastion.org.models import AgencyKind, Role
from bastion.screening import demo as watchlist_demo
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

CALL = {"vessel_name": "MIN XING 8", "imo": 9300013, "mmsi": 412440102, "flag": "CHN",
        "callsign": "BQAB", "voyage_number": "V2611", "previous_port": "VNHPH",
        "eta": "2030-12-01T06:00:00+08:00", "etd": "2030-12-02T18:00:00+08:00"}
SEAMAN = {"family_name": "WANG", "given_names": "Wei", "rank": "Master", "nationality": "CHN",
          "birth_date": "1975-03-02", "birth_place": "Dalian", "gender": "M",
          "document_type": "P", "document_number": "E12345678", "issuing_state": "CHN",
          "expiry_date": "2035-01-01"}
COOK = {**SEAMAN, "family_name": "ZHAO", "given_names": "Gang", "rank": "Cook",
        "birth_date": "1990-06-01", "document_number": "E22334455"}
# On the SYNTHETIC demo list (screening/demo.py): DEMO-001 by name only (an open hit),
# DEMO-002 with the same passport number (stop at once).
WANTED_BY_NAME = {**SEAMAN, "family_name": "LI", "given_names": "ZHENYU", "rank": "Oiler",
                  "birth_date": "1983-02-11", "document_number": "E99887766"}
WANTED_BY_DOCUMENT = {**SEAMAN, "family_name": "NGUYEN", "given_names": "VAN HUNG",
                      "rank": "Bosun", "nationality": "VNM", "birth_date": "1979-04-12",
                      "document_number": "C2345678", "issuing_state": "VNM"}


@pytest.fixture(autouse=True)
def english():
    token = context.set_current(context.RequestContext(language="en"))
    yield
    context.reset(token)


@dataclass
class Port:
    client: object
    world: object
    agent: dict
    officer: dict
    supervisor: dict
    customs: dict
    customs_agency: object

    def url(self, call_id: int, tail: str = "") -> str:
        return f"/api/v1/port-calls/{call_id}{tail}"

    def act(self, call_id: int, action: str, who: dict, reason: str | None = None):
        return self.client.post(self.url(call_id, f"/actions/{action}"), headers=who,
                                json={"reason": reason} if reason else None)

    def override(self, call_id: int, action: str, who: dict, reason: str):
        return self.client.post(self.url(call_id, f"/actions/{action}"), headers=who,
                                json={"reason": reason, "override": True})

    def crew(self, call_id: int, rows: list[dict], who: dict | None = None):
        return self.client.post(self.url(call_id, "/declarations/crew/rows"),
                                headers=who or self.agent, json={"rows": rows})

    def get(self, call_id: int, who: dict | None = None) -> dict:
        response = self.client.get(self.url(call_id), headers=who or self.officer)
        assert response.status_code == 200, response.text
        return response.json()

    def new_call(self, **extra) -> int:
        made = self.client.post("/api/v1/port-calls", headers=self.agent, json={
            **CALL, "station_id": self.world.a.id,
            "participant_ids": [self.customs_agency.id], **extra})
        assert made.status_code == 201, made.text
        return made.json()["id"]

    def approved_call(self, rows: list[dict] | None = None, **extra) -> int:
        """A call submitted with a clean crew list, pre-checked and approved for arrival."""
        call_id = self.new_call(**extra)
        assert self.crew(call_id, rows or [SEAMAN, COOK]).status_code == 201
        assert self.act(call_id, "submit", self.agent).json()["state"] == "prechecked"
        approved = self.act(call_id, "approve_arrival", self.officer)
        assert approved.status_code == 200, approved.text
        return call_id


@pytest.fixture
def port(client, session, world) -> Port:
    agency = make_agency(session, code="AGT-1", kind=AgencyKind.SHIPPING_AGENCY)
    make_user(session, agency=agency, role=Role.OFFICER, username="agent.one")
    customs = make_agency(session, code="CUS-1", kind=AgencyKind.CUSTOMS)
    make_user(session, agency=customs, role=Role.OFFICER, username="customs.one")
    watchlist_demo.load(session, supervisor=world.a_supervisor)
    session.commit()
    return Port(client=client, world=world, agent=api_token(client, "agent.one"),
                officer=api_token(client, "a1.officer"),
                supervisor=api_token(client, "a.super"),
                customs=api_token(client, "customs.one"), customs_agency=customs)
