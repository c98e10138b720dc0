"""Geofences (``ZoneSet``) and the land mask / distance to shore (``LandMask``).

``demo_zones()`` is an illustrative zone file for the Yangjiang/Zhapo coast of Guangdong shipped
for the demo and the tests; it is not an official chart product.
"""

from importlib import resources

from bastion.core.geo import fast_m, haversine_m
from bastion.maritime.zones.land import LandMask, natural_earth_land
from bastion.maritime.zones.zoneset import KINDS, PORT_KINDS, Zone, ZoneSet

DEMO_ZONES = "demo-zones-yangjiang.geojson"


def demo_zones() -> ZoneSet:
    """The shipped illustrative Yangjiang/Zhapo zones (port, anchorage, restricted, controlled)."""
    with resources.as_file(resources.files("bastion.maritime.data").joinpath(DEMO_ZONES)) as p:
        return ZoneSet.load(p)


__all__ = ["DEMO_ZONES", "KINDS", "PORT_KINDS", "LandMask", "Zone", "ZoneSet", "demo_zones",
           "fast_m", "haversine_m", "natural_earth_land"]
