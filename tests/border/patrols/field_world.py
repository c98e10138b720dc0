"""A small land border for the patrol tests: a command with two posts, each given its own
segment (AreaAssignment), checkpoints on them, the partners (border police, army), a village
committee, and outsiders (a port station, a shipping agent), with the people of each.

Map records are written straight as rows with their markings (the geo room's importers are
tested on their own): segments GREEN NAMED to the partners, checkpoints GREEN NAMED police and
army, as CONTRACT.md decides.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from bastion.border.geo.models import BorderLine, BoundaryMarker, Checkpoint, DefenceSegment
from bastion.core.marking import TLP, AreaAssignment, Distribution
from bastion.org.models import Agency, AgencyKind, Role, User
from bastion.org.sharing import MarkingIn, apply_marking
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

# A stretch near Dongxing (Guangxi), lon/lat
LINE = [[107.90, 21.60], [107.95, 21.62], [108.00, 21.63], [108.05, 21.62]]


@dataclass
class FieldWorld:
    command: Agency
    post_a: Agency
    post_b: Agency
    police: Agency
    police_2: Agency
    army: Agency
    village: Agency
    port: Agency
    agent_org: Agency
    seg_a: DefenceSegment
    seg_b: DefenceSegment
    cp_a: Checkpoint
    cp_a2: Checkpoint
    cp_b: Checkpoint
    users: dict[str, User]
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, client, who: str) -> dict[str, str]:
        if who not in self.tokens:
            self.tokens[who] = api_token(client, self.users[who].username)
        return self.tokens[who]


def _mark(session: Session, record, owner: Agency, author: User, named: list[Agency]) -> None:
    record.owner_org_id, record.created_by_id = owner.id, author.id
    session.add(record)
    session.flush()
    apply_marking(session, record, MarkingIn(tlp=TLP.GREEN, distribution=Distribution.NAMED,
                                             agency_ids=[a.id for a in named]))


def build(session: Session) -> FieldWorld:
    command = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND, name="东兴联防指挥部")
    post_a = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=command,
                         name="竹山联防所")
    post_b = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=command,
                         name="江平联防所")
    police = make_agency(session, kind=AgencyKind.BORDER_POLICE, name="边境派出所")
    police_2 = make_agency(session, kind=AgencyKind.BORDER_POLICE, name="另一个派出所")
    army = make_agency(session, kind=AgencyKind.ARMY, name="边防连")
    village = make_agency(session, kind=AgencyKind.VILLAGE_COMMITTEE, name="竹山村委会")
    port = make_agency(session, kind=AgencyKind.BORDER_INSPECTION, name="港口边检站")
    agent_org = make_agency(session, kind=AgencyKind.SHIPPING_AGENCY, name="船代公司")
    people = {
        "cmd": (command, Role.SUPERVISOR), "cmd_viewer": (command, Role.VIEWER),
        "cmd_officer": (command, Role.OFFICER),
        "a_officer": (post_a, Role.OFFICER), "a_aux": (post_a, Role.VIEWER),
        "b_officer": (post_b, Role.OFFICER), "b_aux": (post_b, Role.VIEWER),
        "police": (police, Role.OFFICER), "police_2": (police_2, Role.OFFICER),
        "army": (army, Role.OFFICER), "village": (village, Role.VIEWER),
        "port": (port, Role.OFFICER), "agent": (agent_org, Role.OFFICER),
    }
    users = {k: make_user(session, agency=a, role=r) for k, (a, r) in people.items()}
    author = users["cmd"]
    partners = [police, police_2, army, village]
    line = BorderLine(name="中越边境", geometry={"type": "LineString", "coordinates": LINE},
                      length_m=16_000, min_lon=107.9, min_lat=21.6, max_lon=108.05,
                      max_lat=21.63)
    _mark(session, line, command, author, partners)
    markers = []
    for number, (lon, lat) in zip(("1340", "1341", "1342"), LINE[::1], strict=False):
        marker = BoundaryMarker(number=number, lon=lon, lat=lat, line_id=line.id)
        _mark(session, marker, command, author, partners)
        markers.append(marker)
    segments = []
    for code, (i, j), post in (("D-01", (0, 1), post_a), ("D-02", (1, 2), post_b)):
        coords = LINE[i:j + 1]
        segment = DefenceSegment(
            code=code, name=f"{code} 段", line_id=line.id, from_marker_id=markers[i].id,
            to_marker_id=markers[j].id, geometry={"type": "LineString", "coordinates": coords},
            length_m=5000, post_agency_id=post.id,
            min_lon=min(c[0] for c in coords), min_lat=min(c[1] for c in coords),
            max_lon=max(c[0] for c in coords), max_lat=max(c[1] for c in coords))
        _mark(session, segment, command, author, partners)
        session.add(AreaAssignment(agency_id=post.id, area_kind="segment", area_id=segment.id))
        segments.append(segment)
    cps = []
    for code, (lon, lat), seg, post, windows in (
            ("K-01", (107.95, 21.62), segments[0], post_a, [["08:30", "11:30"],
                                                            ["13:30", "17:00"]]),
            ("K-02", (107.97, 21.625), segments[0], post_a, []),
            ("K-11", (108.00, 21.63), segments[1], post_b, [])):
        cp = Checkpoint(code=code, name=f"卡点 {code}", lon=lon, lat=lat, radius_m=50,
                        segment_id=seg.id, post_agency_id=post.id,
                        qr_token=uuid.uuid4().hex, windows=windows)
        _mark(session, cp, command, author, [police, police_2, army])
        cps.append(cp)
    session.commit()
    return FieldWorld(command=command, post_a=post_a, post_b=post_b, police=police,
                      police_2=police_2, army=army, village=village, port=port,
                      agent_org=agent_org, seg_a=segments[0], seg_b=segments[1], cp_a=cps[0],
                      cp_a2=cps[1], cp_b=cps[2], users=users)


def new_id() -> str:
    return str(uuid.uuid4())


def at(text: str) -> str:
    """A device time: ISO 8601 with the phone's offset (China, +08:00)."""
    return datetime.fromisoformat(text).replace(tzinfo=None).isoformat() + "+08:00"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)
