"""The duty officer's workbench: one live page over the other domains' services."""

from bastion.core.domains import Capability, Domain
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="workbench", package="bastion.workbench",
    routers=("bastion.workbench.views:router", "bastion.workbench.api:router"),
    templates="templates",
    capabilities=(
        Capability("workbench.read", lazy("Open the duty officer's workbench")),
    ),
    grants="grants.csv",
)
