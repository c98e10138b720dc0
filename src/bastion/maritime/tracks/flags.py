"""Flag state from an MMSI's Maritime Identification Digits (ITU-R M.585 table)."""

from __future__ import annotations

from bastion.core.reference.ships import mmsi_flag


def flag_of(mmsi: int) -> str | None:
    """ISO 3166 alpha-2 of the MID's administration, or None for no ship MMSI / unallocated."""
    return mmsi_flag(mmsi)
