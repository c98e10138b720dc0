"""Settings of 24-hour duty, mounted as ``settings.duty`` (``BASTION_DUTY__CHECKIN_INTERVAL_MIN
=30``). Days and shift times are in the deployment's zone (``BASTION_TIMEZONE``).

Kept free of imports from the rest of Bastion: ``core.config`` builds its settings class from
the manifests when it is imported, and loads this module then.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class DutySettings(BaseModel):
    solve_time_limit_s: float = Field(
        60.0, gt=0, le=3600, description="the most a roster solve may take (CP-SAT time limit)")
    solve_workers: int = Field(
        2, ge=1, le=32, description="CP-SAT search workers for a roster solve")
    solve_poll_s: float = Field(
        3.0, ge=0, le=3600,
        description="how often the solver job looks for queued rosters (0: off)")
    checkin_interval_min: float = Field(
        60.0, gt=0, le=1440,
        description="the person on online duty confirms presence this often (a sentry checks "
        "in every hour: LAND-BORDER.md section 4)")
    checkin_grace_min: float = Field(
        10.0, ge=0, le=240, description="a check-in this late is missed and alarms the leader")
    handover_confirm_min: float = Field(
        30.0, gt=0, le=1440,
        description="the incoming officer confirms a handover within this many minutes, or "
        "it escalates to the duty leader and then the planners")
    watch_every_s: float = Field(
        60.0, ge=0, le=3600,
        description="how often missed check-ins, handovers and hotline deadlines are checked")
