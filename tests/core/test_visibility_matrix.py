"""Need-to-know: every marking × distribution × same/other organisation × role.

The expected table is the specification (see bastion/core/marking.py); the test checks the
list query, the single-record lookup and the API's 404 for each cell, on every database.
"""

from __future__ import annotations

import pytest

from bastion.core.errors import Invalid
from bastion.core.marking import TLP, Distribution
from bastion.notices import service
from bastion.notices.schemas import NoticeCreate

OWN_ALL = {"a_viewer", "a_supervisor", "a_admin", "a_unit_officer"}
OWN_OFFICERS = {"a_supervisor", "a_admin", "a_unit_officer"}
B_ALL = {"b_viewer", "b_officer", "b_officer2"}
B_OFFICERS = {"b_officer", "b_officer2"}
EVERYONE = OWN_ALL | B_ALL | {"c_officer"}

# (marking, distribution) -> who sees it besides the author; None = the combination is refused.
EXPECTED: dict[tuple[TLP, Distribution], set[str] | None] = {
    (TLP.CLEAR, Distribution.ALL): EVERYONE,
    (TLP.CLEAR, Distribution.OWN): None,
    (TLP.CLEAR, Distribution.NAMED): None,
    (TLP.GREEN, Distribution.OWN): OWN_ALL,
    (TLP.GREEN, Distribution.NAMED): OWN_ALL | B_ALL,
    (TLP.GREEN, Distribution.ALL): EVERYONE,
    (TLP.AMBER, Distribution.OWN): OWN_OFFICERS,
    (TLP.AMBER, Distribution.NAMED): OWN_OFFICERS | B_OFFICERS,
    (TLP.AMBER, Distribution.ALL): OWN_OFFICERS | B_OFFICERS | {"c_officer"},
    (TLP.AMBER_STRICT, Distribution.OWN): OWN_OFFICERS,
    (TLP.AMBER_STRICT, Distribution.NAMED): None,
    (TLP.AMBER_STRICT, Distribution.ALL): None,
    (TLP.RED, Distribution.NAMED): {"b_officer"},
    (TLP.RED, Distribution.OWN): None,
    (TLP.RED, Distribution.ALL): None,
}


def test_table_covers_every_combination():
    assert set(EXPECTED) == {(t, d) for t in TLP for d in Distribution}


@pytest.mark.parametrize(("tlp", "distribution"), list(EXPECTED))
def test_visibility(session, world, tlp, distribution):
    payload = NoticeCreate(
        title=f"{tlp.value}/{distribution.value}", tlp=tlp, distribution=distribution,
        agency_ids=[world.b.id] if distribution == Distribution.NAMED and tlp != TLP.RED else [],
        recipient_ids=[world.b_officer.id] if tlp == TLP.RED else [],
    )
    expected = EXPECTED[(tlp, distribution)]
    if expected is None:
        with pytest.raises(Invalid) as refused:
            service.create(session, user=world.author, data=payload)
        assert refused.value.field == "distribution"
        return
    notice = service.create(session, user=world.author, data=payload)
    session.flush()
    seen_by = set()
    for name, user in world.everyone().items():
        listed = {n.id for n in service.list_visible(session, user=user, limit=500)[0]}
        found = service.find_visible(session, user=user, notice_id=notice.id) is not None
        assert (notice.id in listed) == found, name
        if found:
            seen_by.add(name)
    assert seen_by == expected | {"author"}


def test_sharing_with_a_unit_shares_with_its_organisation(session, world):
    notice = service.create(session, user=world.author, data=NoticeCreate(
        title="to a unit", tlp=TLP.GREEN, distribution=Distribution.NAMED,
        agency_ids=[world.a_unit.id]))
    # a_unit belongs to A, the author's own organisation; B must not see it.
    assert service.find_visible(session, user=world.b_officer, notice_id=notice.id) is None
    assert service.find_visible(session, user=world.a_unit_officer, notice_id=notice.id)


def test_inactive_users_see_nothing(session, world):
    notice = service.create(session, user=world.author, data=NoticeCreate(
        title="public", tlp=TLP.CLEAR, distribution=Distribution.ALL))
    world.c_officer.active = False
    assert service.find_visible(session, user=world.c_officer, notice_id=notice.id) is None


def test_invisible_record_is_404_over_the_api(client, session, world):
    from tests.web_helpers import api_token

    notice = service.create(session, user=world.author, data=NoticeCreate(
        title="strict", tlp=TLP.AMBER_STRICT, distribution=Distribution.OWN))
    session.commit()
    outsider = client.get(f"/api/v1/notices/{notice.id}", headers=api_token(client, "b.officer"))
    missing = client.get("/api/v1/notices/999999", headers=api_token(client, "b.officer"))
    assert outsider.status_code == missing.status_code == 404
    assert outsider.json()["detail"] == missing.json()["detail"]
    insider = client.get(f"/api/v1/notices/{notice.id}", headers=api_token(client, "a.super"))
    assert insider.status_code == 200
