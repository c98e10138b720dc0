"""Settings of supplies (``BASTION_SUPPLIES__<FIELD>``)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SuppliesSettings(BaseModel):
    # the catalogue code of the winter uniform counted in the annual report
    winter_uniform_code: str = Field(default="UNI-WINTER", min_length=1, max_length=32)
