"""Settings of the land border, mounted as ``settings.patrols`` (``BASTION_PATROLS__COVERAGE_M=
150``). Plain scalars with defaults from LAND-BORDER.md section 2 and the appendix (items 3-4).

Kept free of imports from the rest of Bastion: ``core.config`` builds its settings class from
the manifests when it is imported, and loads this module then.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class PatrolSettings(BaseModel):
    coverage_m: float = Field(
        200.0, ge=0, le=5000,
        description="d of segment coverage: a point of a segment is covered when it lies "
        "within this many metres of a kept track (SMART's plan_target success_distance)")
    start_tolerance_min: float = Field(
        5.0, ge=0, le=720,
        description="a planned patrol not started within +- this many minutes of its planned "
        "start is missed (SRM-Sentry: +-5 minutes)")
    blind_spot_days: int = Field(
        7, ge=1, le=366, description="a stretch of a segment no track came within coverage_m "
        "of in this many days is a blind spot")
    blind_spot_step_m: float = Field(
        100.0, ge=10, le=5000,
        description="blind spots are found in pieces of this length along each segment")
    stale_fix_min: float = Field(
        10.0, ge=1, le=1440,
        description="a patrol under way whose last fix is older than this is flagged stale")
    sos_hours: float = Field(
        24.0, ge=1, le=720,
        description="the live picture lists acknowledged SOS calls for this many hours")
    zone: str = Field(
        "Asia/Shanghai",
        description="the unit's time zone: days, weeks and months of the measures are its own")
