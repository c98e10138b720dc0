"""Hazards and blind spots on the land border (issue 16 item 1): reports from the field or
from a patrol observation, the command's triage and work orders (materials drawn from
supplies through the ``hazards.materials_drawn`` reaction), repairs with their quantity,
verification, overdue escalation, blind-spot surveys with proposed camera points, and the
totals the annual report counts (``figures.py``).

Who may do what is the grants table beside this file; what each may see is
``hazards.access``.
"""

from bastion.core.domains import Capability, Domain, Job
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="hazards", package="bastion.hazards",
    routers=("bastion.hazards.api:router", "bastion.hazards.views_totals:router",
             "bastion.hazards.views_surveys:router", "bastion.hazards.views_field:router",
             "bastion.hazards.views:router"),
    templates="templates",
    settings=("hazards", "bastion.hazards.settings:HazardSettings"),
    models=("bastion.hazards.models",),
    capabilities=(
        Capability("hazards.read", lazy("Read hazard reports and repairs")),
        Capability("hazards.report", lazy("Report a hazard")),
        Capability("hazards.work", lazy("Carry out work orders and record repairs")),
        Capability("hazards.command",
                   lazy("Triage hazards, issue work orders, verify repairs")),
        Capability("hazards.surveys.read", lazy("Read blind-spot surveys and camera points")),
        Capability("hazards.surveys.write", lazy("Record blind-spot surveys")),
        Capability("hazards.stats", lazy("See hazard and repair totals")),
    ),
    grants="grants.csv",
    visibility=("bastion.hazards.access",),
    jobs=(Job("hazards-deadlines", "bastion.hazards.watch:check", "hazards.watch_every_s"),),
    extra={"figures": "bastion.hazards.figures:figures",
           "figures_title": lazy("Hazards and repairs"),
           "case_sources": {"hazard": "bastion.hazards.case_source:hazard"}},
)
