import pytest

from tests.residents.flags.world import build


@pytest.fixture
def rw(session):
    return build(session)
