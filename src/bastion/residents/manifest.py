"""Foreign residents of border villages (issue 14): the registry (``residents``), crossing
points and crossings (``residents.crossings``), risk flags as rules kept as data
(``residents.flags``), home-visit tasks (``residents.visits``), names across scripts (the
screening matcher, extended with Sino-Vietnamese readings), bulk import and offline check.

Who may do what is the grants table beside this file; what each may see is
``residents.access`` (a post its linked villages, a village committee its own village).
"""

from bastion.core.domains import Capability, Command, Domain, Job
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="residents", package="bastion.residents",
    routers=("bastion.residents.api_import:router", "bastion.residents.api:router",
             "bastion.residents.views:router", "bastion.residents.views_records:router",
             "bastion.residents.crossings.api:router", "bastion.residents.flags.api:router",
             "bastion.residents.visits.api:router", "bastion.residents.views_queue:router",
             "bastion.residents.views_reads:router", "bastion.residents.views_stats:router"),
    templates="templates",
    settings=("residents", "bastion.residents.settings:ResidentSettings"),
    models=("bastion.residents.models", "bastion.residents.crossings.models",
            "bastion.residents.flags.models", "bastion.residents.visits.models"),
    commands=(Command("residents", "bastion.residents.cli:app",
                      "Foreign residents: import a workbook, check one offline."),),
    capabilities=(
        Capability("residents.read", lazy("Look up foreign residents of border villages")),
        Capability("residents.write", lazy("Register and edit foreign residents")),
        Capability("residents.crossings.record", lazy("Record border crossings")),
        Capability("residents.flags", lazy("Work the risk-flag queue")),
        Capability("residents.visits", lazy("Record home visits")),
        Capability("residents.points.edit", lazy("Edit the crossing points")),
        Capability("residents.import", lazy("Import residents from a workbook")),
        Capability("residents.export", lazy("Export residents' records")),
        Capability("residents.stats", lazy("See resident statistics")),
        Capability("residents.audit", lazy("See who read residents' records")),
    ),
    grants="grants.csv",
    startup=("bastion.residents.nameindex:keep_up",),
    visibility=("bastion.residents.access",),
    extra={"figures": "bastion.residents.figures:figures",
           "figures_title": lazy("Foreign residents")},
    jobs=(Job("residents-flags", "bastion.residents.flags.jobs:recompute_all",
              "residents.flags_every_s"),
          Job("residents-purge", "bastion.residents.retention:purge", "residents.purge_every_s")),
)
