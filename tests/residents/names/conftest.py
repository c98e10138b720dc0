"""A small border: a command with a post (linked to village A) and a village committee
(village B), border police, an army unit (no part in the registry), and residents written in
Vietnamese, in Latin letters and in Chinese characters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from bastion.border.geo.models import BorderPlace, BorderPost, PlaceKind, PostVillage
from bastion.core.marking import TLP, AreaAssignment, Distribution
from bastion.org.models import Agency, AgencyKind, Role, User
from bastion.residents import names
from bastion.residents.models import Resident
from tests.factories import make_agency, make_user


@dataclass
class Border:
    command: Agency
    post: Agency
    village_committee: Agency
    police: Agency
    army: Agency
    village_a: BorderPlace
    village_b: BorderPlace
    users: dict[str, User]


def _place(session: Session, name: str, owner: Agency, author: User) -> BorderPlace:
    place = BorderPlace(kind=PlaceKind.VILLAGE, name=name, lon=108.0, lat=21.5, tlp=TLP.GREEN,
                        distribution=Distribution.ALL, owner_org_id=owner.id,
                        created_by_id=author.id)
    session.add(place)
    session.flush()
    return place


@pytest.fixture
def border(session: Session) -> Border:
    command = make_agency(session, code="JDC", kind=AgencyKind.JOINT_DEFENCE_COMMAND)
    post = make_agency(session, code="JDC-P1", kind=AgencyKind.JOINT_DEFENCE_POST, parent=command)
    committee = make_agency(session, code="VC-B", kind=AgencyKind.VILLAGE_COMMITTEE)
    police = make_agency(session, code="BP", kind=AgencyKind.BORDER_POLICE)
    army = make_agency(session, code="ARMY", kind=AgencyKind.ARMY)
    users = {
        "command": make_user(session, agency=command, role=Role.SUPERVISOR, username="huang.cmd"),
        "post": make_user(session, agency=post, role=Role.OFFICER, username="nong.post"),
        "auxiliary": make_user(session, agency=post, role=Role.VIEWER, username="he.aux"),
        "village": make_user(session, agency=committee, role=Role.VIEWER, username="ma.village"),
        "police": make_user(session, agency=police, role=Role.OFFICER, username="wei.police"),
        "army": make_user(session, agency=army, role=Role.OFFICER, username="army.officer"),
    }
    a = _place(session, "Village A", command, users["command"])
    b = _place(session, "Village B", command, users["command"])
    bp = BorderPost(agency_id=post.id, lon=108.0, lat=21.5, tlp=TLP.GREEN,
                    distribution=Distribution.ALL, owner_org_id=command.id,
                    created_by_id=users["command"].id)
    session.add(bp)
    session.flush()
    session.add(PostVillage(post_id=bp.id, place_id=a.id))
    session.add(AreaAssignment(agency_id=committee.id, area_kind="village", area_id=b.id))
    session.flush()
    return Border(command, post, committee, police, army, a, b, users)


def add_resident(session: Session, border: Border, name: str, *, name_latin: str = "",
                 name_han: str = "", village: BorderPlace | None = None,
                 birth_date: date | None = None) -> Resident:
    village = village or border.village_a
    person = Resident(name=name, name_latin=name_latin, name_han=name_han,
                      name_keys=names.keys(name, name_latin=name_latin, name_han=name_han),
                      birth_date=birth_date, village_id=village.id, tlp=TLP.GREEN,
                      distribution=Distribution.ALL, owner_org_id=border.command.id,
                      created_by_id=border.users["command"].id)
    session.add(person)
    session.flush()
    return person
