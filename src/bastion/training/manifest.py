"""Training, drills and meetings (issue 16 item 3) of the land-border joint-defence command,
its posts and the port border-inspection station: skills trainings with certificates, drills
(one may be run in exercise mode, with injects), meetings and study days; attendance (also
taken on a phone with no network), materials, outcomes and follow-up items that escalate when
overdue; a page per kind with a chart, xlsx export and the annual report's figures.

Who may do what is the grants table beside this file; what each may see is
``training.access``.
"""

from bastion.core.domains import Capability, Domain, Job
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="training", package="bastion.training",
    routers=("bastion.training.api:router", "bastion.training.views:router"),
    templates="templates",
    models=("bastion.training.models",),
    capabilities=(
        Capability("training.read",
                   lazy("Read the training, drills and meetings one's unit holds or takes "
                        "part in")),
        Capability("training.record",
                   lazy("Record training, drills and meetings of one's unit: attendance, "
                        "certificates, outcomes, follow-ups, drill injects")),
    ),
    grants="grants.csv",
    labels=("bastion.training.service",),
    visibility=("bastion.training.access",),
    jobs=(Job("training-follow-ups", "bastion.training.watch:check", 300.0),),
    extra={"figures": "bastion.training.figures:figures",
           "figures_title": lazy("Training, drills and meetings")},
)
