"""Field alarms: the devices (one-button alarm posts 一键报警桩, fence-vibration, infrared and
camera-motion sensors) and the alarms they raise.

A device is a marked record of the command that registers it, placed on the map and given to
a responsible post. Its key is never stored: the database holds a random ``key_nonce`` from
which the server derives the key with its secret (``keys.py``), and the key's SHA-256 to tell
a key from another; rotating draws a new nonce, revoking stamps ``revoked_at``.

An alarm is what a device sent, stored once by (device, message id), and the incident it opens:
raised -> acknowledged (by whom, when) -> resolved or false alarm. Who may see an alarm is who
may see its device (``access.py``).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.exercise import ExerciseMixin
from bastion.core.marking import MarkedMixin


class DeviceKind(enum.StrEnum):
    BUTTON = "button"  # 一键报警桩
    FENCE_VIBRATION = "fence_vibration"
    INFRARED = "infrared"
    CAMERA_MOTION = "camera_motion"


class AlarmKind(enum.StrEnum):
    BUTTON = "button"  # someone pressed the button
    TRIGGER = "trigger"  # a sensor went off
    BATTERY_LOW = "battery_low"
    TAMPER = "tamper"


class AlarmStatus(enum.StrEnum):
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    FALSE_ALARM = "false_alarm"


class AlarmDevice(MarkedMixin, Base):
    __tablename__ = "fieldalarm_device"
    record_kind: ClassVar[str] = "field_alarm_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # the device id in topics
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[DeviceKind] = mapped_column(str_enum_column(DeviceKind))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    post_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                                index=True)
    segment_id: Mapped[int | None]  # the defence segment it stands on (border.geo), if known
    key_nonce: Mapped[str] = mapped_column(String(64))
    key_hash: Mapped[str] = mapped_column(String(64))
    key_issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    battery_pct: Mapped[int | None]
    silent: Mapped[bool] = mapped_column(default=False)
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FieldAlarm(ExerciseMixin, Base):
    __tablename__ = "fieldalarm_alarm"
    __table_args__ = (UniqueConstraint("device_id", "message_id"),)
    record_kind: ClassVar[str] = "field_alarm"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("fieldalarm_device.id",
                                                      ondelete="RESTRICT"), index=True)
    message_id: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))  # of the signed message: a retransmit is equal
    kind: Mapped[AlarmKind] = mapped_column(str_enum_column(AlarmKind), index=True)
    sent_at: Mapped[datetime]  # the device's clock
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    via: Mapped[str] = mapped_column(String(8))  # mqtt | http | demo
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    has_fix: Mapped[bool] = mapped_column(default=False)  # the device sent its own position
    battery_pct: Mapped[int | None]
    post_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"),
                                                index=True)
    status: Mapped[AlarmStatus] = mapped_column(str_enum_column(AlarmStatus),
                                                default=AlarmStatus.RAISED, index=True)
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    acknowledged_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    closed_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")
    synthetic: Mapped[bool] = mapped_column(default=False)
