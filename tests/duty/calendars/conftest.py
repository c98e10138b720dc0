import pytest

from tests.duty.calendars import world as duty_world


@pytest.fixture
def duty(session):
    return duty_world.build(session)
