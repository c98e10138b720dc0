"""Places known without drawing: UN/LOCODE ports, and anchorages and water learned from AIS.

A station cannot hand-draw every anchorage and waterway before it trusts the risk model. From
day one it knows the ports of the UN/LOCODE gazetteer; from its own history it learns where
many distinct vessels lie stationary (anchorages, as Global Fishing Watch finds them) and where
many crossed at speed (water, whatever the coarse land mask says: canals, harbour basins).
The detectors ask ``Places`` (``known.py``); ``learn.py`` builds the cells; ``service.py``
keeps them in the database.
"""

from bastion.maritime.places.known import Places, Port, unlocode_ports
from bastion.maritime.places.learn import Cell, Learner, by_vessel, learn
from bastion.maritime.places.settings import PlaceSettings

__all__ = ["Cell", "Learner", "PlaceSettings", "Places", "Port", "by_vessel", "learn",
           "unlocode_ports"]
