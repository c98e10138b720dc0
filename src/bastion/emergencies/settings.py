"""Settings of the emergency board, mounted as ``settings.emergencies``
(``BASTION_EMERGENCIES__CHECK_EVERY_S=30``).

Kept free of imports from the rest of Bastion: ``core.config`` builds its settings class from
the manifests when it is imported, and loads this module then.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class EmergencySettings(BaseModel):
    check_every_s: float = Field(
        30.0, ge=0, le=3600,
        description="how often vessels' AIS positions are checked against their shelter zones "
        "and their deadlines against the clock (0: off)")
    sheltered_max_knots: float = Field(
        1.0, ge=0, le=10,
        description="a vessel inside its shelter zone this slow or slower is sheltered "
        "(at anchor or moored)")
    fresh_minutes: float = Field(
        30.0, gt=0, le=1440, description="an AIS position older than this proves nothing")
    picture_hours: float = Field(
        6.0, gt=0, le=168,
        description="vessels seen by AIS in the area within this many hours are concerned")
    escalate_after_hours: float = Field(
        2.0, ge=0, le=72,
        description="a late vessel escalates to the supervisors once late by this long")
