"""Every page of the main menu, opened by each demo user: what their agency kind and role
give them answers 200, the rest a clear 403 — never a 500 — and the menu offers only what
they may open."""

from __future__ import annotations

import re

import pytest

from bastion import demo
from bastion.org import capabilities
from tests.web_helpers import login

PAGES = {"/maritime": "vessels.read", "/maritime/alerts": "alerts.read",
         "/screening": None, "/clearance": "portcalls.read",
         "/clearance/statistics": "clearance.statistics", "/clearance/rules": "precheck.read",
         "/admin/agencies": "accounts.manage", "/admin/capabilities": "accounts.manage",
         "/admin/audit": "audit.read", "/notices": "notices.read", "/dashboard": None,
         "/field-alarms": "fieldalarms.read", "/field-alarms/devices": "fieldalarms.read",
         "/evaluations": "evaluations.read", "/evaluations/annual": "evaluations.read",
         "/outreach": "outreach.read", "/outreach/board": "outreach.board",
         "/outreach/field": "outreach.record", "/reports/annual": "reports.read",
         "/cases": "cases.read", "/cases/new": "cases.write", "/cases/stats": "cases.stats",
         "/tips/field": "cases.tips.submit", "/operations": "operations.read",
         "/operations/new": "operations.plan"}
MENU = {"/maritime": "vessels.read", "/clearance": "portcalls.read",
        "/admin/agencies": "accounts.manage", "/field-alarms": "fieldalarms.read",
        "/evaluations": "evaluations.read", "/outreach": "outreach.read",
        "/reports/annual": "reports.read", "/cases": "cases.read",
        "/tips/field": "cases.tips.submit"}


@pytest.fixture
def demo_users(session):
    demo.load(session)
    session.commit()
    return {u.username: u for u in _users(session)}


def _users(session):
    from sqlalchemy import select

    from bastion.org.models import User

    return session.scalars(select(User).where(User.username.in_([u[0] for u in demo.USERS])))


@pytest.mark.parametrize("username", [u[0] for u in demo.USERS])
def test_each_demo_user_opens_what_they_may(client, demo_users, username):
    user = demo_users[username]
    login(client, username, demo.DEMO_PASSWORD)
    for path, capability in PAGES.items():
        response = client.get(path)
        if capability is None:
            assert response.status_code in (200, 403), (username, path)
        else:
            expected = 200 if capabilities.can(user, capability) else 403
            assert response.status_code == expected, (username, path, response.status_code)
    menu = client.get("/dashboard").text
    nav = re.search(r'<nav class="mainnav".*?</nav>', menu, re.DOTALL).group(0)
    for path, capability in MENU.items():
        assert (f'href="{path}"' in nav) == capabilities.can(user, capability), (username, path)
