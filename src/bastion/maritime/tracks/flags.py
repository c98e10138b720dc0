"""Flag state from an MMSI's Maritime Identification Digits (ITU-R M.585 table)."""

from __future__ import annotations

from bastion.maritime.risk.reference import mid_table, mmsi_mid


def flag_of(mmsi: int) -> str | None:
    """ISO 3166 alpha-2 of the MID's administration, or None for no ship MMSI / unallocated."""
    mid = mmsi_mid(mmsi)
    entry = mid_table().get(mid) if mid is not None else None
    return entry[0] if entry else None
