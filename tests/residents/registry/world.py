"""A small border for the registry tests (on top of the patrol tests' world): two posts with
a village each (PostVillage), the village committee given village A as its area, the
reference crossing points, and helpers to register people through the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bastion.border.geo.models import BorderPlace, BorderPost, PlaceKind, PostVillage
from bastion.core.marking import TLP, AreaAssignment, Distribution
from bastion.org.sharing import MarkingIn, apply_marking
from bastion.residents.crossings import points
from tests.border.patrols.field_world import FieldWorld, build

API = "/api/v1/residents"


@dataclass
class RegistryWorld:
    f: FieldWorld
    village_a: BorderPlace
    village_b: BorderPlace

    def __getattr__(self, name: str) -> Any:
        return getattr(self.f, name)

    def headers(self, client, who: str) -> dict[str, str]:
        return self.f.headers(client, who)


def build_registry(session: Session) -> RegistryWorld:
    f = build(session)
    cmd = f.users["cmd"]
    villages = []
    for name, post, lon in (("竹山村", f.post_a, 107.93), ("江平村", f.post_b, 108.01)):
        place = BorderPlace(kind=PlaceKind.VILLAGE, name=name, lon=lon, lat=21.64,
                            owner_org_id=f.command.id, created_by_id=cmd.id)
        session.add(place)
        session.flush()
        apply_marking(session, place, MarkingIn(
            tlp=TLP.GREEN, distribution=Distribution.NAMED,
            agency_ids=[f.police.id, f.police_2.id, f.army.id, f.village.id]))
        bp = BorderPost(agency_id=post.id, lon=lon, lat=21.63, owner_org_id=f.command.id,
                        created_by_id=cmd.id)
        session.add(bp)
        session.flush()
        session.add(PostVillage(post_id=bp.id, place_id=place.id))
        villages.append(place)
    session.add(AreaAssignment(agency_id=f.village.id, area_kind="village",
                               area_id=villages[0].id))
    points.load_reference(session)
    session.commit()
    return RegistryWorld(f=f, village_a=villages[0], village_b=villages[1])


def person(w: RegistryWorld, village: BorderPlace, **extra: Any) -> dict[str, Any]:
    return {"name": "Nguyễn Văn An", "name_latin": "NGUYEN VAN AN", "name_han": "阮文安",
            "sex": "male", "birth_date": "1988-03-14", "nationality": "VNM",
            "ethnic_group": "Tày", "village_id": village.id, **extra}


def register(client, w: RegistryWorld, who: str, village: BorderPlace, **extra: Any) -> int:
    made = client.post(API, json=person(w, village, **extra), headers=w.headers(client, who))
    assert made.status_code == 201, made.text
    return made.json()["resident"]["id"]
