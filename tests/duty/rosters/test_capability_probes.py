"""The three roster capabilities through the API for every agency kind and role (the probe
lines proposed for tests/org/test_capability_matrix.py): allowed past the check exactly when
the grants table says so."""

from __future__ import annotations

import itertools

import pytest

from bastion.org import capabilities
from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

_n = itertools.count()


def probes() -> dict[str, tuple[str, str, dict | None, tuple[int, ...]]]:
    n = next(_n)
    return {
        "duty.roster.read": ("GET", "/api/v1/duty/rosters", None, (200,)),
        "duty.roster.plan": ("POST", "/api/v1/duty/roles", {
            "code": f"probe{n}", "name_zh": "探针", "name_en": "Probe"}, (201,)),
        "duty.swap.request": ("GET", "/api/v1/duty/swaps", None, (200,)),
    }


@pytest.mark.parametrize("kind", list(AgencyKind))
def test_roster_capabilities_for_every_kind_and_role(session, client, kind):
    parent = None
    if kind == AgencyKind.JOINT_DEFENCE_POST:
        parent = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND)
    elif kind == AgencyKind.BORDER_INSPECTION_TEAM:
        parent = make_agency(session, kind=AgencyKind.BORDER_INSPECTION)
    agency = make_agency(session, kind=kind, parent=parent)
    for role in Role:
        user = make_user(session, agency=agency, role=role)
        session.commit()
        headers = api_token(client, user.username)
        for capability, (method, path, body, allowed) in probes().items():
            got = client.request(method, path, headers=headers, json=body)
            where = f"{kind.value}/{role.value} {capability}"
            if capabilities.can(user, capability):
                assert got.status_code in allowed, (where, got.text)
            else:
                assert got.status_code in (403, 404), (where, got.text)
