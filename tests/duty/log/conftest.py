import pytest

from tests.duty.log.world import build


@pytest.fixture
def w(session):
    return build(session)
