"""Words of port clearance in the user's language."""

from bastion.core.i18n import lazy
from bastion.core.labels import register_labels

register_labels(namespace="call_state", labels={
    "draft": lazy("Draft"), "submitted": lazy("Submitted"), "prechecked": lazy("Pre-checked"),
    "arrival_approved": lazy("Arrival approved"), "arrived": lazy("Arrived"),
    "inspecting": lazy("Being inspected"), "cleared_in": lazy("Cleared in"),
    "departure_declared": lazy("Departure declared"), "cleared_out": lazy("Cleared out"),
    "departed": lazy("Departed"), "returned": lazy("Returned to the agent"),
    "amended": lazy("Amended"), "rejected": lazy("Rejected"), "cancelled": lazy("Cancelled"),
})
register_labels(namespace="call_action", labels={
    "create": lazy("Created"), "submit": lazy("Submit"), "amend": lazy("Amend"),
    "precheck": lazy("Pre-check"), "return": lazy("Return to the agent"),
    "approve_arrival": lazy("Approve arrival"), "reject": lazy("Reject"),
    "arrive": lazy("Record arrival"), "start_inspection": lazy("Start inspection"),
    "clear_in": lazy("Clear in"), "declare_departure": lazy("Declare departure"),
    "clear_out": lazy("Clear out"), "depart": lazy("Record departure"), "cancel": lazy("Cancel"),
})
register_labels(namespace="inspection_level", labels={
    "documentary": lazy("Documentary inspection"), "boarding": lazy("Boarding inspection"),
    "enhanced": lazy("Enhanced inspection"),
})
register_labels(namespace="call_action", labels={
    "green_channel": lazy("Green channel opened"), "green_channel_ack": lazy("Acknowledged"),
    "landing": lazy("Landing recorded"), "documents_completed": lazy("Documents completed"),
    "sla_escalated": lazy("Deadline missed: escalated"),
})
register_labels(namespace="service_mode", labels={
    "normal": lazy("Office hours"), "24h": lazy("24-hour service"),
    "tide_window": lazy("Tide-window clearance"), "green_channel": lazy("Green channel"),
})
register_labels(namespace="priority", labels={
    "normal": lazy("Normal"), "expedited": lazy("Expedited"), "emergency": lazy("Emergency"),
})
register_labels(namespace="request_kind", labels={
    "medical": lazy("Medical emergency (crew to land)"), "weather": lazy("Weather"),
    "tide": lazy("Tide"),
})
register_labels(namespace="slot_purpose", labels={
    "arrival": lazy("Arrival inspection"), "departure": lazy("Departure inspection"),
})
register_labels(namespace="identity_field", labels={
    "imo": lazy("IMO number"), "vessel_name": lazy("Ship's name"), "callsign": lazy("Call sign"),
    "flag": lazy("Flag"), "draught_m": lazy("Draught"),
})
