"""Places known without drawing: UN/LOCODE ports, and anchorages and water learned from AIS.

A station cannot hand-draw every anchorage and waterway before it trusts the risk model. From
day one it knows the ports of the UN/LOCODE gazetteer; from its own history it learns where
many distinct vessels lie stationary (anchorages, as Global Fishing Watch finds them) and where
many crossed at speed (water, whatever the coarse land mask says: canals, harbour basins).
The detectors ask ``Places`` (``known.py``); ``learn.py`` builds the cells; ``service.py``
keeps them in the database.

A finer land source was measured and not adopted: GSHHG full resolution (PyPI
``roaring-landmask`` 0.11) calls 6.2 % of the real Suez fixes land where Natural Earth 1:10m
calls 40.5 %, so it would help on day one before any history is learned; but its wheel is 100 MB
and loading it costs 4.5 s of CPU at start, against a start-up the issue wants shorter. Water
learned from one and a half days of the station's own traffic already leaves no "on land" in
the canal (bench/detectors_eval.py).
"""

from bastion.maritime.places.known import Places, Port, unlocode_ports
from bastion.maritime.places.learn import Cell, Learner, by_vessel, learn
from bastion.maritime.places.settings import PlaceSettings

__all__ = ["Cell", "Learner", "PlaceSettings", "Places", "Port", "by_vessel", "learn",
           "unlocode_ports"]
