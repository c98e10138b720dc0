"""Evaluations (issue 16, item 4): the monthly assessment of each auxiliary (护边员月度考核) and
of the port station's party members (党员月度考评) against indicator sets kept as data, the
annual rating (优秀/称职/基本称职/不称职) derived by a rule kept as data with a supervisor's
override, history per person, xlsx import and export, and figures for the annual report.

Who may do what is the grants table beside this file; what each may see is
``evaluations.access`` (a post its own auxiliaries, the command all of its organisation, the
station's supervisors their party members). Scores are personal data: reads are audited.
"""

from bastion.core.domains import Capability, Domain
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="evaluations", package="bastion.evaluations",
    routers=("bastion.evaluations.api:router", "bastion.evaluations.views:router"),
    templates="templates",
    models=("bastion.evaluations.models",),
    labels=("bastion.evaluations.words",),
    visibility=("bastion.evaluations.access",),
    capabilities=(
        Capability("evaluations.read", lazy("See the monthly assessments of the people one assesses")),
        Capability("evaluations.assess", lazy("Enter monthly assessments")),
        Capability("evaluations.rate", lazy("Set annual ratings (override the rule)")),
        Capability("evaluations.indicators", lazy("Edit the assessment indicators")),
    ),
    grants="grants.csv",
    extra={"figures": "bastion.evaluations.figures:figures",
           "figures_title": lazy("Evaluations")},
)
