"""Port clearance: declarations, advance pre-check, workflow, service modes, statistics."""

from bastion.core.domains import Capability, Command, Domain, Job, Panel
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="clearance", package="bastion.clearance",
    routers=("bastion.clearance.stats.views:router", "bastion.clearance.stats.api:router",
             "bastion.clearance.terminals.views:router", "bastion.clearance.rulesets.views:router",
             "bastion.clearance.vessel_views:router", "bastion.clearance.workspace.views:router",
             "bastion.clearance.calls.views:router", "bastion.clearance.workspace.api:router",
             "bastion.clearance.calls.api:router",
             "bastion.clearance.terminals.api:router", "bastion.clearance.rulesets.api:router",
             "bastion.clearance.violations.api:router"),
    templates="templates",
    models=("bastion.clearance.calls.models", "bastion.clearance.green.models",
            "bastion.clearance.departure.models", "bastion.clearance.health.models",
            "bastion.clearance.rulesets.models", "bastion.clearance.terminals.models",
            "bastion.clearance.violations.models"),
    commands=(Command("clearance", "bastion.clearance.cli:app",
                      "Port clearance: FAL declarations, green-channel escalation."),),
    capabilities=(
        Capability("portcalls.read", lazy("Read port calls (an agent: only its own)")),
        Capability("portcalls.declare", lazy("Declare port calls and upload FAL forms")),
        Capability("portcalls.process", lazy("Take port-call workflow actions for the station")),
        Capability("portcalls.clear", lazy("Record a participating agency's own clearance")),
        Capability("precheck.read", lazy("Read pre-check reasons and per-person results")),
        Capability("precheck_rules.edit", lazy("Edit the station's pre-check rules")),
        Capability("terminals.manage", lazy("Manage terminal profiles")),
        Capability("clearance.statistics", lazy("Read and export clearance statistics")),
        Capability("declarations.read", lazy("Read the declared rows of port calls (an agent: "
                                             "its own)")),
        Capability("health.read", lazy("Read Maritime Declarations of Health")),
        Capability("health.decide", lazy("Record the port health decision (quarantine)")),
        Capability("portcalls.override", lazy("Clear a ship in or out over an unresolved "
                                              "watchlist result, with a reason")),
        Capability("violations.read", lazy("Read the station's register of past violations")),
        Capability("violations.record", lazy("Record a violation in the station's register")),
    ),
    grants="grants.csv",
    labels=("bastion.clearance.labels",),
    visibility=("bastion.clearance.calls.service", "bastion.clearance.rulesets.service"),
    # The vessel page (maritime) shows the vessel's calls, its declared identity against AIS
    # and its crews' screening; an alert's page shows the calls of its vessel.
    panels=(Panel("vessel", "bastion.clearance.vessel:identity_panel",
                  "clearance/_vessel_identity.html"),
            Panel("vessel", "bastion.clearance.vessel:calls_panel", "clearance/_vessel_calls.html"),
            Panel("vessel", "bastion.clearance.vessel:screening_panel",
                  "clearance/_vessel_screening.html"),
            Panel("alert", "bastion.clearance.vessel:calls_panel", "clearance/_vessel_calls.html")),
    reactions=("bastion.clearance.reactions",),
    jobs=(Job("green-channel-escalation", "bastion.clearance.green.timer:escalate",
              every="green_channel_check_seconds"),),
    # Cases (issue 17) opened from a vessel alert (its vessel, open call and crew) or a hit.
    extra={"case_sources": {"alert": "bastion.clearance.case_source:alert",
                            "precheck_hit": "bastion.clearance.case_source:precheck_hit"}},
)
