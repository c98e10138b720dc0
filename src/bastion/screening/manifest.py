"""Watchlists and cross-script name screening with a review queue."""

from bastion.core.domains import Capability, Command, Domain
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="screening", package="bastion.screening",
    routers=("bastion.screening.views:router", "bastion.screening.api:router"),
    templates="templates",
    models=("bastion.screening.models",),
    commands=(Command("screen", "bastion.screening.cli:app",
                      "Screen names against a watchlist; score name pairs."),
              Command("watchlist", "bastion.screening.cli:watchlist_app", "Watchlists."),),
    capabilities=(
        Capability("watchlists.read", lazy("Read watchlists")),
        Capability("watchlists.manage", lazy("Create watchlists and import or add entries")),
        Capability("screening.run", lazy("Screen people and vessels against watchlists")),
        Capability("screening.review", lazy("Review screening hits: confirm or dismiss")),
    ),
    grants="grants.csv",
    labels=("bastion.screening.labels",),
)
