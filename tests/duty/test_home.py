"""The duty hub lists, for each kind of user, exactly the parts of 24-hour duty their
capabilities allow; agencies with no part in duty get no nav link and a 403."""

from __future__ import annotations

import pytest

from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.web_helpers import login

ALL = {"/duty/me", "/duty/checkin", "/duty/rosters", "/duty/log", "/duty/handovers",
       "/duty/hotline", "/duty/stats", "/duty/setup"}


def _rooms(page: str) -> set[str]:
    grid = page.split('id="duty-rooms"', 1)[1].split("</div>", 1)[0]
    return {path for path in ALL if f'href="{path}"' in grid}


@pytest.fixture
def people(session):
    command = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND)
    post = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=command)
    station = make_agency(session, kind=AgencyKind.BORDER_INSPECTION)
    return {
        "command_supervisor": make_user(session, agency=command, role=Role.SUPERVISOR),
        "post_auxiliary": make_user(session, agency=post, role=Role.VIEWER),
        "station_officer": make_user(session, agency=station, role=Role.OFFICER),
        "police": make_user(session, agency=make_agency(session, kind=AgencyKind.BORDER_POLICE)),
        "village": make_user(session, agency=make_agency(
            session, kind=AgencyKind.VILLAGE_COMMITTEE), role=Role.VIEWER),
        "agent": make_user(session, agency=make_agency(
            session, kind=AgencyKind.SHIPPING_AGENCY)),
    }


@pytest.mark.parametrize(("who", "rooms"), [
    ("command_supervisor", ALL),
    ("post_auxiliary", {"/duty/me", "/duty/checkin", "/duty/rosters", "/duty/log",
                        "/duty/handovers"}),
    ("station_officer", {"/duty/me", "/duty/checkin", "/duty/rosters", "/duty/log",
                         "/duty/handovers", "/duty/hotline"}),
    ("police", {"/duty/me", "/duty/checkin", "/duty/rosters", "/duty/log", "/duty/handovers"}),
])
def test_the_hub_lists_what_each_user_may_use(client, people, who, rooms):
    login(client, people[who].username)
    page = client.get("/duty")
    assert page.status_code == 200
    assert _rooms(page.text) == rooms
    assert 'id="nav-duty"' in page.text


@pytest.mark.parametrize("who", ["village", "agent"])
def test_agencies_with_no_part_in_duty_get_no_link_and_a_403(client, people, who):
    login(client, people[who].username)
    assert 'id="nav-duty"' not in client.get("/dashboard").text
    assert client.get("/duty").status_code == 403
