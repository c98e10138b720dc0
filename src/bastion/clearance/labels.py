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
    # The vessel page's panel names them by the vessel's fields, the pre-check's findings
    # (clearance/identity.py) by the call's.
    "imo": lazy("IMO number"), "name": lazy("Ship's name"), "vessel_name": lazy("Ship's name"),
    "callsign": lazy("Call sign"), "flag": lazy("Flag"), "draught": lazy("Draught (m)"),
    "draught_m": lazy("Draught (m)"),
})
register_labels(namespace="identity_status", labels={
    "same": lazy("Agrees"), "differs": lazy("Differs"), "missing": lazy("Not given"),
})
# The FAL forms by their codes in files, URLs and the API (IMO FAL Convention, Standard 2.1).
register_labels(namespace="fal_form", labels={
    "general": lazy("FAL 1 General Declaration"), "stores": lazy("FAL 3 Ship's Stores Declaration"),
    "effects": lazy("FAL 4 Crew's Effects Declaration"), "crew": lazy("FAL 5 Crew List"),
    "passengers": lazy("FAL 6 Passenger List"), "dg": lazy("FAL 7 Dangerous Goods Manifest"),
    "crew_out": lazy("FAL 5 Crew List (departure)"),
    "passengers_out": lazy("FAL 6 Passenger List (departure)"),
    "health": lazy("Maritime Declaration of Health"),
    "health_ill": lazy("Health declaration: ill persons"),
})
# The shipped pre-check rules by their ids (a rule's id is its name in the data).
register_labels(namespace="precheck_rule", labels={
    "person_stop": lazy("Person to stop"), "person_check": lazy("Person to check"),
    "risk_high": lazy("High vessel risk"), "risk_medium": lazy("Medium vessel risk"),
    "dark_before_arrival": lazy("AIS dark before arrival"), "met_at_sea": lazy("Met at sea"),
    "identity_changed": lazy("Identity changed"), "last_port_mismatch": lazy("Last port differs"),
    "past_violations": lazy("Past violations"), "first_call": lazy("First call"),
})
register_labels(namespace="record_kind", labels={
    "port_call": lazy("Port call"), "declaration": lazy("Declaration"),
    "precheck_rule_set": lazy("Pre-check rules"), "terminal": lazy("Terminal"),
})
# The machine account a station's pre-check runs as (clearance/calls/service.py).
register_labels(namespace="system_account", labels={"Pre-check": lazy("Pre-check")})
register_labels(namespace="person_list", labels={
    "crew": lazy("Crew"), "passengers": lazy("Passengers"),
})
register_labels(namespace="health_decision", labels={
    "free_pratique": lazy("Free pratique"), "conditional": lazy("Pratique with sanitary measures"),
    "quarantine": lazy("Quarantine: no pratique"),
})
register_labels(namespace="call_action", labels={
    "declaration": lazy("Declaration uploaded"), "departure_screened": lazy("Departure lists screened"),
    "departure_reason": lazy("Departure change explained"),
    "departure_draught": lazy("Departure draught declared"),
    "health_decision": lazy("Port health decision"),
})
register_labels(namespace="departure_reason", labels={
    "signed_off": lazy("Signed off"), "hospital": lazy("Left ashore in hospital"),
    "deserted": lazy("Deserted"), "deceased": lazy("Died"), "signed_on": lazy("Signed on"),
    "stowaway": lazy("Stowaway"),
})
# A clearing agency other than the station sees per person only what the watchlists it may
# read say: "clear" there is no match on those lists, not the station's verdict.
register_labels(namespace="outcome_on_own_lists", labels={
    "clear": lazy("No match on the lists you may read"),
})
