"""Agencies, units and users: the platform's organisation domain."""

from bastion.core.domains import Capability, Command, Domain
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="org", package="bastion.org", extra={"order": 10},
    routers=("bastion.org.views:router", "bastion.org.api:router"),
    templates="templates",
    models=("bastion.org.models",),
    # The platform's own functions; notices and audit are platform packages that use them.
    capabilities=(
        Capability("accounts.manage", lazy("Manage agencies, units and user accounts")),
        Capability("audit.read", lazy("Read and export the audit log")),
        Capability("notices.read", lazy("Read notices")),
        Capability("notices.write", lazy("Write and share notices")),
    ),
    grants="data/grants.csv",
    commands=(Command("setup", "bastion.org.cli:setup_app",
                      "Set up a new installation: its first organisation and administrator."),
              Command("agency", "bastion.org.cli:agency_app",
                      "Agencies and their units: create, list, import from xlsx/CSV."),
              Command("user", "bastion.org.cli:user_app",
                      "User accounts: create, import from xlsx/CSV.")),
    labels=("bastion.org.labels",),
)
