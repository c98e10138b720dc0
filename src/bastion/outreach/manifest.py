"""Legal outreach (issue 16, item 5): the posts' visits to their linked villages (普法宣传进村)
with topic, attendees, officers, materials and photos, entered at the desk or offline on the
phone; a compliance board (at least ``outreach.min_visits_per_month`` visits a linked village
a month) showing who is behind; figures for the annual report.

Who may do what is the grants table beside this file; what each may see is
``outreach.access`` (a post its own visits, the command all of its organisation's, a village
committee the visits to its own village).
"""

from bastion.core.domains import Capability, Domain
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="outreach", package="bastion.outreach",
    routers=("bastion.outreach.api:router", "bastion.outreach.views:router",
             "bastion.outreach.views_field:router"),
    templates="templates",
    settings=("outreach", "bastion.outreach.settings:OutreachSettings"),
    models=("bastion.outreach.models",),
    labels=("bastion.outreach.topics",),
    visibility=("bastion.outreach.access",),
    capabilities=(
        Capability("outreach.read", lazy("See legal-outreach visits")),
        Capability("outreach.record", lazy("Record legal-outreach visits")),
        Capability("outreach.board", lazy("See the legal-outreach compliance board")),
    ),
    grants="grants.csv",
    extra={"figures": "bastion.outreach.figures:figures",
           "figures_title": lazy("Legal outreach")},
)
