"""The capability-matrix probes of this room (duty.log.read, duty.log.write, duty.checkin)
for every kind of agency and role: allowed past the check exactly as the grants table says,
refused with 403 otherwise. The same lines go into tests/org/test_capability_matrix.py."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from bastion.org import capabilities
from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

UNITS = {AgencyKind.BORDER_INSPECTION_TEAM: AgencyKind.BORDER_INSPECTION,
         AgencyKind.JOINT_DEFENCE_POST: AgencyKind.JOINT_DEFENCE_COMMAND}


def probes() -> dict[str, tuple[str, str, dict | None, tuple[int, ...]]]:
    now = datetime.now(UTC).isoformat()
    return {
        "duty.log.read": ("GET", "/api/v1/duty/log", None, (200,)),
        "duty.log.write": ("POST", "/api/v1/duty/log", {"occurred_at": now,
                                                        "content": "probe"}, (201,)),
        "duty.checkin": ("POST", "/api/v1/duty/checkins", {
            "client_id": str(uuid.uuid4()), "device_at": now}, (201,)),
    }


@pytest.mark.parametrize("kind", list(AgencyKind))
def test_each_kind_and_role(session, client, kind):
    parent = make_agency(session, kind=UNITS[kind]) if kind in UNITS else None
    agency = make_agency(session, kind=kind, parent=parent)
    for role in Role:
        user = make_user(session, agency=agency, role=role)
        session.commit()
        headers = api_token(client, user.username)
        for capability, (method, path, body, allowed) in probes().items():
            response = client.request(method, path, headers=headers, json=body)
            where = f"{kind.value}/{role.value} {capability}"
            if capabilities.can(user, capability):
                assert response.status_code in allowed, (where, response.text)
            else:
                assert response.status_code == 403, (where, response.text)
