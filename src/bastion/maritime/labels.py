"""Words of the maritime picture in the user's language."""

from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.maritime.alerts.models import AlertStatus

register_labels(AlertStatus, labels={
    "open": lazy("Open"),
    "ended": lazy("Ended, to review"),
    "closed": lazy("Closed"),
    "retracted": lazy("Retracted"),
})
register_labels(namespace="alert_kind", labels={
    "gap": lazy("AIS gap (went dark)"),
    "encounter": lazy("Encounter at sea"),
    "loitering": lazy("Loitering"),
    "teleport": lazy("Impossible jump"),
    "mmsi_conflict": lazy("Shared MMSI"),
    "invalid_identity": lazy("Invalid identity"),
    "identity_change": lazy("Identity change"),
    "zone_entry": lazy("Zone entry"),
    "shore_approach": lazy("Night shore approach"),
    "on_land": lazy("Position on land"),
    "dark_rendezvous": lazy("Dark rendezvous (silent together while alongside)"),
    "encounter_short": lazy("Short encounter (early warning)"),
})
register_labels(namespace="severity", labels={
    "low": lazy("Low"),
    "medium": lazy("Medium"),
    "high": lazy("High"),
})
register_labels(namespace="risk_factor", labels={
    "flag_watch_list": lazy("Flag on the watch list"),
    "flag_mismatch": lazy("Declared flag differs from the MMSI's country"),
    "reefer_list": lazy("Refrigerated carrier (transshipment partner, GFW list)"),
    "spoofing_list": lazy("MMSI used by several vessels at once (GFW list)"),
})
register_labels(namespace="record_kind", labels={
    "vessel_alert": lazy("Vessel alert"),
})
# The machine account alerts are raised as (maritime/picture.py), by its stored name.
register_labels(namespace="system_account", labels={"AIS sensor": lazy("AIS sensor")})
