"""A field alarm as the source of a case (``cases`` opens a case from it through the
manifest's ``extra["case_sources"]["field_alarm"]``): what the case copies, or None when the
user may not see the alarm."""

from __future__ import annotations

from typing import Any

from bastion.core.errors import NotFound
from bastion.core.labels import label
from bastion.fieldalarms import access
from bastion.fieldalarms.models import AlarmDevice
from bastion.org import capabilities


def describe(*, session: Any, user: Any, record_id: int) -> dict[str, Any] | None:
    if not capabilities.can(user, "fieldalarms.read"):
        return None
    try:
        alarm = access.find_alarm(session, user=user, alarm_id=record_id)
    except NotFound:
        return None
    device = session.get(AlarmDevice, alarm.device_id)
    title = f"{label(alarm.kind)}: {device.code} {device.name}"
    if alarm.exercise:
        from bastion.core.exercise import titled

        title = titled(title, True)
    return {
        "title": title,
        "url": f"/field-alarms?alarm={alarm.id}",
        "geometry": {"type": "Point", "coordinates": [alarm.lon, alarm.lat]},
        "occurred_at": alarm.sent_at,
        "links": [
            {"kind": "field_alarm", "id": alarm.id, "url": f"/field-alarms?alarm={alarm.id}"},
            {"kind": "field_alarm_device", "id": device.id,
             "url": f"/field-alarms/devices?device={device.id}"},
            {"kind": "agency", "id": alarm.post_agency_id},
        ],
    }
