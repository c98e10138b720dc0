"""Port clearance: declarations, advance pre-check, workflow, service modes, statistics."""

from bastion.core.domains import Command, Domain, Job

DOMAIN = Domain(
    name="clearance", package="bastion.clearance",
    routers=("bastion.clearance.stats.views:router", "bastion.clearance.stats.api:router",
             "bastion.clearance.terminals.views:router", "bastion.clearance.rulesets.views:router",
             "bastion.clearance.calls.views:router", "bastion.clearance.calls.api:router",
             "bastion.clearance.terminals.api:router", "bastion.clearance.rulesets.api:router"),
    templates="templates",
    models=("bastion.clearance.calls.models", "bastion.clearance.green.models",
            "bastion.clearance.rulesets.models", "bastion.clearance.terminals.models"),
    commands=(Command("clearance", "bastion.clearance.cli:app",
                      "Port clearance: FAL declarations, green-channel escalation."),),
    labels=("bastion.clearance.labels",),
    visibility=("bastion.clearance.calls.service",),
    jobs=(Job("green-channel-escalation", "bastion.clearance.green.timer:escalate",
              every="green_channel_check_seconds"),),
)
