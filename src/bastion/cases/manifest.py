"""Cases across sea and land (issue 17): opened from any domain's records (each names its
describe functions under ``extra["case_sources"]``), linked, tasked, timed, shared under TLP
with named agencies, closed with an outcome; tips from the public; statistics and figures.

Who may do what is the grants table beside this file; what each may see is ``cases.access``.
"""

from bastion.core.domains import Capability, Domain, Job, Panel
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="cases", package="bastion.cases",
    routers=("bastion.cases.views_stats:router", "bastion.cases.views_tips:router",
             "bastion.cases.views:router", "bastion.cases.api:router"),
    templates="templates",
    models=("bastion.cases.models",),
    labels=("bastion.cases.vocabulary",),
    visibility=("bastion.cases.access",),
    capabilities=(
        Capability("cases.read", lazy("Read cases shared with one's agency")),
        Capability("cases.write", lazy("Open, link, task, close and share cases")),
        Capability("cases.stats", lazy("See case statistics; told of overdue case tasks")),
        Capability("cases.tips.submit", lazy("Enter tips from the public (village committee)")),
    ),
    grants="grants.csv",
    # the alert's page lists its cases and opens one
    panels=(Panel("alert", "bastion.cases.panels:alert_panel", "cases/_alert_panel.html"),),
    jobs=(Job("case-task-deadlines", "bastion.cases.watch:check", every=300),),
    extra={"figures": "bastion.cases.figures:figures",
           "figures_title": lazy("Cases across sea and land")},
)
