"""These tests read the English messages; the default language is zh-CN, so say so."""

import pytest

from bastion.core import context


@pytest.fixture(autouse=True)
def english():
    token = context.set_current(context.RequestContext(language="en"))
    yield
    context.reset(token)
