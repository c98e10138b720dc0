"""Words of the emergency board (enum values shown with the ``label`` filter)."""

from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.emergencies.models import (
    EmergencyKind,
    Level,
    Phase,
    VesselClass,
    VesselSource,
    VesselStatus,
)

register_labels(EmergencyKind, labels={"typhoon": lazy("Typhoon"), "flood": lazy("Flood"),
                                       "other": lazy("Other emergency")})
register_labels(Phase, labels={"watch": lazy("Watch"), "warning": lazy("Warning"),
                               "evacuation": lazy("Evacuation"),
                               "all_clear": lazy("All clear")})
register_labels(Level, labels={"IV": lazy("Level IV (blue)"), "III": lazy("Level III (yellow)"),
                               "II": lazy("Level II (orange)"), "I": lazy("Level I (red)")})
register_labels(VesselClass, labels={
    "small_craft": lazy("Small craft"), "fishing": lazy("Fishing vessel"),
    "construction": lazy("Construction vessel"), "passenger": lazy("Passenger vessel"),
    "merchant": lazy("Merchant ship"), "other": lazy("Other vessel")})
register_labels(VesselSource, labels={"ais": lazy("AIS picture"), "port_call": lazy("Port call"),
                                      "register": lazy("Local register")})
register_labels(VesselStatus, labels={
    "listed": lazy("Listed"), "notified": lazy("Notified"), "acknowledged": lazy("Acknowledged"),
    "moving": lazy("Moving"), "sheltered": lazy("Sheltered"), "departed": lazy("Departed"),
    "crew_ashore": lazy("Crew ashore")})
register_labels(namespace="record_kind", labels={"emergency": lazy("Emergency"),
                                                 "emergency_vessel": lazy("Vessel in an emergency")})
register_labels(namespace="emergency_action", labels={
    "notify": lazy("Notify"), "acknowledge": lazy("Acknowledge"), "move": lazy("Moving"),
    "shelter": lazy("Sheltered"), "depart": lazy("Departed"), "ashore": lazy("Crew ashore"),
    "reopen": lazy("Back under way")})
