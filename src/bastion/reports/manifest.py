"""The annual report: each domain's figures for a year (or any period), computed from the
records when asked (``core.figures``), as a page, an xlsx workbook and JSON.

Who may open it is the grants table beside this file; what it counts is what the reader may
see, section by section (each domain's figures function applies its own need-to-know).
"""

from bastion.core.domains import Capability, Domain
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="reports", package="bastion.reports",
    routers=("bastion.reports.views:router",),
    templates="templates",
    capabilities=(
        Capability("reports.read", lazy("See the annual report's figures")),
    ),
    grants="grants.csv",
)
