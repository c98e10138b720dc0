"""Settings of hazards, mounted as ``settings.hazards`` (``BASTION_HAZARDS__ESCALATE_AFTER_DAYS
=2``). Kept free of imports from the rest of Bastion (``core.config`` loads it early)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class HazardSettings(BaseModel):
    watch_every_s: float = Field(
        300.0, ge=0, le=86400, description="how often overdue work orders are checked (0: off)")
    escalate_after_days: float = Field(
        3.0, gt=0, le=365,
        description="a work order overdue by more than this many days escalates to the "
        "command (level 2); level 1 (the assigned post) is as soon as it is overdue")
