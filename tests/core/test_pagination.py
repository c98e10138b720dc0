"""Every list the API returns is a page; the kit counts and cuts right on both databases."""

from __future__ import annotations

import typing

from fastapi.routing import APIRoute
from sqlalchemy import select

from bastion.core.pagination import Page, PageParams, count, fetch, from_list
from bastion.org.models import Agency, Role
from tests.factories import make_agency, make_user
from tests.web.test_access import _routes
from tests.web_helpers import api_token

# Lists that are not listings of records, each with the reason it stays a plain list.
NOT_PAGED = {
    # What PUT takes, GET gives back: the whole set of a unit's areas, replaced at once.
    "/api/v1/agencies/{agency_id}/areas",
}


def _is_list(model) -> bool:
    return typing.get_origin(model) in (list, tuple, set) or model in (list, tuple)


def test_every_get_list_route_under_api_is_paginated(app):
    checked = []
    for route in _routes(app.routes):
        if not isinstance(route, APIRoute) or "GET" not in route.methods:
            continue
        if not route.path.startswith("/api/v1") or route.path in NOT_PAGED:
            continue
        model = route.response_model
        assert not _is_list(model), f"{route.path} returns a bare list; return a Page"
        if isinstance(model, type) and issubclass(model, Page):
            names = {p.name for p in route.dependant.query_params}
            for sub in route.dependant.dependencies:
                names |= {p.name for p in sub.query_params}
            assert {"limit", "offset"} <= names, route.path
            checked.append(route.path)
    assert {"/api/v1/port-calls", "/api/v1/agencies", "/api/v1/users", "/api/v1/notices",
            "/api/v1/audit", "/api/v1/vessels", "/api/v1/alerts", "/api/v1/watchlists",
            "/api/v1/screening/hits", "/api/v1/clearance/terminals",
            "/api/v1/clearance/precheck-rules/versions", "/api/v1/port-calls/{call_id}/history",
            "/api/v1/port-calls/{call_id}/slots",
            "/api/v1/port-calls/{call_id}/green-channel"} <= set(checked)


def test_page_offsets_and_count(session):
    for n in range(7):
        make_agency(session, code=f"PAGE{n}")
    query = select(Agency).where(Agency.code.like("PAGE%")).order_by(Agency.code)
    assert count(session, query) == 7
    rows, total = fetch(session, query, PageParams(limit=3, offset=3))
    assert total == 7 and [a.code for a in rows] == ["PAGE3", "PAGE4", "PAGE5"]
    page = Page.build(rows, total, PageParams(limit=3, offset=3))
    assert (page.next_offset, page.prev_offset) == (6, 0)
    last = Page.build([], total, PageParams(limit=3, offset=6))
    assert (last.next_offset, last.prev_offset) == (None, 3)
    assert fetch(session, query, PageParams(limit=3, offset=70)) == ([], 7)
    assert from_list(list(range(5)), PageParams(limit=2, offset=4)).items == [4]


def test_users_are_paged_through_the_api(client, session, world):
    headers = api_token(client, world.a_admin.username)
    first = client.get("/api/v1/users?limit=4", headers=headers).json()
    assert len(first["items"]) == 4 and first["offset"] == 0 and first["next_offset"] == 4
    seen = [u["username"] for u in first["items"]]
    offset = first["next_offset"]
    while offset is not None:
        page = client.get(f"/api/v1/users?limit=4&offset={offset}", headers=headers).json()
        seen += [u["username"] for u in page["items"]]
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == first["total"]
    assert client.get("/api/v1/users?limit=100000", headers=headers).status_code == 422
    assert client.get("/api/v1/users?offset=-1", headers=headers).status_code == 422


def test_agencies_page_for_any_user(client, world):
    headers = api_token(client, world.b_viewer.username)
    body = client.get("/api/v1/agencies?limit=2", headers=headers).json()
    assert body["total"] >= 4 and len(body["items"]) == 2 and body["prev_offset"] is None


def test_admin_only_lists_stay_admin_only(client, session, world):
    other = make_user(session, agency=world.b, role=Role.OFFICER, username="pager")
    headers = api_token(client, other.username)
    assert client.get("/api/v1/users", headers=headers).status_code == 403
