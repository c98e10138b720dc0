"""The patrol field page: for those who record patrols (auxiliaries, post and partner
officers), refused to those who do not; its words come in the user's language as data."""

from __future__ import annotations

import json
import re
from html import unescape as html_unescape

import pytest

from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.web_helpers import login


@pytest.fixture
def people(session):
    command = make_agency(session, code="T-JDC", kind=AgencyKind.JOINT_DEFENCE_COMMAND)
    post = make_agency(session, code="T-JDC-P", kind=AgencyKind.JOINT_DEFENCE_POST,
                       parent=command)
    police = make_agency(session, code="T-POL", kind=AgencyKind.BORDER_POLICE)
    army = make_agency(session, code="T-ARMY", kind=AgencyKind.ARMY)
    village = make_agency(session, code="T-VC", kind=AgencyKind.VILLAGE_COMMITTEE)
    port = make_agency(session, code="T-BIS", kind=AgencyKind.BORDER_INSPECTION)
    agent = make_agency(session, code="T-AGT", kind=AgencyKind.SHIPPING_AGENCY)
    return {
        "auxiliary": make_user(session, agency=post, role=Role.VIEWER, username="t.aux"),
        "post_officer": make_user(session, agency=post, role=Role.OFFICER, username="t.post"),
        "command": make_user(session, agency=command, role=Role.SUPERVISOR, username="t.cmd"),
        "police": make_user(session, agency=police, role=Role.OFFICER, username="t.pol"),
        "army": make_user(session, agency=army, role=Role.OFFICER, username="t.army"),
        "police_viewer": make_user(session, agency=police, role=Role.VIEWER, username="t.polv"),
        "village": make_user(session, agency=village, role=Role.VIEWER, username="t.vc"),
        "port": make_user(session, agency=port, role=Role.OFFICER, username="t.bis"),
        "agent": make_user(session, agency=agent, role=Role.OFFICER, username="t.agt"),
    }


@pytest.mark.parametrize(("who", "status"), [
    ("auxiliary", 200), ("post_officer", 200), ("command", 200), ("police", 200),
    ("army", 200), ("police_viewer", 403), ("village", 403), ("port", 403),
    ("agent", 403)])
def test_who_may_open_the_field_page(client, people, who, status):
    login(client, people[who].username)
    assert client.get("/patrols/field").status_code == status


def test_anonymous_is_sent_to_login(client):
    response = client.get("/patrols/field", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


@pytest.mark.parametrize(("language", "word"), [("zh-CN", "离线"), ("en", "Offline")])
def test_the_page_is_a_shell_with_its_words_as_data(client, people, language, word):
    login(client, people["auxiliary"].username)
    client.cookies.set("bastion_lang", language)
    html = client.get("/patrols/field").text
    assert '<link rel="manifest" href="/manifest.webmanifest?start=/patrols/field">' in html
    words = json.loads(html_unescape(re.search(r'data-words="([^"]*)"', html)[1]))
    assert word in words["offline"]
    assert "{sent}" in words["progress"] and "{total}" in words["progress"]
    # no inline script: every other <script> has a src
    assert all("src=" in s for s in re.findall(r"<script([^>]*)>", html))
    assert ("锁屏" in html) == (language == "zh-CN")
