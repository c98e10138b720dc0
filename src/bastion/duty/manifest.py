"""24-hour duty (issue 13): rosters (``duty.rosters``, solved by ``duty.solver`` with CP-SAT),
the duty log, handovers and online check-ins (``duty.log``), the hotline (``duty.hotline``),
and their statistics. Serves the land-border command (军警民联所联巡24小时线上轮值) and the
port station (24-hour inspection, the 24-hour emergency assistance hotline) alike.

Who may do what is the grants table beside this file; what each may see is ``duty.access``.
"""

from bastion.core.domains import Capability, Command, Domain, Job
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="duty", package="bastion.duty",
    routers=("bastion.duty.views_home:router", "bastion.duty.rosters.api:router", "bastion.duty.rosters.views:router",
             "bastion.duty.rosters.views_calendar:router",
             "bastion.duty.log.api:router", "bastion.duty.log.views:router",
             "bastion.duty.hotline.api:router", "bastion.duty.hotline.views:router",
             "bastion.duty.stats:router"),
    templates="templates",
    settings=("duty", "bastion.duty.settings:DutySettings"),
    models=("bastion.duty.rosters.models", "bastion.duty.log.models",
            "bastion.duty.hotline.models"),
    commands=(Command("duty", "bastion.duty.cli:app",
                      "Duty rosters: solve a roster problem file with CP-SAT."),),
    capabilities=(
        Capability("duty.roster.read", lazy("See published duty rosters and one's own duties")),
        Capability("duty.roster.plan",
                   lazy("Set up, solve, edit and publish duty rosters; decide swaps")),
        Capability("duty.swap.request", lazy("Ask to swap one's own duty")),
        Capability("duty.log.read", lazy("Read the duty log and handovers")),
        Capability("duty.log.write", lazy("Record in the duty log and hand over duty")),
        Capability("duty.checkin", lazy("Confirm presence on online duty")),
        Capability("duty.hotline.read", lazy("Read hotline calls")),
        Capability("duty.hotline.handle", lazy("Take and handle hotline calls")),
        Capability("duty.stats", lazy("See duty statistics")),
    ),
    grants="grants.csv",
    visibility=("bastion.duty.access",),
    extra={"figures": "bastion.duty.figures:figures", "figures_title": lazy("24-hour duty"),
           "case_sources": {"hotline_call": "bastion.duty.hotline.case_source:call"}},
    jobs=(Job("duty-solve", "bastion.duty.rosters.jobs:solve_queued", "duty.solve_poll_s"),
          Job("duty-watch", "bastion.duty.log.watch:check", "duty.watch_every_s"),
          Job("hotline-deadlines", "bastion.duty.hotline.watch:check", "duty.watch_every_s")),
)
