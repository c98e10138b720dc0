"""Joint operations for major events (重大活动联合稳控, issue 17): an operation's period, area,
participating agencies, posts and tasks, the border patrols and duty it adds, and its log.

Who may do what is the grants table beside this file; what each may see is ``access``: the
planning command and the participating agencies, nobody else.
"""

from bastion.core.domains import Capability, Domain
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="operations", package="bastion.operations",
    routers=("bastion.operations.api:router", "bastion.operations.views:router"),
    templates="templates",
    models=("bastion.operations.models",),
    capabilities=(
        Capability("operations.read", lazy("See the joint operations one's agency takes part in")),
        Capability("operations.work",
                   lazy("Work on one's agency's tasks and write in a joint operation's log")),
        Capability("operations.plan",
                   lazy("Plan joint operations: period, area, agencies, posts, tasks, patrols "
                        "and duty")),
    ),
    grants="grants.csv",
    visibility=("bastion.operations.access",),
    extra={"figures": "bastion.operations.figures:figures",
           "figures_title": lazy("Joint operations")},
)
