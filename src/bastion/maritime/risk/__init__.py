"""Vessel risk assessment: per-vessel detectors over decoded AIS and an explained risk score.

Pure and in memory (no database, no web): the maritime picture feeds ``RiskEngine.observe`` with
the dicts of ``bastion.maritime.ais`` and persists/publishes the ``AlertEvent``s it returns.

    engine = RiskEngine(settings=DetectorSettings(), zones=ZoneSet.load(path))
    events = engine.observe(message)      # opened / updated / closed / retracted
    events += engine.tick(now)            # quiet feed: open gaps, close quiet episodes
    events += engine.finish()             # end of a replay
    engine.risk(mmsi, now).to_dict()      # score 0-100 with its factors

Kinds: gap, encounter, loitering, teleport, mmsi_conflict, invalid_identity, identity_change,
zone_entry, shore_approach, on_land, dark_rendezvous, encounter_short. Thresholds and their sources: ``DetectorSettings``.
"""

from bastion.maritime.risk.alerts import Alert, AlertEvent
from bastion.maritime.risk.engine import RiskEngine
from bastion.maritime.risk.score import Factor, VesselRisk
from bastion.maritime.risk.settings import DetectorSettings, RiskWeights

KINDS = ("gap", "encounter", "loitering", "teleport", "mmsi_conflict", "invalid_identity",
         "identity_change", "zone_entry", "shore_approach", "on_land", "dark_rendezvous",
         "encounter_short")

__all__ = ["KINDS", "Alert", "AlertEvent", "DetectorSettings", "Factor", "RiskEngine",
           "RiskWeights", "VesselRisk"]
