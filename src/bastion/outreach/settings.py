"""Settings of legal outreach, mounted as ``settings.outreach``
(``BASTION_OUTREACH__MIN_VISITS_PER_MONTH=3``). Kept free of imports from the rest of Bastion
(``core.config`` loads this module while it builds its settings class)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class OutreachSettings(BaseModel):
    min_visits_per_month: int = Field(
        2, ge=1, le=100,
        description="visits each linked village should have a month (the compliance board)")
