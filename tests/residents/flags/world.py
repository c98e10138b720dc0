"""A small residents world for the flag tests: a command with two posts, each linked to a
village on the map; a village committee given village A; the border police; outsiders (a
port station, a shipping agent); a person in each village, GREEN shared with the committee
and the police as registration marks them (rows written straight; the registry's own
service is tested in its room)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from bastion.border.geo.models import BorderPlace, BorderPost, PlaceKind, PostVillage
from bastion.core.marking import TLP, AreaAssignment, Distribution
from bastion.org.models import Agency, AgencyKind, Role, User
from bastion.org.sharing import MarkingIn, apply_marking
from bastion.residents.models import Resident, ResidentDocument
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token


@dataclass
class ResidentsWorld:
    command: Agency
    post_a: Agency
    post_b: Agency
    police: Agency
    committee: Agency
    village_a: BorderPlace
    village_b: BorderPlace
    anh: Resident  # village A, post A
    binh: Resident  # village B, post B
    users: dict[str, User]
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, client, who: str) -> dict[str, str]:
        if who not in self.tokens:
            self.tokens[who] = api_token(client, self.users[who].username)
        return self.tokens[who]


def _marked(session: Session, record, owner: Agency, author: User, named: list[Agency]):
    record.owner_org_id, record.created_by_id = owner.id, author.id
    session.add(record)
    session.flush()
    apply_marking(session, record, MarkingIn(tlp=TLP.GREEN, distribution=Distribution.NAMED,
                                             agency_ids=[a.id for a in named]))
    return record


def build(session: Session) -> ResidentsWorld:
    command = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND, name="那坡联防指挥部")
    post_a = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=command,
                         name="念井联防所")
    post_b = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=command,
                         name="竹山联防所")
    police = make_agency(session, kind=AgencyKind.BORDER_POLICE, name="边境派出所")
    committee = make_agency(session, kind=AgencyKind.VILLAGE_COMMITTEE, name="念井村委会")
    port = make_agency(session, kind=AgencyKind.BORDER_INSPECTION, name="港口边检站")
    agent_org = make_agency(session, kind=AgencyKind.SHIPPING_AGENCY, name="船代公司")
    people = {"command": (command, Role.SUPERVISOR), "post_a": (post_a, Role.OFFICER),
              "aux_a": (post_a, Role.VIEWER), "post_b": (post_b, Role.OFFICER),
              "police": (police, Role.OFFICER), "village": (committee, Role.VIEWER),
              "station": (port, Role.SUPERVISOR), "agent": (agent_org, Role.OFFICER)}
    users = {k: make_user(session, agency=a, role=r) for k, (a, r) in people.items()}
    author = users["command"]
    villages = []
    for name, post, lon in (("念井村", post_a, 105.80), ("竹山村", post_b, 108.05)):
        village = _marked(session, BorderPlace(kind=PlaceKind.VILLAGE, name=name, lon=lon,
                                               lat=23.0), command, author, [police])
        station = _marked(session, BorderPost(agency_id=post.id, lon=lon, lat=23.01), command,
                          author, [police])
        session.add(PostVillage(post_id=station.id, place_id=village.id))
        villages.append(village)
    session.add(AreaAssignment(agency_id=committee.id, area_kind="village",
                               area_id=villages[0].id))
    anh = _marked(session, Resident(name="Nguyễn Văn Anh", village_id=villages[0].id,
                                    post_agency_id=post_a.id), command, author,
                  [committee, police])
    binh = _marked(session, Resident(name="Lê Văn Bình", village_id=villages[1].id,
                                     post_agency_id=post_b.id), command, author, [police])
    for person, number in ((anh, "T100"), (binh, "T200")):
        session.add(ResidentDocument(resident_id=person.id, doc_type="cn_vn_border_pass",
                                     type_code="743", number=number, expires=date(2027, 6, 30)))
    session.commit()
    return ResidentsWorld(command=command, post_a=post_a, post_b=post_b, police=police,
                          committee=committee, village_a=villages[0], village_b=villages[1],
                          anh=anh, binh=binh, users=users)
