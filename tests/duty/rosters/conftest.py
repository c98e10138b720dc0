import pytest

from tests.duty.rosters.world import build


@pytest.fixture
def w(session):
    return build(session)
