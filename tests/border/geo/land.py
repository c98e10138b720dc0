"""A land-border world for the map tests: the command, two posts, the partners, a port
station and a shipping agent, with a user of each kind that matters; and a map built through
the API as the command (the CN-VN line of tests/data/border, markers every 10 km around
Napo, two segments, a post, checkpoints, a camera and the other places)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from bastion.border.geo.shapes import Chainage
from bastion.org.models import Agency, AgencyKind, Role, User
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

LINE_FILE = Path(__file__).resolve().parents[2] / "data" / "border" / "cn-vn-border.geojson"
LINE = json.loads(LINE_FILE.read_text())["features"][0]["geometry"]
CHAINAGES_KM = (580, 590, 600, 610)


def on_line(km: float, north_m: float = 30.0) -> tuple[float, float]:
    """A point of the line at ``km`` along it, ``north_m`` metres north of it."""
    lon, lat = Chainage(LINE)._at(km * 1000)
    return lon, lat + north_m / 111_320


def markers_csv(rows: list[tuple[str, str, str, str]] | None = None) -> bytes:
    if rows is None:
        rows = [(f"T{km}", "界碑" if km % 20 == 0 else "界桩",
                 *(f"{v:.6f}" for v in on_line(km))) for km in CHAINAGES_KM]
    lines = ["编号,类型,经度,纬度"] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


@dataclass
class Land:
    command: Agency
    post: Agency
    post2: Agency
    police: Agency
    army: Agency
    village: Agency
    station: Agency
    agent: Agency
    users: dict[str, User]
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def marking(self, *partners: Agency, tlp: str = "green") -> dict:
        return {"tlp": tlp, "distribution": "named", "agency_ids": [a.id for a in partners]}

    @property
    def public(self) -> dict:
        return self.marking(self.police, self.army, self.village)

    @property
    def partners(self) -> dict:
        return self.marking(self.police, self.army)


def build_land(session, client) -> Land:
    command = make_agency(session, code="T-JDC", kind=AgencyKind.JOINT_DEFENCE_COMMAND)
    post = make_agency(session, code="T-JDC-P1", kind=AgencyKind.JOINT_DEFENCE_POST,
                       parent=command)
    post2 = make_agency(session, code="T-JDC-P2", kind=AgencyKind.JOINT_DEFENCE_POST,
                        parent=command)
    police = make_agency(session, code="T-POL", kind=AgencyKind.BORDER_POLICE)
    army = make_agency(session, code="T-ARMY", kind=AgencyKind.ARMY)
    village = make_agency(session, code="T-VC", kind=AgencyKind.VILLAGE_COMMITTEE)
    station = make_agency(session, code="T-BIS", kind=AgencyKind.BORDER_INSPECTION)
    agent = make_agency(session, code="T-AGT", kind=AgencyKind.SHIPPING_AGENCY)
    people = {
        "command": (command, Role.SUPERVISOR), "command_viewer": (command, Role.VIEWER),
        "post_officer": (post, Role.OFFICER), "auxiliary": (post, Role.VIEWER),
        "post2_officer": (post2, Role.OFFICER), "police": (police, Role.OFFICER),
        "army": (army, Role.OFFICER), "village": (village, Role.VIEWER),
        "station": (station, Role.OFFICER), "agent": (agent, Role.OFFICER),
    }
    users = {name: make_user(session, agency=agency, role=role, username=f"land.{name}",
                             language="en")
             for name, (agency, role) in people.items()}
    session.commit()
    land = Land(command, post, post2, police, army, village, station, agent, users)
    land.headers = {name: api_token(client, user.username) for name, user in users.items()}
    return land


def build_map(client, land: Land) -> None:
    """The map, made through the API as the command."""
    h = land.headers["command"]
    line = client.post("/api/v1/border/lines", headers=h, data=_form(land.public),
                       files={"file": ("cn-vn.geojson", LINE_FILE.read_bytes())})
    assert line.status_code == 201, line.text
    land.ids["line"] = line.json()["id"]
    markers = client.post("/api/v1/border/markers/import", headers=h, data=_form(land.public),
                          files={"file": ("markers.csv", io.BytesIO(markers_csv()))})
    assert markers.status_code == 200, markers.text
    for code, start, end, post in (("S1", "T580", "T600", land.post),
                                   ("S2", "T600", "T610", land.post2)):
        segment = client.post("/api/v1/border/segments", headers=h, json={
            "code": code, "name": f"段{code}", "from_marker": start, "to_marker": end,
            "chief_name": "韦段长", "chief_phone": "13800000000", "post_agency_id": post.id,
            **land.public})
        assert segment.status_code == 201, segment.text
        land.ids[code] = segment.json()["id"]
    places = {}
    for kind, name, km, marking in (("village", "念井村", 585, land.public),
                                    ("camera", "卡口摄像头", 590, land.marking(
                                        land.police, land.army, tlp="amber")),
                                    ("bridge", "界河桥", 595, land.public),
                                    ("pier", "码头", 597, land.public),
                                    ("barrier", "拦阻桩", 603, land.public),
                                    ("crossing", "平孟口岸", 605, land.public)):
        lon, lat = on_line(km, 300)
        place = client.post("/api/v1/border/places", headers=h, json={
            "kind": kind, "name": name, "lon": lon, "lat": lat, "segment_id": land.ids["S1"],
            **marking})
        assert place.status_code == 201, place.text
        places[kind] = place.json()["id"]
    land.ids.update({f"place_{k}": v for k, v in places.items()})
    lon, lat = on_line(588, 800)
    post = client.post("/api/v1/border/posts", headers=h, json={
        "agency_id": land.post.id, "grade": 1, "lon": lon, "lat": lat, "staff": 12,
        "village_ids": [places["village"]], **land.public})
    assert post.status_code == 201, post.text
    for code, km, segment in (("CP1", 584, "S1"), ("CP2", 596, "S1"), ("CP3", 606, "S2")):
        lon, lat = on_line(km, 20)
        checkpoint = client.post("/api/v1/border/checkpoints", headers=h, json={
            "code": code, "name": f"卡点{code}", "lon": lon, "lat": lat, "radius_m": 80,
            "windows": [["08:30", "11:30"], ["14:00", "17:30"]],
            "segment_id": land.ids[segment], **land.partners})
        assert checkpoint.status_code == 201, checkpoint.text
        land.ids[code] = checkpoint.json()["id"]


def _form(marking: dict) -> dict:
    return {"tlp": marking["tlp"], "distribution": marking["distribution"],
            "agency_ids": [str(i) for i in marking["agency_ids"]]}


form = _form
