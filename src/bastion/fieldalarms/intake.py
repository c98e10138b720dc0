"""The intake: what a device sends, over MQTT (``mqtt.py``) or HTTP (``api.py``), checked and
stored the same way.

A message is a JSON object of at most 4 KiB::

    {"device": "NP-FA-01", "id": "b2c1...", "ts": 1765101234, "kind": "button",
     "lat": 23.01, "lon": 105.7, "battery": 87, "exercise": false, "sig": "<hex>"}

``device`` the device id (over MQTT it must be the topic's last level); ``id`` the device's
message id (1-64 characters, unique per device); ``ts`` the device's clock, Unix seconds;
``kind`` one of button, trigger, battery_low, tamper (an alarm: an incident opens) or
heartbeat (health only); ``lat``/``lon`` an optional fix (else the device's place);
``battery`` an optional percentage; ``exercise`` a test press during a drill; ``sig`` the
HMAC of the rest with the device's key (``keys.py``).

Checked in this order, each refusal counted by its reason: ``malformed`` (422 naming the
field), ``unknown_device`` or ``bad_signature`` (401, one message for both), ``revoked``
(401), ``stale`` (a time further than the replay window from the server's clock: 409),
``replay`` (a message id stored before with other content: 409). The same message again (a
retransmit: MQTT QoS 1 sends twice, a device retries over HTTP) is stored once and answered
as a duplicate. A message that passes updates the device's health (last seen, battery,
silent no more).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core.db import utcnow
from bastion.core.errors import BastionError, Conflict, Invalid, NotAuthenticated
from bastion.core.i18n import gettext as _
from bastion.fieldalarms import keys, service
from bastion.fieldalarms.models import AlarmKind, FieldAlarm

MAX_BYTES = 4096
HEARTBEAT = "heartbeat"
KINDS = {k.value for k in AlarmKind} | {HEARTBEAT}
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
MESSAGE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
SIG = re.compile(r"^[0-9a-fA-F]{64}$")
REASONS = ("malformed", "topic_mismatch", "unknown_device", "bad_signature", "revoked",
           "stale", "replay", "error")


class Refused(Exception):
    """A message not taken, with the reason it is counted under."""

    def __init__(self, reason: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.reason, self.message, self.field = reason, message, field

    def as_error(self) -> BastionError:
        if self.reason in ("malformed", "topic_mismatch"):
            return Invalid(self.message, field=self.field)
        if self.reason in ("unknown_device", "bad_signature", "revoked"):
            return NotAuthenticated(self.message)
        return Conflict(self.message, field=self.field)


@dataclass
class Counters:
    """What an intake took and refused since the process started."""

    received: int = 0
    alarms: int = 0
    heartbeats: int = 0
    duplicates: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    last_at: datetime | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, what: str) -> None:
        with self.lock:
            self.received += 1
            self.last_at = datetime.now(UTC)
            if what in REASONS:
                self.refused[what] += 1
            else:
                setattr(self, what, getattr(self, what) + 1)

    def as_dict(self) -> dict[str, Any]:
        return {"received": self.received, "alarms": self.alarms,
                "heartbeats": self.heartbeats, "duplicates": self.duplicates,
                "refused": {r: self.refused.get(r, 0) for r in REASONS},
                "last_at": self.last_at.isoformat() if self.last_at else None}


COUNTERS = {"mqtt": Counters(), "http": Counters()}


@dataclass
class Message:
    device: str
    id: str
    sent_at: datetime
    kind: str
    lat: float | None
    lon: float | None
    battery: int | None
    exercise: bool
    body: dict[str, Any]

    @property
    def digest(self) -> str:
        return hashlib.sha256(keys.canonical(self.body)).hexdigest()


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(
        value)


def parse(raw: bytes | str) -> Message:
    """The message, or ``Refused("malformed")`` naming the field."""
    if isinstance(raw, str):
        raw = raw.encode()
    if len(raw) > MAX_BYTES:
        raise Refused("malformed", _("The message is longer than %(n)d bytes.") % {
            "n": MAX_BYTES}, "body")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Refused("malformed", _("The message is not JSON."), "body") from None
    if not isinstance(body, dict):
        raise Refused("malformed", _("The message is not a JSON object."), "body")

    def bad(name: str, text: str) -> Refused:
        return Refused("malformed", text, name)

    device, message_id, ts, kind = (body.get(k) for k in ("device", "id", "ts", "kind"))
    if not isinstance(device, str) or not CODE.match(device):
        raise bad("device", _("Give the device id (letters, digits, . _ -; at most 40)."))
    if not isinstance(message_id, str) or not MESSAGE_ID.match(message_id):
        raise bad("id", _("Give the message id (1 to 64 letters, digits, . _ : -)."))
    if not _number(ts) or not 0 < ts < 32503680000:
        raise bad("ts", _("Give the device time in Unix seconds."))
    if kind not in KINDS:
        raise bad("kind", _("The kind is one of: %(kinds)s.") % {
            "kinds": ", ".join(sorted(KINDS))})
    lat, lon = body.get("lat"), body.get("lon")
    if (lat is None) != (lon is None):
        raise bad("lat" if lat is None else "lon", _("Give both lat and lon, or neither."))
    if lat is not None and (not _number(lat) or not -90 <= lat <= 90):
        raise bad("lat", _("The latitude is a number from -90 to 90."))
    if lon is not None and (not _number(lon) or not -180 <= lon <= 180):
        raise bad("lon", _("The longitude is a number from -180 to 180."))
    battery = body.get("battery")
    if battery is not None and (not isinstance(battery, int) or isinstance(battery, bool)
                                or not 0 <= battery <= 100):
        raise bad("battery", _("The battery is a whole percentage from 0 to 100."))
    exercise = body.get("exercise", False)
    if not isinstance(exercise, bool):
        raise bad("exercise", _("exercise is true or false."))
    if not isinstance(body.get("sig"), str) or not SIG.match(body["sig"]):
        raise bad("sig", _("Give the signature (64 hexadecimal digits)."))
    return Message(device=device, id=message_id, sent_at=datetime.fromtimestamp(ts, UTC),
                   kind=kind, lat=lat, lon=lon, battery=battery, exercise=exercise, body=body)


@dataclass
class Outcome:
    kind: str  # "alarm" | "heartbeat" | "duplicates"
    alarm: FieldAlarm | None

    @property
    def created(self) -> bool:
        return self.kind != "duplicates"


def receive(session: Session, *, raw: bytes | str, secret: str, settings: Any, via: str,
            topic_device: str | None = None, now: datetime | None = None) -> Outcome:
    """Check a message and store what it says (the caller commits). Raises ``Refused``."""
    message = parse(raw)
    if topic_device is not None and topic_device != message.device:
        raise Refused("topic_mismatch", _("The topic names another device."), "device")
    device = service.device_by_code(session, message.device)
    unknown = _("The device is not known or its signature is wrong.")
    if device is None:
        raise Refused("unknown_device", unknown)
    key = keys.derive(secret, device.code, device.key_nonce)
    if keys.fingerprint(key) != device.key_hash or not keys.verify(message.body, key):
        raise Refused("bad_signature", unknown)
    if device.revoked_at is not None:
        raise Refused("revoked", _("The device's key was revoked."))
    now = now or utcnow()
    if abs((now - message.sent_at).total_seconds()) > settings.replay_window_s:
        raise Refused("stale", _("The message's time is too far from now: a replay, or the "
                                 "device's clock is wrong."), "ts")
    outcome = Outcome(HEARTBEAT + "s", None)
    if message.kind != HEARTBEAT:
        stored = session.scalar(select(FieldAlarm).where(
            FieldAlarm.device_id == device.id, FieldAlarm.message_id == message.id))
        if stored is not None:
            if stored.digest != message.digest:
                raise Refused("replay", _("This message id was used before."), "id")
            return Outcome("duplicates", stored)
        fix = message.lat is not None
        alarm = FieldAlarm(
            device_id=device.id, message_id=message.id, digest=message.digest,
            kind=AlarmKind(message.kind), sent_at=message.sent_at, received_at=now, via=via,
            lon=message.lon if fix else device.lon, lat=message.lat if fix else device.lat,
            has_fix=fix, battery_pct=message.battery, post_agency_id=device.post_agency_id,
            exercise=message.exercise)
        session.add(alarm)
        session.flush()
        service.open_incident(session, alarm=alarm, device=device)
        outcome = Outcome("alarms", alarm)
    if device.last_seen_at is None or device.last_seen_at < now:
        device.last_seen_at = now
    if message.battery is not None:
        device.battery_pct = message.battery
    device.silent = False
    session.flush()
    return outcome

