"""Fixtures of the emergency board's tests: the world's station (ORG-A) and its partners, plus
a maritime safety administration, the land-border command (both named as partners by the
emergencies the tests open), an unrelated second station, a village committee and two
shipping agents; English messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bastion.core import context
from bastion.emergencies import areas
from bastion.maritime.feeds import build_engine
from bastion.maritime.picture import Picture
from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user

AREA = areas.box(111.55, 21.35, 112.35, 21.95)
FISHING_ZONE = areas.box(111.785, 21.556, 111.845, 21.605)
MERCHANT_ZONE = areas.box(111.95, 21.45, 112.10, 21.54)


@pytest.fixture(autouse=True)
def english():
    token = context.set_current(context.RequestContext(language="en"))
    yield
    context.reset(token)


@dataclass
class Scene:
    agent_org_id: int
    other_agent_org_id: int
    msa_id: int
    command_id: int
    other_station_id: int

    @property
    def partners(self) -> list[int]:
        return [self.msa_id, self.command_id]


@pytest.fixture
def scene(session, world) -> Scene:
    msa = make_agency(session, code="MSA-1", kind=AgencyKind.MARITIME_SAFETY)
    make_user(session, agency=msa, role=Role.SUPERVISOR, username="msa.super")
    command = make_agency(session, code="JDC-1", kind=AgencyKind.JOINT_DEFENCE_COMMAND)
    make_user(session, agency=command, role=Role.SUPERVISOR, username="command.super")
    post = make_agency(session, code="JDC-1-P", kind=AgencyKind.JOINT_DEFENCE_POST,
                       parent=command)
    make_user(session, agency=post, role=Role.OFFICER, username="post.officer")
    other_station = make_agency(session, code="STN-2", kind=AgencyKind.BORDER_INSPECTION)
    make_user(session, agency=other_station, role=Role.SUPERVISOR, username="s2.super")
    make_user(session, agency=other_station, role=Role.OFFICER, username="s2.officer")
    village = make_agency(session, code="VC-1", kind=AgencyKind.VILLAGE_COMMITTEE)
    make_user(session, agency=village, role=Role.VIEWER, username="village.viewer")
    agents = []
    for n, name in ((1, "agent.one"), (2, "agent.two")):
        agency = make_agency(session, code=f"AGT-{n}", kind=AgencyKind.SHIPPING_AGENCY)
        make_user(session, agency=agency, role=Role.OFFICER, username=name)
        agents.append(agency.id)
    session.commit()
    return Scene(agents[0], agents[1], msa.id, command.id, other_station.id)


def ais(mmsi: int, lat: float, lon: float, speed: float, at: datetime, *, ship_type: int = 70,
        name: str = "") -> list[dict]:
    """One position report (and static data first) as the decoder hands it to the picture."""
    out = []
    if name:
        out.append({"type": 5, "mmsi": mmsi, "shipname": name, "ship_type": ship_type,
                    "callsign": "TEST1", "time": at.isoformat()})
    out.append({"type": 1, "mmsi": mmsi, "lat": lat, "lon": lon, "speed": speed, "course": 90.0,
                "heading": 90, "status": 0, "time": at.isoformat()})
    return out


@pytest.fixture
def picture(session_factory, settings, scene, session):
    session.commit()
    return Picture(sessions=session_factory, settings=settings,
                   engine=build_engine(None, settings), batch=2000)


def track(picture: Picture, mmsi: int, points: list[tuple[float, float, float]], *,
          end: datetime | None = None, name: str = "", ship_type: int = 70) -> None:
    """Positions a few minutes apart, the last at ``end`` (now by default)."""
    end = end or datetime.now(UTC)
    for n, (lat, lon, speed) in enumerate(points):
        at = end - timedelta(minutes=5 * (len(points) - 1 - n))
        for message in ais(mmsi, lat, lon, speed, at, name=name if n == 0 else "",
                           ship_type=ship_type):
            picture.ingest(message)
    picture.finish()
