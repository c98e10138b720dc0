from __future__ import annotations

import pytest

from bastion.fieldalarms import intake
from tests.fieldalarms.world import build_alarms


@pytest.fixture
def aw(session):
    return build_alarms(session)


@pytest.fixture(autouse=True)
def fresh_counters():
    for name in intake.COUNTERS:
        intake.COUNTERS[name] = intake.Counters()
    yield
