"""The field-alarm tests' world: the patrol tests' small land border (a command with two posts,
partners, a village committee, outsiders; tests/border/patrols/field_world.py) and one alarm
post on each post's segment, shared by name with the first border police unit and the army."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from bastion.core.marking import TLP, Distribution
from bastion.fieldalarms import keys, service
from bastion.fieldalarms.models import AlarmDevice, DeviceKind
from bastion.fieldalarms.schemas import DeviceIn
from bastion.org.sharing import MarkingIn
from tests.border.patrols.field_world import FieldWorld, build
from tests.conftest import TEST_SECRET

INTAKE = "/api/v1/field-alarms/intake"
API = "/api/v1/field-alarms"


@dataclass
class AlarmWorld:
    w: FieldWorld
    dev_a: AlarmDevice
    key_a: str
    dev_b: AlarmDevice
    key_b: str

    @property
    def users(self):
        return self.w.users

    def headers(self, client, who: str) -> dict[str, str]:
        return self.w.headers(client, who)


def build_alarms(session) -> AlarmWorld:
    w = build(session)
    marking = MarkingIn(tlp=TLP.GREEN, distribution=Distribution.NAMED,
                        agency_ids=[w.police.id, w.army.id])
    made = []
    for code, post, seg, (lon, lat) in (("FA-A1", w.post_a, w.seg_a, (107.93, 21.615)),
                                        ("FA-B1", w.post_b, w.seg_b, (107.98, 21.63))):
        made.append(service.register(session, user=w.users["cmd"], secret=TEST_SECRET,
                                     data=DeviceIn(code=code, name=f"报警桩 {code}",
                                                   kind=DeviceKind.BUTTON, lon=lon, lat=lat,
                                                   post_agency_id=post.id, segment_id=seg.id,
                                                   marking=marking)))
    session.commit()
    (dev_a, key_a), (dev_b, key_b) = made
    return AlarmWorld(w, dev_a, key_a, dev_b, key_b)


def message(code: str, key: str, **fields: Any) -> dict[str, Any]:
    body = {"device": code, "id": uuid.uuid4().hex, "ts": int(time.time()), "kind": "button",
            **fields}
    return keys.signed(body, key)


def send(client, body: Any):
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(INTAKE, content=raw, headers={"Content-Type": "application/json"})
