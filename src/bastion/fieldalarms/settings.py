"""Settings of the field alarms, mounted as ``settings.fieldalarms``
(``BASTION_FIELDALARMS__MQTT_URL=mqtt://127.0.0.1:1883``).

Kept free of imports from the rest of Bastion: ``core.config`` builds its settings class from
the manifests when it is imported, and loads this module then.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class FieldAlarmSettings(BaseModel):
    mqtt_url: str = Field(
        "", description="the MQTT broker the server subscribes to for alarms "
        "(mqtt://[user:password@]host[:port]); empty: only the HTTP intake")
    mqtt_topic: str = Field(
        "bastion/alarms/+", description="the topic filter; the last level is the device id")
    mqtt_client_id: str = Field("", description="the client id at the broker (empty: random)")
    replay_window_s: float = Field(
        300.0, gt=0, le=86400,
        description="a message whose time is further than this from the server's clock is "
        "refused as a replay (or a device clock gone wrong)")
    silent_after_h: float = Field(
        24.0, gt=0, le=24 * 30,
        description="a device heard from less recently than this is flagged silent")
    battery_low_pct: int = Field(20, ge=0, le=100,
                                 description="a battery at or below this is flagged low")
    watch_every_s: float = Field(
        300.0, ge=0, le=86400, description="how often silent devices are looked for (0: off)")
