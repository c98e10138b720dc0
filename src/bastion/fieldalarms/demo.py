"""The field-alarm demo (SYNTHETIC): a dozen alarm devices along the demo border's defence
segments (one-button alarm posts, fence-vibration, infrared and camera-motion sensors), each
given to its segment's post and shared by name with the border police and the army, and a few
past alarms: resolved, false (a branch on the fence), one acknowledged, one exercise press.

Their keys are made with this process's secret and never shown: rotate one
(``bastion field-alarms rotate CODE --as huang.command``) to send from it.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bastion.core.config import get_settings
from bastion.core.db import utcnow
from bastion.core.marking import TLP, Distribution
from bastion.fieldalarms import service
from bastion.fieldalarms.models import AlarmKind, AlarmStatus, DeviceKind, FieldAlarm
from bastion.fieldalarms.schemas import AlarmAction, DeviceIn
from bastion.org.models import User
from bastion.org.sharing import MarkingIn

SEED = 17
KINDS = [DeviceKind.BUTTON, DeviceKind.FENCE_VIBRATION, DeviceKind.INFRARED,
         DeviceKind.CAMERA_MOTION]
NAMES = {DeviceKind.BUTTON: "一键报警桩", DeviceKind.FENCE_VIBRATION: "围栏振动传感器",
         DeviceKind.INFRARED: "红外对射", DeviceKind.CAMERA_MOTION: "视频移动侦测"}
# (device index, days ago, kind, what became of it, note)
PAST = [(0, 26, AlarmKind.BUTTON, "resolve", "村民报告可疑人员，已处置（SYNTHETIC）"),
        (1, 19, AlarmKind.TRIGGER, "false_alarm", "树枝刮碰围栏（SYNTHETIC）"),
        (5, 12, AlarmKind.TRIGGER, "false_alarm", "大风导致误报（SYNTHETIC）"),
        (3, 8, AlarmKind.TAMPER, "resolve", "设备外壳被打开，已更换（SYNTHETIC）"),
        (8, 3, AlarmKind.BUTTON, "resolve", "演练按压（SYNTHETIC）"),
        (10, 0, AlarmKind.TRIGGER, "acknowledge", "")]
EXERCISE = {4}  # index in PAST of the drill's test press


def _along(coords: list[list[float]], fraction: float) -> tuple[float, float]:
    """A point ``fraction`` of the way along a polyline's vertices, 300 m or so into China."""
    i = min(int(fraction * (len(coords) - 1)), len(coords) - 2)
    lon0, lat0 = coords[i]
    lon1, lat1 = coords[i + 1]
    return round((lon0 + lon1) / 2, 5), round((lat0 + lat1) / 2 + 0.003, 5)


def load(session: Session, *, users: dict[str, User], now: datetime | None = None) -> None:
    """``users`` by username as ``bastion.demo`` made them (the border demo loaded)."""
    from bastion.border.geo import service as geo

    now = now or utcnow()
    rng = random.Random(SEED)
    command = users["huang.command"]
    segments = geo.visible_segments(session, user=command)
    if not segments:
        return
    partners = sorted({users["wei.police"].agency_id, users["liang.army"].agency_id})
    marking = MarkingIn(tlp=TLP.GREEN, distribution=Distribution.NAMED, agency_ids=partners)
    secret = get_settings().secret_key
    devices = []
    for n in range(12):
        segment = segments[n % len(segments)]
        kind = KINDS[n % len(KINDS)]
        coords = segment.geometry["coordinates"]
        if segment.geometry["type"] == "MultiLineString":
            coords = coords[0]
        lon, lat = _along(coords, 0.3 if n < len(segments) else 0.7)
        device, _key = service.register(session, user=command, secret=secret, synthetic=True,
                                        now=now - timedelta(days=60), data=DeviceIn(
            code=f"NP-FA-{n + 1:02d}", name=f"{segment.code} {NAMES[kind]}（SYNTHETIC）",
            kind=kind, lon=lon, lat=lat, post_agency_id=segment.post_agency_id,
            segment_id=segment.id, marking=marking))
        device.last_seen_at = now - timedelta(minutes=rng.randint(5, 600))
        device.battery_pct = rng.randint(35, 98)
        devices.append(device)
    devices[7].battery_pct = 14  # one to change soon
    devices[11].last_seen_at = now - timedelta(days=3)  # one gone quiet
    devices[11].silent = True
    for i, (index, days, kind, fate, note) in enumerate(PAST):
        device = devices[index]
        at = now - timedelta(days=days, minutes=rng.randint(30, 600))
        alarm = FieldAlarm(device_id=device.id, message_id=uuid.UUID(int=rng.getrandbits(128)).hex,
                           digest="0" * 64, kind=kind, sent_at=at, received_at=at, via="demo",
                           lon=device.lon, lat=device.lat, has_fix=False,
                           post_agency_id=device.post_agency_id, status=AlarmStatus.RAISED,
                           exercise=i in EXERCISE, synthetic=True)
        session.add(alarm)
        session.flush()
        actor = users["nong.post"] if device.post_agency_id == users[
            "nong.post"].agency_id else command
        service.act(session, user=actor, alarm_id=alarm.id, now=at + timedelta(minutes=4),
                    data=AlarmAction(action="acknowledge"))
        if fate != "acknowledge":
            service.act(session, user=actor, alarm_id=alarm.id,
                        now=at + timedelta(minutes=rng.randint(25, 90)),
                        data=AlarmAction(action=fate, note=note))
    session.flush()
