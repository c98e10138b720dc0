"""Fixtures of the border map tests (see land.py)."""

from __future__ import annotations

import pytest

from tests.border.geo.land import Land, build_land, build_map


@pytest.fixture
def land(session, client) -> Land:
    return build_land(session, client)


@pytest.fixture
def mapped(client, land) -> Land:
    build_map(client, land)
    return land
