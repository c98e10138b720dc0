"""The cast of the operations tests: a joint-defence command with a post, the agencies that may
take part (border police, army, a village committee, a border station) and a shipping agency,
one person each (``cast.police`` is the police officer, ``cast.police_ag`` the agency)."""

from __future__ import annotations

import pytest

from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user


class Cast:
    pass


@pytest.fixture
def cast(session):
    c = Cast()
    c.command = make_agency(session, code="OP-JDC", kind=AgencyKind.JOINT_DEFENCE_COMMAND)
    c.post_ag = make_agency(session, code="OP-JDC-P1", kind=AgencyKind.JOINT_DEFENCE_POST,
                            parent=c.command)
    c.police_ag = make_agency(session, code="OP-POL", kind=AgencyKind.BORDER_POLICE)
    c.army_ag = make_agency(session, code="OP-ARMY", kind=AgencyKind.ARMY)
    c.village_ag = make_agency(session, code="OP-VC", kind=AgencyKind.VILLAGE_COMMITTEE)
    c.station_ag = make_agency(session, code="OP-BIS", kind=AgencyKind.BORDER_INSPECTION)
    c.shipping = make_agency(session, code="OP-AGT", kind=AgencyKind.SHIPPING_AGENCY)
    # The people, one per agency (cast.police is the police officer, cast.police_ag the agency).
    for name, agency, role in (("planner", c.command, Role.OFFICER),
                               ("post", c.post_ag, Role.OFFICER),
                               ("police", c.police_ag, Role.OFFICER),
                               ("army", c.army_ag, Role.OFFICER),
                               ("villager", c.village_ag, Role.VIEWER),
                               ("station", c.station_ag, Role.OFFICER),
                               ("agent", c.shipping, Role.OFFICER)):
        setattr(c, name, make_user(session, agency=agency, role=role, username=f"op.{name}"))
    session.commit()
    return c
