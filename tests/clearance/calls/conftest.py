"""Fixtures of the port-call tests: an agent; a station with three terminals, its agents
and staff."""

from __future__ import annotations

import pytest

from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

# Two crew of a call (WANG the master, NGUYEN the cook): the need-to-know and workbench tests'.
CREW = [
    {"family_name": "WANG", "given_names": "Xiaoming", "rank": "Master", "nationality": "CHN",
     "birth_date": "1975-03-02", "birth_place": "Dalian", "gender": "M",
     "document_type": "P", "document_number": "E12345678", "issuing_state": "CHN",
     "expiry_date": "2033-01-01"},
    {"family_name": "NGUYEN", "given_names": "Van An", "rank": "Cook", "nationality": "VNM",
     "birth_date": "1988-07-15", "birth_place": "Hai Phong", "gender": "M",
     "document_type": "P", "document_number": "C7654321", "issuing_state": "VNM",
     "expiry_date": "2033-05-01"},
]

COAL = {"code": "COAL", "name": "煤码头", "name_en": "Coal terminal", "service_hours": "24h"}
OFFICE = {"code": "GEN", "name": "通用泊位", "name_en": "General berths",
          "service_hours": "office", "opens": "08:30", "closes": "17:30"}
TIDE = {"code": "TIDE", "name": "潮汐码头", "name_en": "Tide terminal", "service_hours": "24h",
        "tide_station": "zhapo", "charted_depth_m": 8.0, "ukc_fixed_m": 0.5, "ukc_percent": 10}


@pytest.fixture
def agent(session, world):
    """One shipping agent, ``agent.one`` of agency AGT-1."""
    agency = make_agency(session, code="AGT-1", kind=AgencyKind.SHIPPING_AGENCY)
    make_user(session, agency=agency, role=Role.OFFICER, username="agent.one")
    session.commit()


@pytest.fixture
def two_agents(session, world):
    """Two shipping agencies, AGT-1 (``agent.one``) and AGT-2 (``agent.two``); not committed."""
    for n in (1, 2):
        agency = make_agency(session, code=f"AGT-{n}", kind=AgencyKind.SHIPPING_AGENCY)
        make_user(session, agency=agency, role=Role.OFFICER,
                  username=f"agent.{'one' if n == 1 else 'two'}")


@pytest.fixture
def station(client, session, world, two_agents):
    session.commit()
    supervisor = api_token(client, "a.super")
    for terminal in (COAL, OFFICE, TIDE):
        made = client.post("/api/v1/clearance/terminals", headers=supervisor, json=terminal)
        assert made.status_code == 201, made.text
    return {"agent": api_token(client, "agent.one"), "officer": api_token(client, "a1.officer"),
            "supervisor": supervisor, "customs": api_token(client, "b.officer"),
            "other_agent": api_token(client, "agent.two")}
