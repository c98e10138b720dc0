"""The emergency board (issue 17): typhoon and flood emergencies with their area, phase and
level; the vessels concerned (AIS picture, open port calls, the register of local vessels),
each with its officer, persons aboard and status; deadlines per vessel class; shelter zones by
class with an automatic AIS check; the big-screen board; exercise mode.

Sits above clearance, maritime, border and duty: it reads their services, never their models.
"""

from bastion.core.domains import Capability, Domain, Job
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="emergencies", package="bastion.emergencies",
    routers=("bastion.emergencies.api:router", "bastion.emergencies.views:router"),
    templates="templates",
    settings=("emergencies", "bastion.emergencies.settings:EmergencySettings"),
    models=("bastion.emergencies.models",),
    capabilities=(
        Capability("emergencies.read", lazy("See emergencies, their vessels and the board")),
        Capability("emergencies.manage",
                   lazy("Open emergencies, move them through their phases, gather vessels")),
        Capability("emergencies.act",
                   lazy("Be a vessel's officer; notify vessels and record their status")),
        Capability("emergencies.register",
                   lazy("Keep the register of local vessels and the shelter zones")),
        Capability("emergencies.acknowledge",
                   lazy("See one's own vessels in an emergency and acknowledge warnings")),
    ),
    grants="grants.csv",
    labels=("bastion.emergencies.labels",),
    visibility=("bastion.emergencies.access",),
    reactions=("bastion.emergencies.reactions",),
    jobs=(Job("emergencies-watch", "bastion.emergencies.watch:check",
              "emergencies.check_every_s"),),
    extra={"figures": "bastion.emergencies.figures:figures",
           "figures_title": lazy("Emergencies")},
)
