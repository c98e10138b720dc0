"""Settings of the foreign-resident registry, mounted as ``settings.residents``
(``BASTION_RESIDENTS__FREQUENT_CROSSINGS=10``). Days are in the deployment's zone
(``BASTION_TIMEZONE``, Asia/Shanghai by default).

Kept free of imports from the rest of Bastion: ``core.config`` builds its settings class from
the manifests when it is imported, and loads this module then.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class ResidentSettings(BaseModel):
    frequent_crossings: int = Field(
        8, ge=1, le=1000,
        description="more than this many crossings in a calendar month raises frequent_crossing")
    lodging_hours: float = Field(
        24.0, gt=0, le=720,
        description="a stay past this many hours after an entry needs a lodging registration "
        "made within them (Exit-Entry Administration Law art. 39)")
    retention_crossings_days: int = Field(
        730, ge=0, description="crossings (pass stubs) are kept this many days; 0 keeps them")
    retention_reads_days: int = Field(
        1095, ge=0, description="the audit of reads is kept this many days; 0 keeps it")
    retention_visits_days: int = Field(
        1095, ge=0, description="closed home visits are kept this many days; 0 keeps them")
    purge_every_s: float = Field(
        86400.0, ge=0, description="how often the retention purge runs (0: off)")
    flags_every_s: float = Field(
        3600.0, ge=0,
        description="how often every person's flags are recomputed for the passing of time "
        "(an entry turns into an overstay without any record changing); 0: off")
    names_every_s: float = Field(
        5.0, ge=0,
        description="the server builds the name index when it starts and takes in what other "
        "processes changed (persons added, renamed, an import) this often; 0: each search "
        "brings it up to date itself (the first search then builds it)")
