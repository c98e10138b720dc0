"""A client's integer never reaches the database unbounded (issue #10).

An id, offset or MMSI above 2^63-1 overflowed SQLite's INTEGER and PostgreSQL's BIGINT (an id
above 2^31-1 already PostgreSQL's INTEGER) and the request ended in a 500. Every integer a route takes -- path, query, header, form or JSON body,
pages and API alike -- carries a maximum (``core.bounds``); this walks every route of the app
and fails on one that does not.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute

from bastion.core.bounds import MAX_ID, MAX_INT
from tests.web.test_access import _routes


def _params(dependant) -> Any:
    yield from (*dependant.path_params, *dependant.query_params, *dependant.header_params,
                *dependant.cookie_params, *dependant.body_params)
    for sub in dependant.dependencies:
        yield from _params(sub)


def _unbounded(node: Any, where: str) -> Any:
    """Places in a JSON schema where an integer has no maximum."""
    if isinstance(node, dict):
        if node.get("type") == "integer" and "maximum" not in node \
                and "exclusiveMaximum" not in node and "enum" not in node:
            yield where
        for key, value in node.items():
            yield from _unbounded(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _unbounded(value, f"{where}[{i}]")


def test_every_integer_a_route_takes_is_bounded(app):
    found = []
    for route in _routes(app.routes):
        if not isinstance(route, APIRoute):
            continue
        for field in _params(route.dependant):
            schema = field._type_adapter.json_schema(mode="validation")
            found += [f"{sorted(route.methods)} {route.path}: {place}"
                      for place in _unbounded(schema, field.name)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", [
    f"/api/v1/agencies/{MAX_ID + 1}",  # PostgreSQL's INTEGER overflowed here
    f"/api/v1/notices/{MAX_ID + 1}",
    f"/api/v1/clearance/terminals?station_id={MAX_ID + 1}",
    f"/api/v1/agencies/{MAX_INT + 1}",
    f"/api/v1/users/{MAX_INT + 1}",
    f"/api/v1/notices/{MAX_INT + 1}",
    f"/api/v1/notices/1/attachments/{MAX_INT + 1}",
    f"/api/v1/attachments/{MAX_INT + 1}",
    f"/api/v1/attachments?record_kind=notice&record_id={MAX_INT + 1}",
    f"/api/v1/notifications/{MAX_INT + 1}",
    f"/api/v1/port-calls/{MAX_INT + 1}",
    f"/api/v1/vessels/{MAX_INT + 1}",
    f"/api/v1/vessels?offset={MAX_INT + 1}",
    f"/api/v1/alerts?mmsi={MAX_INT + 1}",
    f"/api/v1/alerts/{MAX_INT + 1}",
    f"/api/v1/audit?record_id={MAX_INT + 1}",
    f"/api/v1/watchlists/{MAX_INT + 1}/entries",
    f"/api/v1/clearance/agenda?days={MAX_INT + 1}",
])
def test_an_integer_too_large_is_422(client, world, path):
    from tests.web_helpers import api_token

    response = client.get(path, headers=api_token(client, world.a_admin.username))
    assert response.status_code == 422, response.text
