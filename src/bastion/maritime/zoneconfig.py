"""Which zones the picture uses: the operator's GeoJSON file, or the shipped demo zones."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from bastion.maritime.zones import DEMO_ZONES, ZoneSet


def zones_geojson_path(configured: str | Path | None) -> Path:
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FileNotFoundError(f"zones file not found: {path} (BASTION_ZONES_FILE)")
        return path
    return Path(str(resources.files("bastion.maritime.data").joinpath(DEMO_ZONES)))


def load_zones(configured: str | Path | None) -> ZoneSet:
    return ZoneSet.load(zones_geojson_path(configured))
