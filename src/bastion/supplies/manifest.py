"""Supplies and equipment of a land-border joint-defence command and its posts (issue 16): the
catalogue, stock per store computed from movements, receipts by project and funder with unit
prices, issues and returns to posts and people (the per-person kit issue), conditions and
repairs of tracked items, low-stock warnings, xlsx import and export, and the materials that
hazard work orders draw (a reaction to ``hazards.materials_drawn``).

Who may do what is the grants table beside this file; what each may see is
``supplies.access`` (the command every store of its organisation, a post its own). The army,
the police, village committees and shipping agents see nothing of it.
"""

from bastion.core.domains import Capability, Domain
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="supplies", package="bastion.supplies",
    routers=("bastion.supplies.api:router", "bastion.supplies.views:router",
             "bastion.supplies.views_field:router"),
    templates="templates",
    settings=("supplies", "bastion.supplies.settings:SuppliesSettings"),
    models=("bastion.supplies.models",),
    capabilities=(
        Capability("supplies.read", lazy("See the stock, receipts and movements of one's stores")),
        Capability("supplies.move", lazy("Issue, return, transfer and repair supplies; kit issues")),
        Capability("supplies.receive", lazy("Record receipts of supplies (by project and funder)")),
        Capability("supplies.catalogue", lazy("Edit the supplies catalogue and low-stock thresholds")),
    ),
    grants="grants.csv",
    labels=("bastion.supplies.labels",),
    visibility=("bastion.supplies.access",),
    reactions=("bastion.supplies.reactions",),
    extra={"figures": "bastion.supplies.figures:figures",
           "figures_title": lazy("Supplies and equipment")},
)
