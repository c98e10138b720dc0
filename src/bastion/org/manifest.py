"""Agencies, units and users: the platform's organisation domain."""

from bastion.core.domains import Command, Domain

DOMAIN = Domain(
    name="org", package="bastion.org", extra={"order": 10},
    routers=("bastion.org.views:router", "bastion.org.api:router"),
    templates="templates",
    models=("bastion.org.models",),
    commands=(Command("setup", "bastion.org.cli:setup_app",
                      "Set up a new installation: its first organisation and administrator."),
              Command("agency", "bastion.org.cli:agency_app",
                      "Agencies and their units: create, list, import from xlsx/CSV."),
              Command("user", "bastion.org.cli:user_app",
                      "User accounts: create, import from xlsx/CSV.")),
)
